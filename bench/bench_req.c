/*
 * bench_req.c: bytes on the wire of requests between the sides (API
 * v1.1), measured with the client's own carrier (reqpoll.c) against the
 * real server code (server.c, server_req.c) over loopback.
 *
 * Prints each figure next to its target:
 *   - a cover request as the terminal composes it (a gap id, a sector,
 *     a canned bilingual text and a line of free text): target at most
 *     400 bytes;
 *   - an answer (accept; decline with a reason): target at most 150;
 *   - for each, the HTTP bytes around it (request and answer heads, the
 *     server's short answer), and an unchanged poll of the list (304).
 * It is a measurement, not a test: it exits 0 whatever it measures,
 * unless it cannot run at all.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "events.h"
#include "map.h"
#include "reqbook.h"
#include "reqpoll.h"
#include "scenario.h"
#include "server.h"

#define T0		1795824000.0	/* 2026-11-28T00:00:00Z */
#define TARGET_REQ	400		/* bytes */
#define TARGET_ANSWER	150

static double
wall(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

struct client {
	struct reqbook	 b;
	struct reqpoll	*rp;
};

static void
client_open(struct client *c, const struct border_map *map, int side,
    unsigned port, const char *token)
{
	struct reqbook_config	bc;
	struct reqpoll_config	pc;
	char			why[256], url[64];

	memset(&bc, 0, sizeof bc);
	bc.side_codes[0] = map->sides[0].code;
	bc.side_codes[1] = map->sides[1].code;
	bc.side = side;
	bc.seed = 42;
	if (reqbook_init(&c->b, &bc, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_req: %s\n", why);
		exit(1);
	}
	snprintf(url, sizeof url, "http://127.0.0.1:%u/", port);
	memset(&pc, 0, sizeof pc);
	pc.base_url = url;
	pc.token = token;
	if (reqpoll_new(&pc, &c->rp, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_req: %s\n", why);
		exit(1);
	}
}

/* Step until one call has finished; its figures. */
static struct reqpoll_stats
one_call(struct client *c)
{
	struct event_log	 log;
	struct timespec		 ts = { 0, 1000000 };
	unsigned long		 c0 = reqpoll_stats(c->rp)->calls;
	double			 t0 = wall();

	events_init(&log, 16);
	reqpoll_now(c->rp);
	while (reqpoll_stats(c->rp)->calls == c0 && wall() - t0 < 10) {
		reqpoll_step(c->rp, &c->b, wall(), T0, &log);
		nanosleep(&ts, NULL);
	}
	events_done(&log);
	if (reqpoll_stats(c->rp)->calls == c0) {
		fprintf(stderr, "bench_req: no answer in 10 s\n");
		exit(1);
	}
	return (*reqpoll_stats(c->rp));
}

static void
print(const char *what, const struct reqpoll_stats *st, unsigned target)
{
	printf("%-30s body %4llu bytes, target <= %u: %s\n"
	    "%-30s with HTTP heads: %llu out, %llu back (HTTP %ld)\n", what,
	    (unsigned long long)st->tx_body, target,
	    st->tx_body <= target ? "met" : "MISSED", "",
	    (unsigned long long)(st->tx_head + st->tx_body),
	    (unsigned long long)(st->rx_head + st->rx_body), st->code);
}

static void
compose(struct client *c, const struct border_map *map, char *id)
{
	char	why[256];

	/* As V composes it from a gap: id, sector, canned text, free. */
	if (reqbook_compose(&c->b, REQ_COVER, 1502.25, 1511.75, "G117", "CH",
	    "Please cover this stretch / Favor de cubrir este tramo - "
	    "2 vehicles seen heading west", NAN, T0, map->length_km, id, why,
	    sizeof why) != BC_OK) {
		fprintf(stderr, "bench_req: %s\n", why);
		exit(1);
	}
}

static void
answer(struct client *c, const char *id, enum req_state state,
    const char *reason)
{
	struct req_answer	a;
	char			why[256];

	req_answer_init(&a);
	a.state = state;
	snprintf(a.reason, sizeof a.reason, "%s", reason);
	if (reqbook_answer(&c->b, id, &a, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_req: %s\n", why);
		exit(1);
	}
}

int
main(void)
{
	struct border_map	*map;
	struct scenario		*sc;
	struct server_config	 cfg;
	struct server		*srv;
	struct client		 us, mx;
	struct reqpoll_stats	 st;
	char			 why[512], buf[4096], id[REQ_ID_MAX + 1];
	char			 id2[REQ_ID_MAX + 1];
	const char		*path;

	if ((path = map_default_path(buf, sizeof buf)) == NULL ||
	    map_load_file(path, &map, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_req: cannot load the map\n");
		return (1);
	}
	sc = scenario_new(map, 1, 300, T0);
	memset(&cfg, 0, sizeof cfg);
	cfg.addr = "127.0.0.1";
	cfg.tick_s = 5;
	cfg.tag = "bench";
	cfg.side_token[0] = "bench-us-token-0123456789abcdef";
	cfg.side_token[1] = "bench-mx-token-0123456789abcdef";
	if (server_start(&cfg, sc, &srv, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_req: %s\n", why);
		return (1);
	}
	printf("bench_req: requests between the sides, bytes on the wire "
	    "(bodies; targets from issue 10)\n");
	client_open(&us, map, 0, server_port(srv), cfg.side_token[0]);
	client_open(&mx, map, 1, server_port(srv), cfg.side_token[1]);

	compose(&us, map, id);
	st = one_call(&us);
	print("cover request (POST)", &st, TARGET_REQ);
	one_call(&mx);			/* MX fetches it: delivered */
	answer(&mx, id, RS_ACCEPTED, "");
	st = one_call(&mx);
	print("answer: accepted", &st, TARGET_ANSWER);

	compose(&us, map, id2);
	one_call(&us);
	one_call(&mx);
	answer(&mx, id2, RS_DECLINED,
	    "No unit available / Sin unidad disponible");
	st = one_call(&mx);
	print("answer: declined, with reason", &st, TARGET_ANSWER);

	one_call(&us);			/* the list with the changes */
	st = one_call(&us);		/* nothing new since */
	printf("%-30s HTTP %ld, body %llu bytes, %llu bytes back with "
	    "heads\n", "unchanged list poll", st.code,
	    (unsigned long long)st.rx_body,
	    (unsigned long long)(st.rx_head + st.rx_body));

	reqpoll_free(us.rp);
	reqpoll_free(mx.rp);
	reqbook_done(&us.b);
	reqbook_done(&mx.b);
	server_stop(srv);
	scenario_free(sc);
	border_free(map);
	return (0);
}
