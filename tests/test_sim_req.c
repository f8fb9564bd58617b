/*
 * test_sim_req.c: requests between the sides (API v1.1) against the real
 * bordercop-sim with a token per side: authorization that changes
 * nothing when refused, replayed ids, refused texts, the rate limit,
 * cursors, ETags and gzip, kill -9 between storing and answering, and
 * an accepted cover request moving the simulated side's units.
 *
 * Every test starts its own server in its own temporary directory; the
 * teardown kills it and removes the directory whatever happened.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/poll.h>	/* src/poll.h shadows <poll.h> */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "border.h"
#include "feed.h"
#include "map.h"
#include "reqbook.h"
#include "reqfeed.h"
#include "reqpoll.h"
#include "xmalloc.h"

#define SIM_BIN		BUILDDIR "/src/bordercop-sim"
#define SIM_MAP		SRCDIR "/maps/us-mx.geojson"
#define MAXARGS		40
#define US_AUTH		"Authorization: Bearer us-t0ken\r\n"
#define MX_AUTH		"Authorization: Bearer mx-t0ken\r\n"
#define EXPIRES		"2026-11-28T01:00:00Z"

struct rsim {
	pid_t	 pid;
	int	 port;
	char	 dir[64];
	char	 usarg[128];
	char	 mxarg[128];
	char	 state[96];
};

struct resp {
	int	 status;
	char	 head[4096];
	char	*body;
	size_t	 len;
};

static const char *const codes[NSIDES] = { "US", "MX" };

static void
msleep(long ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static void
write_file(const char *path, const char *text)
{
	int	fd;

	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) >=
	    0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static int
rsim_setup(void **state)
{
	struct rsim	*s;
	char		 path[96];

	s = xcalloc(1, sizeof *s);
	s->pid = -1;
	snprintf(s->dir, sizeof s->dir, "/tmp/test_sim_req.XXXXXX");
	assert_non_null(mkdtemp(s->dir));
	snprintf(path, sizeof path, "%s/us", s->dir);
	write_file(path, "us-t0ken\n");
	snprintf(s->usarg, sizeof s->usarg, "US=%s", path);
	snprintf(path, sizeof path, "%s/mx", s->dir);
	write_file(path, "mx-t0ken\n");
	snprintf(s->mxarg, sizeof s->mxarg, "MX=%s", path);
	snprintf(s->state, sizeof s->state, "%s/state", s->dir);
	*state = s;
	return (0);
}

static int
rsim_teardown(void **state)
{
	struct rsim	*s = *state;
	char		 cmd[128];

	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", s->dir);
	free(s);
	return (0);
}

/* Start with both side tokens and extra options; 0 when listening. */
static int
rsim_start(struct rsim *s, ...)
{
	const char	*argv[MAXARGS], *a;
	char		 line[256], errpath[128];
	va_list		 ap;
	size_t		 n, len;
	int		 pfd[2], efd, i;
	struct pollfd	 p;
	ssize_t		 r;

	n = 0;
	argv[n++] = SIM_BIN;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--map";
	argv[n++] = SIM_MAP;
	argv[n++] = "--start";
	argv[n++] = "2026-11-28T00:00:00Z";
	argv[n++] = "--units";
	argv[n++] = "300";
	argv[n++] = "--token-file";
	argv[n++] = s->usarg;
	argv[n++] = "--token-file";
	argv[n++] = s->mxarg;
	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) != NULL && n < MAXARGS - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;

	snprintf(errpath, sizeof errpath, "%s/stderr", s->dir);
	assert_true((efd = open(errpath, O_WRONLY | O_CREAT | O_APPEND,
	    0600)) >= 0);
	assert_int_equal(pipe(pfd), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		dup2(pfd[1], 1);
		dup2(efd, 2);
		close(pfd[0]);
		close(pfd[1]);
		close(efd);
		execv(argv[0], (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(pfd[1]);
	close(efd);
	len = 0;
	s->port = -1;
	for (i = 0; i < 200 && len < sizeof line - 1; i++) {
		p.fd = pfd[0];
		p.events = POLLIN;
		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((r = read(pfd[0], line + len, sizeof line - 1 - len)) <= 0)
			break;
		len += (size_t)r;
		line[len] = '\0';
		if (strchr(line, '\n') != NULL) {
			if (sscanf(line, "listening on 127.0.0.1:%d",
			    &s->port) != 1)
				s->port = -1;
			break;
		}
	}
	close(pfd[0]);
	return (s->port > 0 ? 0 : -1);
}

/* Wait up to ms for the server to end; its wait status, or -1. */
static int
rsim_wait(struct rsim *s, long ms)
{
	int	st;

	for (; ms >= 0; ms -= 20) {
		if (waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->pid = -1;
			return (st);
		}
		msleep(20);
	}
	return (-1);
}

/* One HTTP/1.1 exchange with an optional body; status 0 when the
   connection closed without an answer. */
static void
req(struct rsim *s, const char *method, const char *path,
    const char *headers, const char *body, struct resp *h)
{
	struct sockaddr_in	 sin;
	struct timeval		 tv;
	char			*out, *raw, *end;
	size_t			 len, cap;
	ssize_t			 r;
	int			 fd;

	memset(h, 0, sizeof *h);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	tv.tv_sec = 30;
	tv.tv_usec = 0;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)s->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	if (body != NULL)
		assert_true(xasprintf(&out, "%s %s HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\nContent-Type: application/json\r\n"
		    "Content-Length: %zu\r\n%s\r\n%s", method, path,
		    strlen(body), headers != NULL ? headers : "", body) > 0);
	else
		assert_true(xasprintf(&out, "%s %s HTTP/1.1\r\nHost: x\r\n"
		    "Connection: close\r\n%s\r\n", method, path,
		    headers != NULL ? headers : "") > 0);
	assert_int_equal(write(fd, out, strlen(out)), (ssize_t)strlen(out));
	free(out);
	cap = 65536;
	raw = xmalloc(cap + 1);
	len = 0;
	while ((r = read(fd, raw + len, cap - len)) > 0) {
		len += (size_t)r;
		if (len == cap) {
			cap *= 2;
			raw = xreallocarray(raw, cap + 1, 1);
		}
	}
	close(fd);
	raw[len] = '\0';
	if (len == 0) {
		free(raw);
		h->body = xstrdup("");
		return;
	}
	assert_non_null(end = strstr(raw, "\r\n\r\n"));
	assert_true((size_t)(end - raw) + 3 < sizeof h->head);
	memcpy(h->head, raw, (size_t)(end - raw) + 2);
	h->head[end - raw + 2] = '\0';
	assert_int_equal(sscanf(h->head, "HTTP/1.1 %d", &h->status), 1);
	h->len = len - (size_t)(end + 4 - raw);
	h->body = xmalloc(h->len + 1);
	memcpy(h->body, end + 4, h->len);
	h->body[h->len] = '\0';
	free(raw);
}

static const char *
header(const struct resp *h, const char *name, char *buf, size_t len)
{
	char		 pat[128];
	const char	*p, *e;

	snprintf(pat, sizeof pat, "\r\n%s:", name);
	if ((p = strcasestr(h->head, pat)) == NULL)
		return (NULL);
	p += strlen(pat);
	while (*p == ' ')
		p++;
	e = strstr(p, "\r\n");
	snprintf(buf, len, "%.*s", (int)(e - p), p);
	return (buf);
}

static void
done(struct resp *h)
{
	free(h->body);
	h->body = NULL;
}

/* The requests a side sees now (full list). */
static void
list(struct rsim *s, const char *auth, struct reqfeed_msg *m)
{
	struct resp	h;
	char		why[256];

	req(s, "GET", "/v1/requests", auth, NULL, &h);
	assert_int_equal(h.status, 200);
	if (reqfeed_parse_list(h.body, h.len, codes, m, why, sizeof why) !=
	    BC_OK)
		fail_msg("%s", why);
	assert_int_equal(m->nrejected, 0);
	done(&h);
}

#define COVER(id, extra) "{\"id\":\"" id "\",\"kind\":\"cover\"," \
	"\"from_km\":620,\"to_km\":630,\"sector\":\"TCA\"," \
	"\"expires\":\"" EXPIRES "\"" extra "}"

/* Refused calls answer 401/403 and leave the store as it was. */
static void
test_authorization(void **state)
{
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	char			 buf[128];

	assert_int_equal(rsim_start(s, "--tick", "3600", NULL), 0);
	req(s, "GET", "/v1/requests", NULL, NULL, &h);
	assert_int_equal(h.status, 401);
	assert_non_null(header(&h, "WWW-Authenticate", buf, sizeof buf));
	done(&h);
	req(s, "GET", "/v1/requests", "Authorization: Bearer nope\r\n", NULL,
	    &h);
	assert_int_equal(h.status, 401);
	done(&h);
	req(s, "POST", "/v1/requests", NULL, COVER("us-1", ""), &h);
	assert_int_equal(h.status, 401);
	done(&h);

	/* A US token creating as MX. */
	req(s, "POST", "/v1/requests", US_AUTH,
	    COVER("us-1", ",\"sender\":\"MX\""), &h);
	assert_int_equal(h.status, 403);
	assert_string_equal(h.body, "a US token cannot create a request as "
	    "MX\n");
	done(&h);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 0);
	reqfeed_msg_done(&m);

	/* As its own side (named or not): created, from US to MX. */
	req(s, "POST", "/v1/requests", US_AUTH,
	    COVER("us-1", ",\"sender\":\"US\""), &h);
	assert_int_equal(h.status, 201);
	done(&h);
	/* The sender answering its own request. */
	req(s, "POST", "/v1/requests/us-1/state", US_AUTH,
	    "{\"state\":\"accepted\"}", &h);
	assert_int_equal(h.status, 403);
	assert_string_equal(h.body,
	    "state: only the addressee may make a request accepted\n");
	done(&h);
	req(s, "POST", "/v1/requests/us-1/state", NULL,
	    "{\"state\":\"accepted\"}", &h);
	assert_int_equal(h.status, 401);
	done(&h);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 1);
	assert_int_equal(m.reqs[0].sender, 0);
	assert_int_equal(m.reqs[0].addressee, 1);
	assert_int_equal(m.reqs[0].state, RS_SENT);	/* nothing changed */
	reqfeed_msg_done(&m);

	/* The addressee fetched it: delivered; it accepts. */
	list(s, MX_AUTH, &m);
	assert_int_equal(m.reqs[0].state, RS_DELIVERED);
	assert_int_equal(m.reqs[0].stamps[RS_DELIVERED].side,
	    REQ_SIDE_SERVER);
	reqfeed_msg_done(&m);
	req(s, "POST", "/v1/requests/us-1/state", MX_AUTH,
	    "{\"state\":\"accepted\"}", &h);
	assert_int_equal(h.status, 200);
	done(&h);
	/* A step back: refused as a conflict, named. */
	req(s, "POST", "/v1/requests/us-1/state", MX_AUTH,
	    "{\"state\":\"seen\"}", &h);
	assert_int_equal(h.status, 409);
	assert_string_equal(h.body, "state: seen cannot follow accepted\n");
	done(&h);
	req(s, "POST", "/v1/requests/nosuch/state", MX_AUTH,
	    "{\"state\":\"seen\"}", &h);
	assert_int_equal(h.status, 404);
	done(&h);
	list(s, US_AUTH, &m);
	assert_int_equal(m.reqs[0].state, RS_ACCEPTED);
	assert_int_equal(m.reqs[0].stamps[RS_ACCEPTED].side, 1);
	assert_true(m.reqs[0].stamps[RS_ACCEPTED].t == 1795824000.0);
	reqfeed_msg_done(&m);

	/* A side token reads positions too. */
	req(s, "GET", "/v1/positions", MX_AUTH, NULL, &h);
	assert_int_equal(h.status, 200);
	done(&h);
	req(s, "GET", "/v1/positions", NULL, NULL, &h);
	assert_int_equal(h.status, 401);
	done(&h);
}

/* A retry with the same id is the same request; another body under a
   taken id is a conflict.  Texts are refused with their reason. */
static void
test_replay_and_text(void **state)
{
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	char			 body[1024], big[300];

	assert_int_equal(rsim_start(s, "--tick", "3600", NULL), 0);
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-7", ""), &h);
	assert_int_equal(h.status, 201);
	assert_non_null(strstr(h.body, "\"state\":\"sent\""));
	done(&h);
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-7", ""), &h);
	assert_int_equal(h.status, 200);
	done(&h);
	req(s, "POST", "/v1/requests", US_AUTH,
	    COVER("us-7", ",\"text\":\"other\""), &h);
	assert_int_equal(h.status, 409);
	assert_string_equal(h.body, "id us-7: taken by another request\n");
	done(&h);
	/* The other side cannot take the id either. */
	req(s, "POST", "/v1/requests", MX_AUTH, COVER("us-7", ""), &h);
	assert_int_equal(h.status, 409);
	done(&h);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 1);
	assert_string_equal(m.reqs[0].text, "");
	reqfeed_msg_done(&m);

	memset(big, 'a', 281);
	big[281] = '\0';
	snprintf(body, sizeof body, "{\"id\":\"us-8\",\"kind\":\"message\","
	    "\"from_km\":1,\"to_km\":2,\"expires\":\"" EXPIRES "\","
	    "\"text\":\"%s\"}", big);
	req(s, "POST", "/v1/requests", US_AUTH, body, &h);
	assert_int_equal(h.status, 400);
	assert_string_equal(h.body, "text: longer than 280 bytes\n");
	done(&h);
	req(s, "POST", "/v1/requests", US_AUTH,
	    COVER("us-9", ",\"text\":\"go \\u001b[31mnow\""), &h);
	assert_int_equal(h.status, 400);
	assert_string_equal(h.body, "text: control characters, escape "
	    "sequences or invalid UTF-8\n");
	done(&h);
	req(s, "POST", "/v1/requests", US_AUTH,
	    "{\"id\":\"us-10\",\"kind\":\"cover\",\"from_km\":620,"
	    "\"to_km\":9999,\"expires\":\"" EXPIRES "\"}", &h);
	assert_int_equal(h.status, 400);
	assert_string_equal(h.body,
	    "from_km, to_km: outside the line (0..3308.513 km)\n");
	done(&h);
	list(s, MX_AUTH, &m);
	assert_int_equal(m.nreqs, 1);
	reqfeed_msg_done(&m);
}

static void
test_rate_limit(void **state)
{
	struct rsim	*s = *state;
	struct resp	 h;
	char		 buf[32];
	int		 i;

	assert_int_equal(rsim_start(s, "--tick", "3600", "--rate-limit", "3",
	    NULL), 0);
	for (i = 0; i < 3; i++) {
		req(s, "GET", "/v1/requests", US_AUTH, NULL, &h);
		assert_int_equal(h.status, 200);
		done(&h);
	}
	req(s, "GET", "/v1/requests", US_AUTH, NULL, &h);
	assert_int_equal(h.status, 429);
	assert_non_null(header(&h, "Retry-After", buf, sizeof buf));
	assert_true(atoi(buf) >= 1 && atoi(buf) <= 20);
	done(&h);
	/* Per token: the other side is not held back. */
	req(s, "GET", "/v1/requests", MX_AUTH, NULL, &h);
	assert_int_equal(h.status, 200);
	done(&h);
}

/* Polling rules: cursor, ETag and 304, gzip, server time. */
static void
test_cursor_etag_gzip(void **state)
{
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	char			 etag[160], hdr[256], path[256], body[600];
	char			 why[256], cursor[64], text[260];
	int			 i;

	assert_int_equal(rsim_start(s, "--tick", "3600", NULL), 0);
	req(s, "GET", "/v1/requests", US_AUTH, NULL, &h);
	assert_int_equal(h.status, 200);
	assert_non_null(header(&h, "ETag", etag, sizeof etag));
	assert_int_equal(reqfeed_parse_list(h.body, h.len, codes, &m, why,
	    sizeof why), BC_OK);
	assert_true(m.server_time == 1795824000.0);
	assert_true(m.full);
	snprintf(cursor, sizeof cursor, "%s", m.cursor);
	reqfeed_msg_done(&m);
	done(&h);
	snprintf(hdr, sizeof hdr, US_AUTH "If-None-Match: %s\r\n", etag);
	snprintf(path, sizeof path, "/v1/requests?since=%s", cursor);
	req(s, "GET", path, hdr, NULL, &h);
	assert_int_equal(h.status, 304);
	assert_int_equal(h.len, 0);
	done(&h);

	memset(text, 'w', 250);
	text[250] = '\0';
	for (i = 0; i < 4; i++) {
		snprintf(body, sizeof body, "{\"id\":\"mx-%d\",\"kind\":"
		    "\"info\",\"from_km\":%d,\"to_km\":%d,\"expires\":\""
		    EXPIRES "\",\"text\":\"%s\"}", i, 100 + i, 101 + i, text);
		req(s, "POST", "/v1/requests", MX_AUTH, body, &h);
		assert_int_equal(h.status, 201);
		done(&h);
	}
	/* Changed: 200, only what is new since the cursor. */
	req(s, "GET", path, hdr, NULL, &h);
	assert_int_equal(h.status, 200);
	assert_int_equal(reqfeed_parse_list(h.body, h.len, codes, &m, why,
	    sizeof why), BC_OK);
	assert_false(m.full);
	assert_int_equal(m.nreqs, 4);
	assert_int_equal(m.reqs[0].sender, 1);
	reqfeed_msg_done(&m);
	done(&h);
	req(s, "GET", "/v1/requests", US_AUTH "Accept-Encoding: gzip\r\n",
	    NULL, &h);
	assert_int_equal(h.status, 200);
	assert_non_null(header(&h, "Content-Encoding", etag, sizeof etag));
	assert_string_equal(etag, "gzip");
	assert_true(h.len < 4 * 250);
	done(&h);
	/* A cursor of another run: the whole list. */
	req(s, "GET", "/v1/requests?since=1.zzzz", US_AUTH, NULL, &h);
	assert_non_null(strstr(h.body, "\"full\":true"));
	done(&h);
}

/*
 * kill -9 after the request is stored and before it is answered, then a
 * restart on the same state directory: the client's retry finds the
 * request, which exists exactly once.
 */
static void
test_crash_exactly_once(void **state)
{
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	int			 st;

	assert_int_equal(rsim_start(s, "--tick", "3600", "--state-dir",
	    s->state, "--fault", "crash", NULL), 0);
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-42", ""), &h);
	assert_int_equal(h.status, 0);		/* no answer at all */
	done(&h);
	st = rsim_wait(s, 10000);
	assert_true(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

	assert_int_equal(rsim_start(s, "--tick", "3600", "--state-dir",
	    s->state, NULL), 0);
	/* The retry: the same request, not a new one. */
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-42", ""), &h);
	assert_int_equal(h.status, 200);
	done(&h);
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-43", ""), &h);
	assert_int_equal(h.status, 201);
	done(&h);
	list(s, MX_AUTH, &m);
	assert_int_equal(m.nreqs, 2);
	assert_string_equal(m.reqs[0].id, "us-42");
	assert_string_equal(m.reqs[1].id, "us-43");
	assert_true(m.reqs[1].seq > m.reqs[0].seq);
	reqfeed_msg_done(&m);

	/* And a plain kill -9 in the middle of things loses nothing. */
	assert_int_equal(kill(s->pid, SIGKILL), 0);
	rsim_wait(s, 10000);
	assert_int_equal(rsim_start(s, "--tick", "3600", "--state-dir",
	    s->state, NULL), 0);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 2);
	assert_int_equal(m.reqs[0].state, RS_DELIVERED);
	reqfeed_msg_done(&m);
}

/* A torn last record (kill -9 mid-write) is skipped, the rest kept. */
static void
test_torn_record(void **state)
{
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	char			 path[160];
	FILE			*f;

	assert_int_equal(rsim_start(s, "--tick", "3600", "--state-dir",
	    s->state, NULL), 0);
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-1", ""), &h);
	assert_int_equal(h.status, 201);
	done(&h);
	assert_int_equal(kill(s->pid, SIGKILL), 0);
	rsim_wait(s, 10000);
	snprintf(path, sizeof path, "%s/requests.jsonl", s->state);
	assert_non_null(f = fopen(path, "a"));
	fputs("{\"id\":\"us-2\",\"sender\":\"US\",\"addr", f);
	fclose(f);
	assert_int_equal(rsim_start(s, "--tick", "3600", "--state-dir",
	    s->state, NULL), 0);
	req(s, "POST", "/v1/requests", US_AUTH, COVER("us-2", ""), &h);
	assert_int_equal(h.status, 201);
	done(&h);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 2);
	reqfeed_msg_done(&m);
	/* And the file reads back whole after that. */
	assert_int_equal(kill(s->pid, SIGKILL), 0);
	rsim_wait(s, 10000);
	assert_int_equal(rsim_start(s, "--tick", "3600", "--state-dir",
	    s->state, NULL), 0);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 2);
	reqfeed_msg_done(&m);
}

/*
 * The simulated MX officer accepts a cover request, and an MX unit goes
 * to the stretch: within the simulated hours, one reports there
 * responding, on its own side.
 */
static void
test_accept_moves_units(void **state)
{
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	struct feed_msg		 msg;
	struct border_map	*map;
	struct placement	 pl;
	char			 why[256];
	size_t			 i;
	int			 tries, found = 0, accepted = 0;

	assert_int_equal(map_load_file(SIM_MAP, &map, why, sizeof why), BC_OK);
	assert_int_equal(rsim_start(s, "--tick", "0.2", "--speed", "600",
	    "--auto-answer", "MX", "--auto-delay", "0", NULL), 0);
	req(s, "POST", "/v1/requests", US_AUTH,
	    "{\"id\":\"us-5\",\"kind\":\"cover\",\"from_km\":1500,"
	    "\"to_km\":1504,\"expires\":\"2026-11-28T12:00:00Z\"}", &h);
	assert_int_equal(h.status, 201);
	done(&h);
	for (tries = 0; tries < 100 && !found; tries++) {
		msleep(200);
		if (!accepted) {
			list(s, US_AUTH, &m);
			accepted = m.nreqs == 1 &&
			    m.reqs[0].state == RS_ACCEPTED &&
			    m.reqs[0].stamps[RS_ACCEPTED].side == 1;
			reqfeed_msg_done(&m);
			continue;
		}
		req(s, "GET", "/v1/positions", US_AUTH, NULL, &h);
		assert_int_equal(h.status, 200);
		assert_int_equal(feed_parse(h.body, h.len, codes, &msg, why,
		    sizeof why), BC_OK);
		for (i = 0; i < msg.nreports; i++) {
			if (msg.reports[i].side != 1 ||
			    msg.reports[i].status != STATUS_RESPONDING)
				continue;
			border_locate(map, msg.reports[i].lat,
			    msg.reports[i].lon, &pl);
			if (pl.s_km >= 1499 && pl.s_km <= 1505 &&
			    pl.d_km < 0)
				found = 1;
		}
		feed_msg_done(&msg);
		done(&h);
	}
	assert_true(accepted);
	assert_true(found);
	border_free(map);
}

static double
wall(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
client_open(struct rsim *s, struct reqbook *b)
{
	struct reqbook_config	c;
	char			path[160], why[256];

	memset(&c, 0, sizeof c);
	c.side_codes[0] = "US";
	c.side_codes[1] = "MX";
	c.side = 0;
	snprintf(path, sizeof path, "%s/requests.queue", s->dir);
	c.queue_path = path;
	if (reqbook_init(b, &c, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
}

static enum bc_status
client_sync(struct rsim *s, struct reqbook *b, int port, char *why,
    size_t whylen)
{
	struct reqpoll_config	 pc;
	struct reqpoll		*rp;
	struct event_log	 log;
	char			 url[64];
	enum bc_status		 st;

	snprintf(url, sizeof url, "http://127.0.0.1:%d/", port);
	memset(&pc, 0, sizeof pc);
	pc.base_url = url;
	pc.token = "us-t0ken";
	assert_int_equal(reqpoll_new(&pc, &rp, why, whylen), BC_OK);
	events_init(&log, 16);
	st = reqpoll_sync(rp, b, wall, 1795824000.0, &log, why, whylen);
	events_done(&log);
	reqpoll_free(rp);
	(void)s;
	return (st);
}

/*
 * bordercop restarted with queued requests sends each exactly once: two
 * requests composed while the link is down stay queued; one of them
 * reaches the server without the client recording it (killed in
 * between); after a restart the client sends both again, with the same
 * ids, and the server has each once.
 */
static void
test_client_queue_exactly_once(void **state)
{
	struct rsim		*s = *state;
	struct reqbook		 b;
	struct reqfeed_msg	 m;
	struct resp		 h;
	struct apibuf		 body;
	char			 why[256], id1[REQ_ID_MAX + 1];
	char			 id2[REQ_ID_MAX + 1], listen[32];
	int			 port, create;
	long			 i;

	assert_int_equal(rsim_start(s, "--tick", "3600", NULL), 0);
	port = s->port;
	assert_int_equal(kill(s->pid, SIGKILL), 0);
	rsim_wait(s, 10000);

	client_open(s, &b);
	assert_int_equal(reqbook_compose(&b, REQ_COVER, 620, 630, "G3", "TCA",
	    "cover please", NAN, 1795824000.0, 3308.513, id1, why,
	    sizeof why), BC_OK);
	assert_int_equal(reqbook_compose(&b, REQ_INFO, 700, 701, NULL, NULL,
	    NULL, NAN, 1795824000.0, 3308.513, id2, why, sizeof why), BC_OK);
	/* The link is down: nothing leaves the queue. */
	assert_int_equal(client_sync(s, &b, port, why, sizeof why), BC_NET);
	assert_string_equal(reqbook_state_text(&b.v[0]), "queued");
	assert_string_equal(reqbook_state_text(&b.v[1]), "queued");

	/* The first one reaches the server, the client dies unaware. */
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	assert_int_equal(rsim_start(s, "--tick", "3600", "--listen", listen,
	    NULL), 0);
	apibuf_init(&body);
	i = reqbook_next(&b, &create, &body);
	assert_int_equal(i, 0);
	req(s, "POST", "/v1/requests", US_AUTH, body.p, &h);
	assert_int_equal(h.status, 201);
	done(&h);
	apibuf_done(&body);
	reqbook_done(&b);

	/* Restarted: both are sent, with the same ids. */
	client_open(s, &b);
	assert_int_equal(b.n, 2);
	if (client_sync(s, &b, port, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
	assert_string_equal(reqbook_find(&b, id1)->r.id, id1);
	assert_string_equal(reqbook_state_text(reqbook_find(&b, id1)),
	    "sent");
	assert_string_equal(reqbook_state_text(reqbook_find(&b, id2)),
	    "sent");
	reqbook_done(&b);
	list(s, MX_AUTH, &m);
	assert_int_equal(m.nreqs, 2);
	assert_true(strcmp(m.reqs[0].id, id1) == 0 ||
	    strcmp(m.reqs[1].id, id1) == 0);
	assert_true(strcmp(m.reqs[0].id, id2) == 0 ||
	    strcmp(m.reqs[1].id, id2) == 0);
	reqfeed_msg_done(&m);
	/* And once more: nothing is left to send. */
	client_open(s, &b);
	assert_int_equal(b.n, 0);
	reqbook_done(&b);
}

/* A 429 (the rate limit) leaves the request queued, through a restart. */
static void
test_client_rate_limited(void **state)
{
	struct rsim		*s = *state;
	struct reqbook		 b;
	struct resp		 h;
	char			 why[256], id[REQ_ID_MAX + 1];

	assert_int_equal(rsim_start(s, "--tick", "3600", "--rate-limit", "1",
	    NULL), 0);
	req(s, "GET", "/v1/requests", US_AUTH, NULL, &h);	/* the one */
	assert_int_equal(h.status, 200);
	done(&h);
	client_open(s, &b);
	assert_int_equal(reqbook_compose(&b, REQ_COVER, 620, 630, NULL, NULL,
	    NULL, NAN, 1795824000.0, 3308.513, id, why, sizeof why), BC_OK);
	assert_int_equal(client_sync(s, &b, s->port, why, sizeof why),
	    BC_NET);
	assert_string_equal(why, "requests: HTTP 429");
	assert_string_equal(b.carrier, "requests: HTTP 429");	/* shown */
	assert_string_equal(reqbook_state_text(&b.v[0]), "queued");
	reqbook_done(&b);
	client_open(s, &b);
	assert_int_equal(b.n, 1);	/* still queued after a restart */
	reqbook_done(&b);
}

/*
 * An escaped NUL in any string member of a POST: 400 naming the member,
 * nothing stored under the part before the NUL (the reviewer's cases:
 * each was 201 or 200, stored cut).
 */
static void
test_nul_refused(void **state)
{
	static const struct {
		const char	*body;
		const char	*reason;
	} posts[] = {
		{ COVER("t1", ",\"text\":\"ab\\u0000cd\""),
		    "text: a NUL character\n" },
		{ COVER("t5\\u0000evil", ""), "id: a NUL character\n" },
		{ "{\"id\":\"t6\",\"kind\":\"cover\\u0000x\",\"from_km\":620,"
		    "\"to_km\":630,\"expires\":\"" EXPIRES "\"}",
		    "kind: a NUL character\n" },
		{ COVER("t7", ",\"sender\":\"US\\u0000MX\""),
		    "sender: a NUL character\n" },
		{ COVER("t8", ",\"gap\":\"G1\\u0000X\""),
		    "gap: a NUL character\n" },
		{ "{\"id\":\"t9\",\"kind\":\"cover\",\"from_km\":620,"
		    "\"to_km\":630,\"sector\":\"TCA\\u0000X\",\"expires\":\""
		    EXPIRES "\"}",
		    "sector: a NUL character\n" },
		{ "{\"id\":\"t10\",\"kind\":\"cover\",\"from_km\":620,"
		    "\"to_km\":630,\"expires\":\"" EXPIRES "\\u0000junk\"}",
		    "expires: a NUL character\n" },
	};
	struct rsim		*s = *state;
	struct resp		 h;
	struct reqfeed_msg	 m;
	size_t			 i;

	assert_int_equal(rsim_start(s, "--tick", "3600", NULL), 0);
	for (i = 0; i < sizeof posts / sizeof posts[0]; i++) {
		req(s, "POST", "/v1/requests", US_AUTH, posts[i].body, &h);
		if (h.status != 400 || strcmp(h.body, posts[i].reason) != 0)
			fail_msg("%s: %d %s", posts[i].body, h.status, h.body);
		done(&h);
	}
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 0);
	reqfeed_msg_done(&m);

	/* A state change: the reason and the state. */
	req(s, "POST", "/v1/requests", US_AUTH, COVER("t2", ""), &h);
	assert_int_equal(h.status, 201);
	done(&h);
	req(s, "POST", "/v1/requests/t2/state", MX_AUTH,
	    "{\"state\":\"declined\",\"reason\":\"no\\u0000 hidden part\"}",
	    &h);
	assert_int_equal(h.status, 400);
	assert_string_equal(h.body, "reason: a NUL character\n");
	done(&h);
	req(s, "POST", "/v1/requests/t2/state", MX_AUTH,
	    "{\"state\":\"declined\\u0000x\",\"reason\":\"busy\"}", &h);
	assert_int_equal(h.status, 400);
	assert_string_equal(h.body, "state: a NUL character\n");
	done(&h);
	list(s, US_AUTH, &m);
	assert_int_equal(m.nreqs, 1);
	assert_int_equal(m.reqs[0].state, RS_SENT);
	assert_string_equal(m.reqs[0].reason, "");
	reqfeed_msg_done(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, rsim_setup, \
		    rsim_teardown)
		T(test_authorization),
		T(test_replay_and_text),
		T(test_nul_refused),
		T(test_rate_limit),
		T(test_cursor_etag_gzip),
		T(test_crash_exactly_once),
		T(test_torn_record),
		T(test_accept_moves_units),
		T(test_client_queue_exactly_once),
		T(test_client_rate_limited),
#undef T
	};

	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
