/*
 * test_sim.c: the real bordercop-sim, started on a free loopback port and
 * spoken to over HTTP/1.1 by a small raw-socket client.
 *
 * Every test starts its own server and the teardown kills it whatever
 * happened, so a failing assertion never leaves a process behind.
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
#include <zlib.h>

#include "feed.h"
#include "server.h"
#include "xmalloc.h"

#define SIM_BIN		BUILDDIR "/src/bordercop-sim"
#define SIM_MAP		SRCDIR "/maps/us-mx.geojson"
#define SIM_MAN		SRCDIR "/man/bordercop-sim.1"
#define MAXARGS		40

struct sim {
	pid_t	 pid;
	int	 port;
	char	 errpath[64];
	char	 tokpath[64];
};

struct http {
	int	 status;
	char	 head[8192];
	char	*body;
	size_t	 len;
	long	 clen;		/* Content-Length, or -1 */
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

/* Wait up to ms for the child; its wait status, or -1 if still running. */
static int
sim_wait(struct sim *s, long ms)
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

/*
 * Start the server with the common options and extra ones; returns 0 and
 * the port, or -1 when it exited before listening (then s->pid is still
 * set for sim_wait).
 */
static int
sim_start(struct sim *s, ...)
{
	const char	*argv[MAXARGS];
	const char	*a;
	char		 line[256];
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
	argv[n++] = "--instance";
	argv[n++] = "test";
	va_start(ap, s);
	while ((a = va_arg(ap, const char *)) != NULL && n < MAXARGS - 1)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;

	snprintf(s->errpath, sizeof s->errpath, "/tmp/test_sim.err.XXXXXX");
	assert_true((efd = mkstemp(s->errpath)) >= 0);
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

	/* "listening on 127.0.0.1:PORT\n", within 20 s. */
	len = 0;
	s->port = -1;
	for (i = 0; i < 200 && len < sizeof line - 1; i++) {
		p.fd = pfd[0];
		p.events = POLLIN;
		if (poll(&p, 1, 100) <= 0)
			continue;
		r = read(pfd[0], line + len, sizeof line - 1 - len);
		if (r <= 0)
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

/* Stop with SIGTERM; the server must exit 0 (within 10 s). */
static void
sim_stop(struct sim *s)
{
	int	st;

	assert_int_equal(kill(s->pid, SIGTERM), 0);
	st = sim_wait(s, 10000);
	assert_true(st != -1);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int
sim_setup(void **state)
{
	struct sim	*s;

	s = xcalloc(1, sizeof *s);
	s->pid = -1;
	*state = s;
	return (0);
}

static int
sim_teardown(void **state)
{
	struct sim	*s = *state;

	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	if (s->errpath[0] != '\0')
		unlink(s->errpath);
	if (s->tokpath[0] != '\0')
		unlink(s->tokpath);
	free(s);
	return (0);
}

/* One request on a fresh connection; headers as "Name: value\r\n"... */
static void
http_req(struct sim *s, const char *method, const char *path,
    const char *headers, struct http *h)
{
	struct sockaddr_in	 sin;
	struct timeval		 tv;
	char			*req, *raw, *end, *cl;
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
	assert_true(xasprintf(&req, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    "Connection: close\r\n%s\r\n", method, path,
	    headers != NULL ? headers : "") > 0);
	assert_int_equal(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	free(req);

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

	end = strstr(raw, "\r\n\r\n");
	assert_non_null(end);
	assert_true((size_t)(end - raw) + 3 < sizeof h->head);
	memcpy(h->head, raw, (size_t)(end - raw) + 2);
	h->head[end - raw + 2] = '\0';
	assert_int_equal(sscanf(h->head, "HTTP/1.1 %d", &h->status), 1);
	h->len = len - (size_t)(end + 4 - raw);
	h->body = xmalloc(h->len + 1);
	memcpy(h->body, end + 4, h->len);
	h->body[h->len] = '\0';
	free(raw);
	h->clen = -1;
	if ((cl = strcasestr(h->head, "\r\nContent-Length:")) != NULL)
		h->clen = strtol(cl + 17, NULL, 10);
	assert_null(strcasestr(h->head, "Transfer-Encoding: chunked"));
}

/* A header's value (copied into buf), or NULL. */
static const char *
http_header(const struct http *h, const char *name, char *buf, size_t len)
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
http_done(struct http *h)
{
	free(h->body);
	h->body = NULL;
}

static void
parse_ok(const struct http *h, struct feed_msg *msg)
{
	char	why[512];

	if (feed_parse(h->body, h->len, codes, msg, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
	assert_int_equal(msg->nrejected, 0);
	assert_string_equal(msg->api, "bordercop-coordination/1.1");
	assert_non_null(msg->cursor);
}

static char *
inflate_all(const char *in, size_t len, size_t *outlen)
{
	z_stream	 zs;
	char		*out;
	size_t		 cap;
	int		 r;

	memset(&zs, 0, sizeof zs);
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	cap = len * 20 + 1024;
	out = xmalloc(cap);
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)out;
	zs.avail_out = (uInt)cap;
	r = inflate(&zs, Z_FINISH);
	assert_int_equal(r, Z_STREAM_END);
	*outlen = zs.total_out;
	inflateEnd(&zs);
	return (out);
}

static void
test_full_etag_304(void **state)
{
	struct sim	*s = *state;
	struct http	 h, h2;
	struct feed_msg	 msg;
	char		 etag[128], buf[256], hdr[300];

	assert_int_equal(sim_start(s, "--tick", "3600", NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(http_header(&h, "Content-Type", buf, sizeof buf),
	    "application/geo+json");
	/* Until the next version, an hour away (a second may be gone). */
	assert_string_equal(http_header(&h, "Cache-Control", buf,
	    sizeof buf), "max-age=3599, s-maxage=3599, "
	    "stale-while-revalidate=3600, stale-if-error=60");
	assert_string_equal(http_header(&h, "Vary", buf, sizeof buf),
	    "Accept-Encoding");
	assert_null(http_header(&h, "Content-Encoding", buf, sizeof buf));
	assert_non_null(http_header(&h, "ETag", etag, sizeof etag));
	assert_true(etag[0] == '"' && etag[strlen(etag) - 1] == '"');
	assert_int_equal(h.clen, (long)h.len);
	parse_ok(&h, &msg);
	assert_true(msg.full);
	assert_true(msg.nreports > 250 && msg.nreports <= 300);
	assert_true(msg.server_time == 1795824000.0);
	feed_msg_done(&msg);

	/* The same ETag, strong or weakened by a proxy: 304, no body. */
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
	http_req(s, "GET", "/v1/positions", hdr, &h2);
	assert_int_equal(h2.status, 304);
	assert_int_equal(h2.len, 0);
	assert_string_equal(http_header(&h2, "ETag", buf, sizeof buf), etag);
	http_done(&h2);
	snprintf(hdr, sizeof hdr, "If-None-Match: \"x\", W/%s\r\n", etag);
	http_req(s, "GET", "/v1/positions", hdr, &h2);
	assert_int_equal(h2.status, 304);
	http_done(&h2);
	/* Another tag: the whole answer again. */
	http_req(s, "GET", "/v1/positions", "If-None-Match: \"other\"\r\n",
	    &h2);
	assert_int_equal(h2.status, 200);
	assert_int_equal(h2.len, h.len);
	http_done(&h2);

	/* HEAD: headers alike, no body. */
	http_req(s, "HEAD", "/v1/positions", NULL, &h2);
	assert_int_equal(h2.status, 200);
	assert_int_equal(h2.len, 0);
	assert_string_equal(http_header(&h2, "ETag", buf, sizeof buf), etag);
	http_done(&h2);
	http_done(&h);
	sim_stop(s);
}

static void
test_cursors(void **state)
{
	struct sim	*s = *state;
	struct http	 h, h2;
	struct feed_msg	 msg, msg2;
	char		 etag[128], path[256], hdr[300];

	assert_int_equal(sim_start(s, "--tick", "3600", NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	assert_non_null(http_header(&h, "ETag", etag, sizeof etag));
	parse_ok(&h, &msg);

	/* A known cursor: incremental (nothing new yet). */
	snprintf(path, sizeof path, "/v1/positions?since=%s", msg.cursor);
	http_req(s, "GET", path, NULL, &h2);
	assert_int_equal(h2.status, 200);
	parse_ok(&h2, &msg2);
	assert_false(msg2.full);
	assert_int_equal(msg2.nreports, 0);
	assert_string_equal(msg2.cursor, msg.cursor);
	feed_msg_done(&msg2);
	http_done(&h2);

	/* The unchanged poll: current cursor plus the last ETag is 304. */
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", etag);
	http_req(s, "GET", path, hdr, &h2);
	assert_int_equal(h2.status, 304);
	assert_int_equal(h2.len, 0);
	http_done(&h2);

	/* Unknown cursors: another run's, or nonsense: full answers. */
	http_req(s, "GET", "/v1/positions?since=1.otherrun", NULL, &h2);
	parse_ok(&h2, &msg2);
	assert_true(msg2.full);
	assert_int_equal(msg2.nreports, msg.nreports);
	feed_msg_done(&msg2);
	http_done(&h2);
	http_req(s, "GET", "/v1/positions?since=zzzzz.test", NULL, &h2);
	parse_ok(&h2, &msg2);
	assert_true(msg2.full);
	feed_msg_done(&msg2);
	http_done(&h2);
	http_req(s, "GET", "/v1/positions?since=%25%00", NULL, &h2);
	parse_ok(&h2, &msg2);
	assert_true(msg2.full);
	feed_msg_done(&msg2);
	http_done(&h2);

	feed_msg_done(&msg);
	http_done(&h);
	sim_stop(s);
}

/* A running simulation: incremental answers carry what moved. */
static void
test_incremental(void **state)
{
	struct sim	*s = *state;
	struct http	 h, h2;
	struct feed_msg	 msg, msg2;
	char		 path[256];
	int		 i;

	assert_int_equal(sim_start(s, "--tick", "0.1", "--speed", "600",
	    NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	parse_ok(&h, &msg);
	snprintf(path, sizeof path, "/v1/positions?since=%s", msg.cursor);
	for (i = 0; i < 100; i++) {
		msleep(100);
		http_req(s, "GET", path, NULL, &h2);
		parse_ok(&h2, &msg2);
		if (msg2.nreports > 0)
			break;
		feed_msg_done(&msg2);
		http_done(&h2);
	}
	assert_true(i < 100);
	assert_false(msg2.full);
	assert_true(msg2.nreports < msg.nreports);
	assert_string_not_equal(msg2.cursor, msg.cursor);
	assert_true(msg2.server_time > msg.server_time);
	feed_msg_done(&msg2);
	http_done(&h2);
	feed_msg_done(&msg);
	http_done(&h);
	sim_stop(s);
}

static void
test_gzip(void **state)
{
	struct sim	*s = *state;
	struct http	 h, hz, h2;
	char		 buf[256], etag[128], etagz[128], *plain;
	size_t		 plen;

	assert_int_equal(sim_start(s, "--tick", "3600", NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: gzip\r\n", &hz);
	assert_int_equal(hz.status, 200);
	assert_string_equal(http_header(&hz, "Content-Encoding", buf,
	    sizeof buf), "gzip");
	assert_true(hz.len < h.len / 4);
	plain = inflate_all(hz.body, hz.len, &plen);
	assert_int_equal(plen, h.len);
	assert_memory_equal(plain, h.body, plen);
	free(plain);
	/* One ETag per encoding. */
	http_header(&h, "ETag", etag, sizeof etag);
	http_header(&hz, "ETag", etagz, sizeof etagz);
	assert_string_not_equal(etag, etagz);
	http_done(&hz);

	/* q-values: refused gzip, wildcards. */
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: gzip;q=0, "
	    "identity\r\n", &h2);
	assert_null(http_header(&h2, "Content-Encoding", buf, sizeof buf));
	assert_int_equal(h2.len, h.len);
	http_done(&h2);
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: br, *;q=0.5\r\n",
	    &h2);
	assert_non_null(http_header(&h2, "Content-Encoding", buf, sizeof buf));
	http_done(&h2);
	http_done(&h);
	sim_stop(s);

	assert_true(server_accepts_gzip("gzip"));
	assert_true(server_accepts_gzip("deflate, GZIP;q=0.3"));
	assert_true(server_accepts_gzip("x-gzip"));
	assert_false(server_accepts_gzip("gzip;q=0"));
	assert_false(server_accepts_gzip("gzip; q=0.000, *"));
	assert_false(server_accepts_gzip("deflate, br"));
	assert_false(server_accepts_gzip("*;q=0"));
	assert_false(server_accepts_gzip("gzipx"));
	assert_false(server_accepts_gzip(""));
	assert_true(server_accepts_gzip("*"));
}

static void
test_paths_methods(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	char		 buf[64];

	assert_int_equal(sim_start(s, "--tick", "3600", "--units", "20",
	    NULL), 0);
	http_req(s, "GET", "/v1/other", NULL, &h);
	assert_int_equal(h.status, 404);
	http_done(&h);
	http_req(s, "GET", "/", NULL, &h);
	assert_int_equal(h.status, 404);
	http_done(&h);
	http_req(s, "POST", "/v1/positions", "Content-Length: 0\r\n", &h);
	assert_int_equal(h.status, 405);
	assert_non_null(http_header(&h, "Allow", buf, sizeof buf));
	http_done(&h);
	http_req(s, "DELETE", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 405);
	http_done(&h);
	sim_stop(s);
}

static void
write_token(struct sim *s, mode_t mode)
{
	int	fd;

	snprintf(s->tokpath, sizeof s->tokpath, "/tmp/test_sim.tok.XXXXXX");
	assert_true((fd = mkstemp(s->tokpath)) >= 0);
	assert_int_equal(write(fd, "s3cret-T0ken\n", 13), 13);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static void
test_token(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	char		 buf[128];

	write_token(s, 0600);
	assert_int_equal(sim_start(s, "--tick", "3600", "--units", "20",
	    "--token-file", s->tokpath, NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 401);
	assert_non_null(http_header(&h, "WWW-Authenticate", buf, sizeof buf));
	assert_memory_equal(buf, "Bearer", 6);
	http_done(&h);
	http_req(s, "GET", "/v1/positions",
	    "Authorization: Bearer s3cret-T0ke\r\n", &h);
	assert_int_equal(h.status, 401);
	http_done(&h);
	http_req(s, "GET", "/v1/positions",
	    "Authorization: Basic czNjcmV0LVQwa2Vu\r\n", &h);
	assert_int_equal(h.status, 401);
	http_done(&h);
	http_req(s, "GET", "/v1/positions",
	    "Authorization: Bearer s3cret-T0ken\r\n", &h);
	assert_int_equal(h.status, 200);
	http_done(&h);
	sim_stop(s);
}

static char *
read_err(const struct sim *s)
{
	FILE	*f;
	char	*buf;
	size_t	 n;

	buf = xcalloc(1, 4096);
	assert_non_null(f = fopen(s->errpath, "r"));
	n = fread(buf, 1, 4095, f);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static void
test_token_mode(void **state)
{
	struct sim	*s = *state;
	char		*err;
	int		 st;

	write_token(s, 0644);
	assert_int_equal(sim_start(s, "--token-file", s->tokpath, NULL), -1);
	st = sim_wait(s, 10000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_not_equal(WEXITSTATUS(st), 0);
	err = read_err(s);
	assert_non_null(strstr(err, s->tokpath));
	assert_non_null(strstr(err, "group or others"));
	free(err);
}

/* A token file that is a FIFO is refused at once, not waited on. */
static void
test_token_fifo(void **state)
{
	struct sim	*s = *state;
	char		*err;
	int		 st;

	snprintf(s->tokpath, sizeof s->tokpath, "/tmp/test_sim.fifo.%ld",
	    (long)getpid());
	unlink(s->tokpath);
	assert_int_equal(mkfifo(s->tokpath, 0600), 0);
	assert_int_equal(sim_start(s, "--token-file", s->tokpath, NULL), -1);
	st = sim_wait(s, 10000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_not_equal(WEXITSTATUS(st), 0);
	err = read_err(s);
	assert_non_null(strstr(err, "not a regular file"));
	free(err);
}

static void
test_usage(void **state)
{
	struct sim	*s = *state;
	int		 st;

	char		*err;

	assert_int_equal(sim_start(s, "--units", "0", NULL), -1);
	st = sim_wait(s, 10000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);

	/* More units than a client accepts in one full answer. */
	unlink(s->errpath);
	assert_int_equal(sim_start(s, "--units", "100001", NULL), -1);
	st = sim_wait(s, 10000);
	assert_true(st != -1 && WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 2);
	err = read_err(s);
	assert_non_null(strstr(err, "1 to 100000"));
	free(err);

	/* A list of faults with a kind missing, at either end. */
	{
		const char	*bad[] = { "status,", ",status", "status,,delay",
		    "", "nonsense" };
		size_t		 i;

		for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			unlink(s->errpath);
			assert_int_equal(sim_start(s, "--fault", bad[i], NULL),
			    -1);
			st = sim_wait(s, 10000);
			assert_true(st != -1 && WIFEXITED(st));
			assert_int_equal(WEXITSTATUS(st), 2);
		}
	}
}

static void
test_fault_status(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	char		 buf[64];

	assert_int_equal(sim_start(s, "--units", "20", "--fault", "status",
	    "--fault-status", "500", "--retry-after", "7", "--fault-after",
	    "1", "--fault-count", "2", NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);	/* --fault-after 1 */
	http_done(&h);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 500);
	assert_string_equal(http_header(&h, "Retry-After", buf, sizeof buf),
	    "7");
	http_done(&h);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 500);
	http_done(&h);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);	/* --fault-count 2 */
	http_done(&h);
	sim_stop(s);
}

static void
test_fault_toggle(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	int		 i;

	assert_int_equal(sim_start(s, "--units", "20", "--fault", "status",
	    NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 503);
	assert_null(strcasestr(h.head, "Retry-After"));
	http_done(&h);
	/* SIGUSR1 turns faults off. */
	assert_int_equal(kill(s->pid, SIGUSR1), 0);
	for (i = 0; i < 100; i++) {
		http_req(s, "GET", "/v1/positions", NULL, &h);
		if (h.status == 200)
			break;
		http_done(&h);
		msleep(50);
	}
	assert_int_equal(h.status, 200);
	http_done(&h);
	sim_stop(s);
}

static void
test_fault_garbage(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	struct feed_msg	 msg;
	char		 why[256];

	assert_int_equal(sim_start(s, "--units", "20", "--fault", "garbage",
	    NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	assert_true(h.len > 0);
	assert_int_not_equal(feed_parse(h.body, h.len, codes, &msg, why,
	    sizeof why), BC_OK);
	http_done(&h);
	sim_stop(s);
}

static void
test_fault_truncate(void **state)
{
	struct sim	*s = *state;
	struct http	 h;

	assert_int_equal(sim_start(s, "--fault", "truncate", NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	assert_true(h.clen > 0);
	assert_true((long)h.len < h.clen);
	http_done(&h);
	sim_stop(s);
}

/* Slow and delayed answers still arrive whole. */
static void
test_fault_slow_delay(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	struct feed_msg	 msg;

	assert_int_equal(sim_start(s, "--units", "4", "--fault", "slow,delay",
	    "--fault-slow-bps", "8000", "--fault-delay", "200", NULL), 0);
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: identity\r\n",
	    &h);
	assert_int_equal(h.status, 200);
	assert_int_equal((long)h.len, h.clen);
	parse_ok(&h, &msg);
	assert_int_equal(msg.nreports + 0 > 0, 1);
	feed_msg_done(&msg);
	http_done(&h);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	parse_ok(&h, &msg);
	feed_msg_done(&msg);
	http_done(&h);
	sim_stop(s);
}

/* %00 in the path is not the end of it: 404, never the positions. */
static void
test_nul_in_path(void **state)
{
	struct sim	*s = *state;
	struct http	 h;

	assert_int_equal(sim_start(s, "--units", "2", NULL), 0);
	http_req(s, "GET", "/v1/positions%00", NULL, &h);
	assert_int_equal(h.status, 404);
	http_done(&h);
	http_req(s, "GET", "/v1/positions%00.json", NULL, &h);
	assert_int_equal(h.status, 404);
	http_done(&h);
	/* Other escapes are decoded as before. */
	http_req(s, "GET", "/v1/%70ositions", NULL, &h);
	assert_int_equal(h.status, 200);
	http_done(&h);
	sim_stop(s);
}

/*
 * A client that sends its request head one byte every 2 s is never
 * silent for the idle limit (15 s), but its head must be whole 15 s
 * after it connected: the connection is closed then, not held.
 */
static void
test_slow_head(void **state)
{
	struct sim		*s = *state;
	struct sockaddr_in	 sin;
	struct pollfd		 pfd;
	struct timespec		 t0, t1;
	char			 c;
	double			 el = -1;
	int			 fd, i;

	assert_int_equal(sim_start(s, "--units", "2", NULL), 0);
	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)s->port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(send(fd, "GET /v1/positions HTTP/1.1\r\nX-Slow: ",
	    37, MSG_NOSIGNAL), 37);
	for (i = 0; i < 15; i++) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		/* Readable: an end of file, or an error answer. */
		if (poll(&pfd, 1, 2000) == 1) {
			if (read(fd, &c, 1) < 0)
				c = 0;
			clock_gettime(CLOCK_MONOTONIC, &t1);
			el = (double)(t1.tv_sec - t0.tv_sec) +
			    (t1.tv_nsec - t0.tv_nsec) / 1e9;
			break;
		}
		if (send(fd, "a", 1, MSG_NOSIGNAL) != 1) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			el = (double)(t1.tv_sec - t0.tv_sec) +
			    (t1.tv_nsec - t0.tv_nsec) / 1e9;
			break;
		}
	}
	close(fd);
	if (el < 0)
		fail_msg("the connection was still open after 30 s");
	assert_true(el > 14 && el < 20);
	sim_stop(s);
}

/* One strong ETag, one content: an answer's server_time moves only with
   its version, so two answers of one version decode to the same bytes
   whatever their encoding, even while no unit moves (one unit). */
static void
test_version_time(void **state)
{
	struct sim	*s = *state;
	struct http	 h1, h2, hz;
	char		 e1[128], e2[128], ez[128], *plain;
	size_t		 plen, n;
	int		 tries;

	assert_int_equal(sim_start(s, "--units", "1", "--tick", "1", NULL),
	    0);
	http_req(s, "GET", "/v1/positions", NULL, &h1);
	msleep(2300);
	http_req(s, "GET", "/v1/positions", NULL, &h2);
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: gzip\r\n", &hz);
	assert_int_equal(h1.status, 200);
	assert_int_equal(h2.status, 200);
	assert_non_null(http_header(&h1, "ETag", e1, sizeof e1));
	assert_non_null(http_header(&h2, "ETag", e2, sizeof e2));
	assert_non_null(http_header(&hz, "ETag", ez, sizeof ez));
	/* Two seconds on, the time moved: a new version, a new tag. */
	assert_string_not_equal(e1, e2);
	assert_true(strcmp(h1.body, h2.body) != 0);
	/* "tag-version-enc": the same version in both encodings is
	   the same content.  A tick may fall between the two requests:
	   then ask again, until a pair of one version is compared (a
	   second a tick, some milliseconds a pair: a few tries at most). */
	for (tries = 0;; tries++) {
		n = strlen(e2);
		if (n == strlen(ez) && strncmp(e2, ez, n - 3) == 0)
			break;
		if (tries == 20)
			fail_msg("no two answers of one version: %s, %s", e2,
			    ez);
		http_done(&h2);
		http_done(&hz);
		http_req(s, "GET", "/v1/positions", NULL, &h2);
		http_req(s, "GET", "/v1/positions", "Accept-Encoding: gzip\r\n",
		    &hz);
		assert_non_null(http_header(&h2, "ETag", e2, sizeof e2));
		assert_non_null(http_header(&hz, "ETag", ez, sizeof ez));
	}
	assert_true(hz.len > 0);
	plain = inflate_all(hz.body, hz.len, &plen);
	assert_int_equal(plen, h2.len);
	assert_memory_equal(plain, h2.body, plen);
	free(plain);
	http_done(&h1);
	http_done(&h2);
	http_done(&hz);
	sim_stop(s);
}

/* Cache-Control: a shared cache keeps an answer for the whole seconds
   left of its version, at least 1, never past it by more than a second
   (a cache would serve an answer past its version); stale while
   revalidating for a tick. */
static void
test_max_age(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	char		 buf[160], want[160];
	unsigned	 k, i;

	assert_int_equal(sim_start(s, "--units", "4", "--tick", "3.6", NULL),
	    0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	assert_string_equal(http_header(&h, "Cache-Control", buf, sizeof buf),
	    "max-age=3, s-maxage=3, stale-while-revalidate=4, "
	    "stale-if-error=60");
	http_done(&h);
	/* Later in the version: fewer seconds left, never 0. */
	for (i = 0; i < 4; i++) {
		msleep(900);
		http_req(s, "GET", "/v1/positions", NULL, &h);
		assert_int_equal(h.status, 200);
		assert_non_null(http_header(&h, "Cache-Control", buf,
		    sizeof buf));
		assert_int_equal(sscanf(buf, "max-age=%u,", &k), 1);
		assert_true(k >= 1 && k <= 3);
		snprintf(want, sizeof want, "max-age=%u, s-maxage=%u, "
		    "stale-while-revalidate=4, stale-if-error=60", k, k);
		assert_string_equal(buf, want);
		http_done(&h);
	}
	sim_stop(s);
}

/*
 * API 1.1: the ETag names the version, not the cursor.  The tag of the
 * answer that brought a client to a version is the tag of the answer to
 * its next URL (its new cursor) while nothing changed, so a cache that
 * holds that answer says 304 to it; and every client at one version asks
 * for the same URL.  The tags are short enough for nginx (128 bytes).
 */
static void
test_etag_cursor_free(void **state)
{
	struct sim	*s = *state;
	struct http	 h, h2, h3;
	struct feed_msg	 msg, msg2;
	char		 e1[160], e2[160], e3[160], path[256], hdr[300];

	assert_int_equal(sim_start(s, "--units", "30", "--tick", "1.5",
	    "--speed", "120", NULL), 0);
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: gzip\r\n", &h);
	assert_int_equal(h.status, 200);
	assert_non_null(http_header(&h, "ETag", e1, sizeof e1));
	assert_true(strlen(e1) <= 128);
	http_done(&h);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	parse_ok(&h, &msg);
	snprintf(path, sizeof path, "/v1/positions?since=%s", msg.cursor);
	http_req(s, "GET", path, "Accept-Encoding: gzip\r\n", &h2);
	assert_int_equal(h2.status, 200);
	assert_non_null(http_header(&h2, "ETag", e2, sizeof e2));
	/* Same version (unless a tick fell between): the same tag, for the
	   full answer and the empty incremental one. */
	http_req(s, "GET", "/v1/positions", "Accept-Encoding: gzip\r\n", &h3);
	assert_non_null(http_header(&h3, "ETag", e3, sizeof e3));
	if (strcmp(e3, e1) == 0)
		assert_string_equal(e2, e1);
	http_done(&h3);
	http_done(&h2);
	/* A tick later: the old cursor gets the changes, a new tag. */
	msleep(1700);
	http_req(s, "GET", path, NULL, &h2);
	assert_int_equal(h2.status, 200);
	parse_ok(&h2, &msg2);
	assert_false(msg2.full);
	assert_true(msg2.nreports > 0);
	assert_string_not_equal(msg2.cursor, msg.cursor);
	assert_non_null(http_header(&h2, "ETag", e2, sizeof e2));
	assert_non_null(http_header(&h, "ETag", e1, sizeof e1));
	assert_string_not_equal(e1, e2);
	/* The client moves to the new cursor with that tag: 304 while
	   nothing changes (the tick is 1.5 s: asked at once). */
	snprintf(path, sizeof path, "/v1/positions?since=%s", msg2.cursor);
	snprintf(hdr, sizeof hdr, "If-None-Match: %s\r\n", e2);
	http_req(s, "GET", path, hdr, &h3);
	if (h3.status != 304) {
		/* A tick fell between: the changes, with a new tag. */
		assert_int_equal(h3.status, 200);
		assert_non_null(http_header(&h3, "ETag", e3, sizeof e3));
		assert_string_not_equal(e3, e2);
	} else
		assert_int_equal(h3.len, 0);
	http_done(&h3);
	/* A 0.1.0 client (API 1.0) sends the tag of the old form,
	   "tag-version-since-enc", with the current cursor: still 304. */
	/* e2 is "\"test-V-i\"": take V. */
	assert_memory_equal(e2, "\"test-", 6);
	snprintf(hdr, sizeof hdr, "If-None-Match: \"test-%.*s-1-i\"\r\n",
	    (int)(strlen(e2) - 9), e2 + 6);
	http_req(s, "GET", path, hdr, &h3);
	if (h3.status == 304)
		assert_int_equal(h3.len, 0);
	else {
		/* A tick fell between: the new version. */
		assert_int_equal(h3.status, 200);
		assert_non_null(http_header(&h3, "ETag", e3, sizeof e3));
		assert_string_not_equal(e3, e2);
	}
	http_done(&h3);
	feed_msg_done(&msg2);
	http_done(&h2);
	feed_msg_done(&msg);
	http_done(&h);
	sim_stop(s);
}

static void
write_file(char *path, size_t len, const char *text)
{
	int	fd;

	snprintf(path, len, "/tmp/test_sim.part.XXXXXX");
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)),
	    (ssize_t)strlen(text));
	close(fd);
}

/*
 * Partitions: one token per side.  Each side's answers name it, their
 * tags differ, and they vary on Authorization, so a cache told to key on
 * the token never mixes them; a token of neither side is refused.
 */
static void
test_partition(void **state)
{
	struct sim	*s = *state;
	struct http	 hu, hm, h;
	char		 us[64], mx[64], opt_us[100], opt_mx[100];
	char		 eu[160], em[160], buf[160], hdr[300];
	char		*err;

	write_file(us, sizeof us, "us-T0ken\n");
	write_file(mx, sizeof mx, "mx-T0ken\n");
	snprintf(opt_us, sizeof opt_us, "US=%s", us);
	snprintf(opt_mx, sizeof opt_mx, "MX=%s", mx);
	assert_int_equal(sim_start(s, "--tick", "3600", "--units", "20",
	    "--token-file", opt_us, "--token-file", opt_mx, NULL), 0);
	http_req(s, "GET", "/v1/positions",
	    "Authorization: Bearer us-T0ken\r\n", &hu);
	http_req(s, "GET", "/v1/positions",
	    "Authorization: Bearer mx-T0ken\r\n", &hm);
	assert_int_equal(hu.status, 200);
	assert_int_equal(hm.status, 200);
	assert_non_null(strstr(hu.body, "\"partition\":\"US\""));
	assert_null(strstr(hu.body, "\"partition\":\"MX\""));
	assert_non_null(strstr(hm.body, "\"partition\":\"MX\""));
	assert_non_null(http_header(&hu, "ETag", eu, sizeof eu));
	assert_non_null(http_header(&hm, "ETag", em, sizeof em));
	assert_string_not_equal(eu, em);
	assert_string_equal(http_header(&hu, "Vary", buf, sizeof buf),
	    "Accept-Encoding, Authorization");
	/* The US tag is no 304 for MX. */
	snprintf(hdr, sizeof hdr, "Authorization: Bearer mx-T0ken\r\n"
	    "If-None-Match: %s\r\n", eu);
	http_req(s, "GET", "/v1/positions", hdr, &h);
	assert_int_equal(h.status, 200);
	http_done(&h);
	http_req(s, "GET", "/v1/positions",
	    "Authorization: Bearer xx-T0ken\r\n", &h);
	assert_int_equal(h.status, 401);
	http_done(&h);
	http_done(&hu);
	http_done(&hm);
	sim_stop(s);

	/* A side the map does not have is a usage error. */
	snprintf(opt_us, sizeof opt_us, "GT=%s", us);
	assert_int_equal(sim_start(s, "--token-file", opt_us, NULL), -1);
	assert_true(WEXITSTATUS(sim_wait(s, 10000)) == 2);
	err = read_err(s);
	assert_non_null(strstr(err, "GT=: not a side of the map"));
	free(err);
	unlink(us);
	unlink(mx);
}

/* The delay fault gives the same answer, late: a 304 stays a 304. */
static void
test_fault_delay_304(void **state)
{
	struct sim	*s = *state;
	struct http	 h;
	char		 etag[128], inm[200];

	assert_int_equal(sim_start(s, "--units", "4", "--tick", "3600",
	    "--fault", "delay", "--fault-delay", "100", NULL), 0);
	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	assert_non_null(http_header(&h, "ETag", etag, sizeof etag));
	http_done(&h);
	snprintf(inm, sizeof inm, "If-None-Match: %s\r\n", etag);
	http_req(s, "GET", "/v1/positions", inm, &h);
	assert_int_equal(h.status, 304);
	assert_int_equal(h.len, 0);
	http_done(&h);
	sim_stop(s);
}

/* --help and the man page list the same options. */
static void
test_help_man(void **state)
{
	struct sim	*s = *state;
	FILE		*f;
	char		 line[512], man[65536], want[128], *p, *q;
	size_t		 n, nopt;
	int		 st, pfd[2];

	assert_non_null(f = fopen(SIM_MAN, "r"));
	n = fread(man, 1, sizeof man - 1, f);
	man[n] = '\0';
	fclose(f);

	assert_int_equal(pipe(pfd), 0);
	s->pid = fork();
	if (s->pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		execl(SIM_BIN, SIM_BIN, "--help", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	assert_non_null(f = fdopen(pfd[0], "r"));
	nopt = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		if ((p = strstr(line, "  --")) == NULL)
			continue;
		p += 4;
		/* "Fl \-name" with the man page's escaped hyphens. */
		q = want + snprintf(want, sizeof want, "Fl \\-");
		for (; *p != ' ' && *p != '\n' && *p != '\0'; p++) {
			if (*p == '-')
				*q++ = '\\';
			*q++ = *p;
		}
		*q = '\0';
		if (strstr(man, want) == NULL)
			fail_msg("%s missing from the man page", want);
		nopt++;
	}
	fclose(f);
	st = sim_wait(s, 10000);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_true(nopt >= 19);
}

#define HALF_OPEN	600	/* more than the server's 512 connections */

/*
 * Half-open connections (a request head that never ends) from one
 * address cannot lock others out: the server takes only a few per
 * address, and drops silent ones.  They come from 127.0.0.2, the test's
 * own requests from 127.0.0.1.
 */
static void
test_half_open(void **state)
{
	struct sim		*s = *state;
	struct sockaddr_in	 src, dst;
	struct http		 h;
	static int		 fds[HALF_OPEN];
	static const char	 partial[] = "GET /v1/positions HTTP/1.1\r\n"
				    "Host: 127.0.0.1\r\n";
	size_t			 i, n = 0;
	int			 fd;

	assert_int_equal(sim_start(s, "--units", "20", NULL), 0);
	memset(&src, 0, sizeof src);
	src.sin_family = AF_INET;
	src.sin_addr.s_addr = htonl(0x7f000002);
	memset(&dst, 0, sizeof dst);
	dst.sin_family = AF_INET;
	dst.sin_port = htons((uint16_t)s->port);
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < HALF_OPEN; i++) {
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
			break;
		if (bind(fd, (struct sockaddr *)&src, sizeof src) == -1) {
			close(fd);
			if (i == 0) {
				fprintf(stderr, "cannot bind 127.0.0.2: "
				    "skipped\n");
				skip();
			}
			break;
		}
		if (connect(fd, (struct sockaddr *)&dst, sizeof dst) == -1 ||
		    write(fd, partial, sizeof partial - 1) == -1) {
			close(fd);
			continue;
		}
		fds[n++] = fd;
	}
	assert_true(n > 512);
	/* Let the server take in what it will. */
	msleep(500);

	http_req(s, "GET", "/v1/positions", NULL, &h);
	assert_int_equal(h.status, 200);
	http_done(&h);

	for (i = 0; i < n; i++)
		close(fds[i]);
	sim_stop(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, sim_setup, sim_teardown)
		T(test_full_etag_304),
		T(test_cursors),
		T(test_incremental),
		T(test_gzip),
		T(test_paths_methods),
		T(test_token),
		T(test_token_mode),
		T(test_usage),
		T(test_fault_status),
		T(test_fault_toggle),
		T(test_fault_garbage),
		T(test_fault_truncate),
		T(test_fault_slow_delay),
		T(test_version_time),
		T(test_nul_in_path),
		T(test_slow_head),
		T(test_fault_delay_304),
		T(test_max_age),
		T(test_etag_cursor_free),
		T(test_partition),
		T(test_help_man),
		T(test_half_open),
		T(test_token_fifo),
#undef T
	};

	signal(SIGPIPE, SIG_IGN);
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
