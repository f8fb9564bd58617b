/*
 * bench_wire.c: bytes on the wire of coordination API v1, measured
 * against the real server code over loopback.
 *
 * Prints each figure next to its target:
 *   - a steady-state incremental poll of 500 units with about 50 moved,
 *     gzip'ed (target: at most 3 KB on the wire, headers included);
 *   - an unchanged poll (target: 304 with no body);
 *   - the full 10,000-unit snapshot, raw and gzip'ed.
 * It is a measurement, not a test: it exits 0 whatever it measures,
 * unless it cannot run at all.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "apiwrite.h"
#include "map.h"
#include "scenario.h"
#include "server.h"
#include "xmalloc.h"

#define T0		1795824000.0	/* 2026-11-28T00:00:00Z */
#define CYCLES		20
#define TARGET_INC	3072		/* bytes */

struct reply {
	int	 status;
	size_t	 total;		/* bytes received: headers and body */
	size_t	 body;
	char	 etag[128];
	char	 cursor[APIWRITE_CURSOR_MAX];
};

static double
now_s(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
header_value(const char *head, const char *name, char *buf, size_t len)
{
	const char	*p, *e;
	char		 pat[64];

	buf[0] = '\0';
	snprintf(pat, sizeof pat, "\r\n%s:", name);
	if ((p = strcasestr(head, pat)) == NULL)
		return;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	if ((e = strstr(p, "\r\n")) != NULL)
		snprintf(buf, len, "%.*s", (int)(e - p), p);
}

/* One GET as a polling client sends it; the reply's sizes. */
static int
get(unsigned port, const char *cursor, const char *etag, struct reply *r)
{
	struct sockaddr_in	 sin;
	char			 req[1024], *raw, *end;
	size_t			 cap, len;
	ssize_t			 n;
	int			 fd;

	memset(r, 0, sizeof *r);
	snprintf(req, sizeof req, "GET /v1/positions%s%s HTTP/1.1\r\n"
	    "Host: 127.0.0.1\r\nAccept-Encoding: gzip\r\n%s%s%s"
	    "Connection: close\r\n\r\n",
	    cursor ? "?since=" : "", cursor ? cursor : "",
	    etag ? "If-None-Match: " : "", etag ? etag : "",
	    etag ? "\r\n" : "");
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return (-1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof sin) == -1 ||
	    write(fd, req, strlen(req)) != (ssize_t)strlen(req)) {
		close(fd);
		return (-1);
	}
	cap = 1 << 16;
	raw = xmalloc(cap + 1);
	len = 0;
	while ((n = read(fd, raw + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			cap *= 2;
			raw = xreallocarray(raw, cap + 1, 1);
		}
	}
	close(fd);
	raw[len] = '\0';
	if ((end = strstr(raw, "\r\n\r\n")) == NULL ||
	    sscanf(raw, "HTTP/1.1 %d", &r->status) != 1) {
		free(raw);
		return (-1);
	}
	end[2] = '\0';
	r->total = len;
	r->body = len - (size_t)(end + 4 - raw);
	header_value(raw, "ETag", r->etag, sizeof r->etag);
	free(raw);
	return (0);
}

static size_t
changed_since(const struct scenario *sc, uint64_t v)
{
	const struct scenario_slot	*sl;
	size_t				 n, i, k;

	sl = scenario_slots(sc, &n);
	for (i = k = 0; i < n; i++)
		k += sl[i].changed > v;
	return (k);
}

static void
bench_incremental(const struct border_map *map)
{
	struct server_config	 cfg;
	struct server		*srv;
	struct scenario		*sc;
	struct reply		 r;
	char			 why[256], cursor[APIWRITE_CURSOR_MAX];
	char			 etag[128];
	size_t			 moved, sum = 0, max = 0, summoved = 0;
	size_t			 n304 = 0, body304 = 0, total304 = 0;
	uint64_t		 v;
	double			 t;
	int			 i, ok = 1;

	sc = scenario_new(map, 1, 500, T0);
	t = T0 + 3600;
	scenario_advance(sc, t);
	memset(&cfg, 0, sizeof cfg);
	cfg.addr = "127.0.0.1";
	cfg.tick_s = 5;
	cfg.tag = "bench";
	if (server_start(&cfg, sc, &srv, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_wire: %s\n", why);
		exit(1);
	}
	if (get(server_port(srv), NULL, NULL, &r) != 0 || r.status != 200) {
		fprintf(stderr, "bench_wire: no full answer\n");
		exit(1);
	}
	printf("full poll, 500 units, gzip:        %6zu bytes on the wire\n",
	    r.total);
	snprintf(etag, sizeof etag, "%s", r.etag);
	for (i = 0; i < CYCLES; i++) {
		v = scenario_version(sc);
		apiwrite_cursor(cursor, sizeof cursor, v, "bench");
		/* Unchanged: same version, current cursor, last ETag. */
		if (get(server_port(srv), cursor, etag, &r) != 0)
			ok = 0;
		n304 += r.status == 304;
		body304 += r.body;
		total304 += r.total;
		/* Advance until about 50 units have reported. */
		while ((moved = changed_since(sc, v)) < 50) {
			t += 1;
			server_advance(srv, t);
		}
		if (get(server_port(srv), cursor, etag, &r) != 0 ||
		    r.status != 200)
			ok = 0;
		snprintf(etag, sizeof etag, "%s", r.etag);
		sum += r.total;
		summoved += moved;
		if (r.total > max)
			max = r.total;
	}
	printf("incremental poll, 500 units, %.0f moved, gzip: mean %zu, "
	    "max %zu bytes on the wire (target <= %d) %s\n",
	    (double)summoved / CYCLES, sum / CYCLES, max, TARGET_INC,
	    ok && max <= TARGET_INC ? "OK" : "OVER");
	printf("unchanged poll: %zu of %d answered 304, body %zu bytes, "
	    "%zu bytes of headers each (target: 304, no body) %s\n",
	    n304, CYCLES, body304, total304 / CYCLES,
	    n304 == CYCLES && body304 == 0 ? "OK" : "FAIL");
	server_stop(srv);
	scenario_free(sc);
}

static void
bench_full(const struct border_map *map)
{
	struct scenario		*sc;
	struct apiwrite_msg	 m;
	struct apibuf		 b;
	char			*gz, cursor[APIWRITE_CURSOR_MAX];
	size_t			 gzlen;
	double			 t0, t1, t2;

	t0 = now_s();
	sc = scenario_new(map, 1, 10000, T0);
	scenario_advance(sc, T0 + 3600);
	t1 = now_s();
	memset(&m, 0, sizeof m);
	apiwrite_cursor(cursor, sizeof cursor, scenario_version(sc), "bench");
	m.server_time = scenario_time(sc);
	m.cursor = cursor;
	m.full = 1;
	m.slots = scenario_slots(sc, &m.nslots);
	m.side_codes[0] = map->sides[0].code;
	m.side_codes[1] = map->sides[1].code;
	apibuf_init(&b);
	apiwrite_positions(&b, &m);
	if (server_gzip(b.p, b.len, &gz, &gzlen) != 0) {
		fprintf(stderr, "bench_wire: gzip failed\n");
		exit(1);
	}
	t2 = now_s();
	printf("full snapshot, 10000 units (%zu present): raw %zu bytes, "
	    "gzip %zu bytes (%.1f%%, %.0f bytes/unit)\n",
	    scenario_count(sc), b.len, gzlen, 100.0 * gzlen / b.len,
	    (double)gzlen / scenario_count(sc));
	printf("  (simulating an hour of 10000 units: %.2f s; render and "
	    "gzip: %.3f s)\n", t1 - t0, t2 - t1);
	free(gz);
	apibuf_done(&b);
	scenario_free(sc);
}

int
main(void)
{
	struct border_map	*map;
	char			 why[512], buf[4096];
	const char		*path;

	if ((path = map_default_path(buf, sizeof buf)) == NULL ||
	    map_load_file(path, &map, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_wire: cannot load the map\n");
		return (1);
	}
	printf("bench_wire: coordination API v1 bytes on the wire\n");
	bench_incremental(map);
	bench_full(map);
	border_free(map);
	return (0);
}
