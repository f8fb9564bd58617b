/*
 * test_poll.c: the API poller against the real bordercop-sim.
 *
 * Each test starts bordercop-sim from the build tree on a random loopback
 * port (--listen 127.0.0.1:0, the port read from its first line of
 * output) and stops it after.  The poller's clock is a counter advanced
 * by the test; only libcurl measures real time.
 */
#include "config.h"

#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "feed.h"
#include "map.h"
#include "poll.h"
#include "source.h"
#include "unit.h"
#include "watch.h"

#define TOKEN	"s3cret-T0ken_for.tests"

struct sim {
	pid_t		pid;
	int		out;		/* its stdout, kept open */
	unsigned	port;
	char		url[64];
};

static double	clk = 1.9e9;	/* the injected clock, epoch s */
static pid_t	live_sim;	/* a simulator to stop after a failure */
static char	tmpdir[] = "/tmp/test_poll.XXXXXX";

static const char *
sim_path(void)
{
	static char	 path[4096];
	const char	*cand[] = { "/bordercop-sim", "/src/bordercop-sim" };
	size_t		 i;

	for (i = 0; i < sizeof cand / sizeof cand[0]; i++) {
		snprintf(path, sizeof path, "%s%s", BUILDDIR, cand[i]);
		if (access(path, X_OK) == 0)
			return (path);
	}
	return (NULL);
}

static void
nap_ms(long ms)
{
	struct timespec	ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * A canned HTTP server: a forked child on a free loopback port that
 * answers the i-th connection with the i-th answer (the last one again
 * after the end), written raw, and then closes the connection.  An answer
 * may pause pause_ms after its first pause_at bytes (slow links).  Each
 * request head is appended to a log file, so that tests can check what
 * the poller sent.
 */
struct canned_answer {
	const char	*text;
	size_t		 pause_at;	/* 0: no pause */
	long		 pause_ms;
};

struct canned {
	pid_t		pid;
	unsigned	port;
	char		url[128];
	char		log[64];
};

static pid_t	live_canned;

static void
canned_serve(int lfd, int logfd, const struct canned_answer *ans, size_t n)
{
	const struct canned_answer	*a;
	char				 req[8192];
	size_t				 i, len, tlen;
	ssize_t				 r;
	int				 fd;

	for (i = 0;; i++) {
		if ((fd = accept(lfd, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		/* The request head, up to its blank line. */
		len = 0;
		while (len < sizeof req - 1) {
			r = read(fd, req + len, sizeof req - 1 - len);
			if (r <= 0)
				break;
			len += (size_t)r;
			req[len] = '\0';
			if (strstr(req, "\r\n\r\n") != NULL)
				break;
		}
		if (write(logfd, req, len) < 0 || write(logfd, "\n", 1) < 0)
			_exit(1);
		a = &ans[i < n ? i : n - 1];
		tlen = strlen(a->text);
		if (a->pause_at > 0 && a->pause_at < tlen) {
			if (write(fd, a->text, a->pause_at) < 0)
				_exit(1);
			nap_ms(a->pause_ms);
			if (write(fd, a->text + a->pause_at, tlen -
			    a->pause_at) < 0)
				_exit(1);
		} else if (write(fd, a->text, tlen) < 0)
			_exit(1);
		shutdown(fd, SHUT_WR);
		/* Let the client read it all before the close. */
		while (read(fd, req, sizeof req) > 0)
			;
		close(fd);
	}
}

static void
canned_start(struct canned *c, const struct canned_answer *ans, size_t n)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof sin;
	int			 lfd, logfd;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((lfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(lfd, 16), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sin, &sl), 0);
	c->port = ntohs(sin.sin_port);
	snprintf(c->url, sizeof c->url, "http://127.0.0.1:%u", c->port);
	snprintf(c->log, sizeof c->log, "%s/canned.XXXXXX", tmpdir);
	assert_true((logfd = mkstemp(c->log)) >= 0);
	c->pid = fork();
	assert_true(c->pid >= 0);
	if (c->pid == 0) {
#ifdef __linux__
		prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
		canned_serve(lfd, logfd, ans, n);
		_exit(0);
	}
	live_canned = c->pid;
	close(lfd);
	close(logfd);
}

/* What the poller sent so far (the request heads); free it. */
static char *
canned_requests(const struct canned *c)
{
	FILE	*f;
	char	*text;
	long	 len;

	assert_non_null(f = fopen(c->log, "r"));
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return (text);
}

static void
canned_stop(struct canned *c)
{
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
	live_canned = 0;
	unlink(c->log);
}

/* Start the simulator with extra arguments (NULL-terminated). */
static int
sim_start(struct sim *s, ...)
{
	const char	*argv[40];
	const char	*path = sim_path();
	char		 buf[512];
	struct pollfd	 pfd;
	size_t		 argc = 0, len = 0;
	ssize_t		 n;
	char		*at, *nl;
	int		 fds[2];
	va_list		 ap;

	if (path == NULL)
		return (-1);
	argv[argc++] = path;
	argv[argc++] = "--listen";
	argv[argc++] = "127.0.0.1:0";
	argv[argc++] = "--seed";
	argv[argc++] = "7";
	va_start(ap, s);
	while (argc < 39 && (argv[argc] = va_arg(ap, const char *)) != NULL)
		argc++;
	va_end(ap);
	argv[argc] = NULL;

	if (pipe(fds) == -1)
		return (-1);
	s->pid = fork();
	if (s->pid == -1)
		return (-1);
	if (s->pid == 0) {
#ifdef __linux__
		/* Never outlive the test, even if it dies. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(path, (char *const *)(uintptr_t)argv);
		_exit(127);
	}
	close(fds[1]);
	s->out = fds[0];
	live_sim = s->pid;
	memset(buf, 0, sizeof buf);
	for (;;) {
		pfd.fd = s->out;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 10000) <= 0)
			break;
		n = read(s->out, buf + len, sizeof buf - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		buf[len] = '\0';
		if ((at = strstr(buf, "listening on ")) != NULL &&
		    (nl = strchr(at, '\n')) != NULL) {
			*nl = '\0';
			at = strrchr(at, ':');
			s->port = (unsigned)strtoul(at + 1, NULL, 10);
			snprintf(s->url, sizeof s->url,
			    "http://127.0.0.1:%u", s->port);
			return (s->port > 0 ? 0 : -1);
		}
		if (len >= sizeof buf - 1)
			break;
	}
	fprintf(stderr, "bordercop-sim did not say where it listens: %s\n",
	    buf);
	kill(s->pid, SIGKILL);
	waitpid(s->pid, NULL, 0);
	close(s->out);
	return (-1);
}

static void
sim_stop(struct sim *s)
{
	int	status;

	kill(s->pid, SIGTERM);
	waitpid(s->pid, &status, 0);
	close(s->out);
	live_sim = 0;
	/* It must shut down cleanly on SIGTERM. */
	assert_true(WIFEXITED(status));
}

/* After a failed test: stop its simulator, if still running. */
static int
sim_teardown(void **state)
{
	if (live_sim > 0) {
		kill(live_sim, SIGKILL);
		waitpid(live_sim, NULL, 0);
		live_sim = 0;
	}
	if (live_canned > 0) {
		kill(live_canned, SIGKILL);
		waitpid(live_canned, NULL, 0);
		live_canned = 0;
	}
	return (0);
}

/* Start the simulator, or skip the test if it is not built yet. */
#define SIM_START(s, ...) do {						\
	if (sim_path() == NULL) {					\
		fprintf(stderr, "bordercop-sim is not built: skipped\n"); \
		skip();							\
	}								\
	assert_int_equal(sim_start((s), __VA_ARGS__), 0);		\
} while (0)

static const char *const sides[NSIDES] = { "US", "MX" };

static struct poller *
poller_for(const char *url, const char *token, void (*tune)(
    struct poll_config *))
{
	struct poll_config	 cfg;
	struct poller		*p;
	char			 why[256];

	poll_config_defaults(&cfg);
	cfg.base_url = url;
	cfg.token = token;
	cfg.side_codes[0] = sides[0];
	cfg.side_codes[1] = sides[1];
	cfg.connect_timeout_s = 5;
	cfg.low_speed_s = 5;
	cfg.seed = 42;
	if (tune != NULL)
		tune(&cfg);
	assert_int_equal(poll_new(&cfg, &p, why, sizeof why), BC_OK);
	return (p);
}

/* poll_new with the test defaults: its status (the poller is freed). */
static enum bc_status
poll_new_for(const char *url, const char *token, char *why, size_t whylen)
{
	struct poll_config	 cfg;
	struct poller		*p;
	enum bc_status		 st;

	poll_config_defaults(&cfg);
	cfg.base_url = url;
	cfg.token = token;
	cfg.side_codes[0] = sides[0];
	cfg.side_codes[1] = sides[1];
	why[0] = '\0';
	st = poll_new(&cfg, &p, why, whylen);
	if (st == BC_OK)
		poll_free(p);
	return (st);
}

/* One poll now, applied to t on success; returns the result. */
static enum poll_result
poll_into(struct poller *p, struct unit_table *t, struct feed_msg *keep,
    char *why, size_t whylen)
{
	struct feed_msg		msg;
	enum poll_result	r;

	clk += 1;
	why[0] = '\0';
	r = poll_once(p, clk, &msg, why, whylen);
	if (r == POLL_MESSAGE) {
		feed_apply(&msg, t);
		if (keep != NULL)
			*keep = msg;
		else
			feed_msg_done(&msg);
	}
	return (r);
}

/* Whether two tables hold the same units with the same reports. */
static int
tables_equal(struct unit_table *a, struct unit_table *b)
{
	struct unit	*u, *v;
	size_t		 i;

	if (a->n != b->n)
		return (0);
	for (i = 0; i < a->n; i++) {
		u = &a->v[i];
		if ((v = units_find(b, u->r.id)) == NULL)
			return (0);
		if (u->r.seq != v->r.seq || u->r.lat != v->r.lat ||
		    u->r.lon != v->r.lon || u->r.side != v->r.side ||
		    strcmp(u->r.status_text, v->r.status_text) != 0 ||
		    u->r.time != v->r.time)
			return (0);
	}
	return (1);
}

static void
table_copy(struct unit_table *dst, struct unit_table *src)
{
	size_t	i;

	units_init(dst);
	for (i = 0; i < src->n; i++)
		units_merge(dst, &src->v[i].r);
}

static void
test_merge_equals_full(void **state)
{
	struct sim		 s;
	struct poller		*inc, *full;
	struct unit_table	 a, b;
	struct feed_msg		 msg;
	char			 why[256];
	int			 merged = 0, tries, same = 0;
	enum poll_result	 r;

	SIM_START(&s, "--units", "200", "--speed", "120", "--tick", "0.5",
	    NULL);
	inc = poller_for(s.url, NULL, NULL);
	full = poller_for(s.url, NULL, NULL);
	units_init(&a);
	units_init(&b);

	assert_int_equal(poll_into(inc, &a, &msg, why, sizeof why),
	    POLL_MESSAGE);
	assert_true(msg.full);
	assert_false(poll_last(inc)->incremental);
	assert_true(a.n > 100);
	feed_msg_done(&msg);

	/* Incremental merges while the scenario moves on. */
	for (tries = 0; tries < 20 && merged < 3; tries++) {
		nap_ms(400);
		r = poll_into(inc, &a, &msg, why, sizeof why);
		assert_true(r == POLL_MESSAGE || r == POLL_NOT_MODIFIED);
		assert_true(poll_last(inc)->incremental);
		if (r == POLL_MESSAGE) {
			assert_false(msg.full);
			if (msg.nreports > 0 || msg.nremoved > 0)
				merged++;
			feed_msg_done(&msg);
		}
	}
	assert_true(merged >= 3);

	/* A fresh full poll between two incremental ones that saw no
	   change must give the same table. */
	for (tries = 0; tries < 20 && !same; tries++) {
		poll_into(inc, &a, NULL, why, sizeof why);
		units_clear(&b);
		poll_reset(full);
		assert_int_equal(poll_into(full, &b, NULL, why, sizeof why),
		    POLL_MESSAGE);
		r = poll_into(inc, &a, &msg, why, sizeof why);
		if (r == POLL_NOT_MODIFIED)
			same = 1;
		else if (r == POLL_MESSAGE) {
			same = msg.nreports == 0 && msg.nremoved == 0;
			feed_msg_done(&msg);
		}
	}
	assert_true(same);
	assert_true(tables_equal(&a, &b));
	assert_true(tables_equal(&b, &a));

	units_done(&a);
	units_done(&b);
	poll_free(inc);
	poll_free(full);
	sim_stop(&s);
}

static void
test_not_modified_and_gzip(void **state)
{
	struct sim			 s;
	struct poller			*p;
	struct unit_table		 t;
	const struct link_status	*ls;
	const struct poll_stats		*st;
	char				 why[256];
	uint64_t			 before;
	int				 tries, seen = 0;

	SIM_START(&s, "--units", "300", NULL);
	p = poller_for(s.url, NULL, NULL);
	units_init(&t);
	ls = poll_link(p);
	st = poll_last(p);

	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	/* gzip: asked for, answered, and fewer bytes on the wire than
	   decoded. */
	assert_true(st->gzip);
	assert_true(st->wire_bytes > 0);
	assert_true(st->wire_bytes < st->body_bytes);
	assert_true(ls->bytes_rx == st->wire_bytes);
	assert_int_equal(ls->state, LINK_OK);

	for (tries = 0; tries < 10 && !seen; tries++) {
		poll_into(p, &t, NULL, why, sizeof why);
		before = ls->bytes_rx;
		if (poll_into(p, &t, NULL, why, sizeof why) ==
		    POLL_NOT_MODIFIED) {
			seen = 1;
			assert_int_equal(st->http_code, 304);
			assert_true(st->conditional);
			assert_int_equal(ls->bytes_rx, before);
			assert_int_equal(st->wire_bytes, 0);
			assert_true(ls->not_modified >= 1);
			assert_int_equal(ls->state, LINK_OK);
			assert_true(ls->last_good == clk);
		}
	}
	assert_true(seen);
	units_done(&t);
	poll_free(p);
	sim_stop(&s);
}

static char *
write_file(const char *name, const char *text, mode_t mode)
{
	char	*path;
	FILE	*f;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
	return (path);
}

static void
test_token_load(void **state)
{
	char	*ok, *open_, *group, *fifo, *tok, why[256];

	ok = write_file("tok-ok", TOKEN "\n", 0600);
	open_ = write_file("tok-open", TOKEN "\n", 0644);
	group = write_file("tok-group", TOKEN "\n", 0640);

#ifdef __linux__
	/* Once a token is read, the process writes no core dump. */
	assert_int_equal(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
#endif
	assert_int_equal(poll_token_load(ok, &tok, why, sizeof why), BC_OK);
	assert_string_equal(tok, TOKEN);
	poll_token_free(tok);
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__)
	assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
#endif

	/* Trailing blanks are no part of it, as for bordercop-sim. */
	free(ok);
	ok = write_file("tok-ok", TOKEN " \t\r\n", 0600);
	assert_int_equal(poll_token_load(ok, &tok, why, sizeof why), BC_OK);
	assert_string_equal(tok, TOKEN);
	poll_token_free(tok);

	assert_int_not_equal(poll_token_load(open_, &tok, why, sizeof why),
	    BC_OK);
	assert_null(tok);
	assert_non_null(strstr(why, "group or others"));
	assert_null(strstr(why, TOKEN));
	assert_int_not_equal(poll_token_load(group, &tok, why, sizeof why),
	    BC_OK);
	assert_null(tok);

	/* A FIFO (or a device) is refused at once, not waited on. */
	assert_true(asprintf(&fifo, "%s/tok-fifo", tmpdir) > 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	alarm(20);
	assert_int_equal(poll_token_load(fifo, &tok, why, sizeof why), BC_IO);
	alarm(0);
	assert_null(tok);
	assert_non_null(strstr(why, "not a regular file"));
	unlink(fifo);
	free(fifo);

	/* The environment's token is read once and removed, so that
	   children never see it. */
	setenv("BORDERCOP_TOKEN", "from-env", 1);
	{
		/* Wiped where it was, too (ps e, /proc/PID/environ). */
		const char	*was = getenv("BORDERCOP_TOKEN");

		assert_int_equal(poll_token_load(NULL, &tok, why, sizeof why),
		    BC_OK);
		assert_null(strstr(was, "from-env"));
	}
	assert_string_equal(tok, "from-env");
	assert_null(getenv("BORDERCOP_TOKEN"));
	poll_token_free(tok);
	setenv("BORDERCOP_TOKEN", "two words", 1);
	assert_int_not_equal(poll_token_load(NULL, &tok, why, sizeof why),
	    BC_OK);
	unsetenv("BORDERCOP_TOKEN");
	assert_int_equal(poll_token_load(NULL, &tok, why, sizeof why), BC_OK);
	assert_null(tok);

	unlink(ok);
	unlink(open_);
	unlink(group);
	free(ok);
	free(open_);
	free(group);
}

static void
test_token_required(void **state)
{
	struct sim			 s;
	struct poller			*p;
	struct unit_table		 t;
	char				 why[256], *path;

	path = write_file("sim-token", TOKEN "\n", 0600);
	SIM_START(&s, "--units", "50", "--token-file", path, NULL);
	units_init(&t);

	p = poller_for(s.url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_int_equal(poll_last(p)->status, BC_AUTH);
	assert_non_null(strstr(why, "not authorized"));
	assert_non_null(strstr(why, "token"));
	assert_int_equal(poll_link(p)->state, LINK_DOWN);
	assert_non_null(strstr(poll_link(p)->error, "not authorized"));
	assert_int_equal(t.n, 0);
	poll_free(p);

	p = poller_for(s.url, "wrong-token", NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_non_null(strstr(why, "check the token"));
	assert_null(strstr(why, "wrong-token"));
	poll_free(p);

	p = poller_for(s.url, TOKEN, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	assert_true(t.n > 0);
	assert_int_equal(poll_link(p)->state, LINK_OK);
	poll_free(p);

	units_done(&t);
	sim_stop(&s);
	unlink(path);
	free(path);
}

static void
tune_fast(struct poll_config *cfg)
{
	cfg->low_speed_s = 1;
	cfg->slow_s = 0.5;
}

/*
 * A fault case: the first request is healthy, the next `count` are
 * faulted, then the server is healthy again.
 */
struct fault_case {
	const char		*name;
	const char		*args[6];
	int			 count;
	int			 full;		/* fault a full answer */
	enum link_state		 state;		/* while faulted */
	const char		*why;		/* in the error */
	double			 retry_after;
};

static const struct fault_case fault_cases[] = {
	{ "status 503", { "--fault", "status", "--fault-status", "503",
	    "--retry-after", "7" }, 2, 0, LINK_DOWN, "HTTP 503", 7 },
	{ "status 500", { "--fault", "status", "--fault-status", "500",
	    NULL }, 2, 0, LINK_DOWN, "HTTP 500", 0 },
	{ "truncate", { "--fault", "truncate", NULL }, 2, 1, LINK_DOWN,
	    "truncated",
	    0 },
	{ "garbage", { "--fault", "garbage", NULL }, 2, 0, LINK_DOWN,
	    "malformed answer", 0 },
	{ "delay", { "--fault", "delay", "--fault-delay", "2500", NULL }, 1,
	    0, LINK_DOWN, "timed out", 0 },
	{ "slow", { "--fault", "slow", "--fault-slow-bps", "4000", NULL }, 1,
	    1, LINK_SLOW, NULL, 0 },
};

static void
run_fault(const struct fault_case *fc)
{
	struct sim			 s;
	struct poller			*p;
	struct unit_table		 t, snap;
	const struct link_status	*ls;
	char				 why[256], count[16];
	enum poll_result		 r;
	int				 i;

	snprintf(count, sizeof count, "%d", fc->count);
	SIM_START(&s, "--units", "100", "--fault-after", "1", "--fault-count",
	    count, "--fault-rate", "1", fc->args[0], fc->args[1],
	    fc->args[2], fc->args[3], fc->args[4], fc->args[5], NULL);
	p = poller_for(s.url, NULL, tune_fast);
	ls = poll_link(p);
	units_init(&t);

	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	assert_true(t.n > 0);
	for (i = 0; i < fc->count; i++) {
		table_copy(&snap, &t);
		if (fc->full)
			poll_reset(p);
		r = poll_into(p, &t, NULL, why, sizeof why);
		if (fc->state == LINK_SLOW) {
			assert_int_equal(r, POLL_MESSAGE);
			assert_int_equal(ls->state, LINK_SLOW);
			assert_true(poll_last(p)->total_s > 0.5);
		} else {
			if (r != POLL_FAILED)
				fail_msg("%s: poll %d: expected a failure, "
				    "got %d", fc->name, i, r);
			assert_int_equal(ls->state, LINK_DOWN);
			assert_int_equal(ls->failures, (unsigned)i + 1);
			assert_true(why[0] != '\0');
			assert_non_null(strstr(ls->error, fc->why));
			if (getenv("TEST_POLL_VERBOSE") != NULL)
				fprintf(stderr, "%s: %s\n", fc->name, why);
			/* The picture is kept. */
			assert_true(tables_equal(&t, &snap));
			assert_true(ls->last_good < clk);
			assert_true(ls->next_poll >= clk + 1);
			if (fc->retry_after > 0) {
				assert_true(poll_last(p)->retry_after_s ==
				    fc->retry_after);
				assert_true(ls->next_poll >= clk +
				    fc->retry_after);
			}
		}
		units_done(&snap);
	}
	/* The fault stops: the link recovers. */
	r = poll_into(p, &t, NULL, why, sizeof why);
	if (r != POLL_MESSAGE && r != POLL_NOT_MODIFIED)
		fail_msg("%s: no recovery: %s", fc->name, why);
	assert_int_equal(ls->state, LINK_OK);
	assert_int_equal(ls->failures, 0);
	assert_string_equal(ls->error, "");
	assert_true(ls->last_good == clk);

	units_done(&t);
	poll_free(p);
	sim_stop(&s);
}

static void
test_faults(void **state)
{
	size_t	i;

	if (sim_path() == NULL) {
		fprintf(stderr, "bordercop-sim is not built: skipped\n");
		skip();
	}
	for (i = 0; i < sizeof fault_cases / sizeof fault_cases[0]; i++)
		run_fault(&fault_cases[i]);
}

static void
tune_tiny(struct poll_config *cfg)
{
	cfg->max_bytes = 2000;
}

static void
test_oversize_and_refused(void **state)
{
	struct sim		 s;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], url[64];

	SIM_START(&s, "--units", "300", NULL);
	units_init(&t);
	p = poller_for(s.url, NULL, tune_tiny);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_int_equal(poll_last(p)->status, BC_TOOBIG);
	assert_non_null(strstr(why, "cut off"));
	assert_true(poll_last(p)->body_bytes <= 2000);
	assert_int_equal(poll_link(p)->state, LINK_DOWN);
	assert_int_equal(t.n, 0);
	poll_free(p);
	snprintf(url, sizeof url, "%s", s.url);
	sim_stop(&s);

	/* Nobody listens there any more. */
	p = poller_for(url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	/* Said once, short enough for the footer: host and port. */
	assert_non_null(strstr(why, "connection refused by 127.0.0.1 port "));
	assert_null(strstr(why, "Connection refused"));
	assert_int_equal(poll_link(p)->state, LINK_DOWN);
	poll_free(p);
	units_done(&t);
}

static void
test_backoff(void **state)
{
	uint64_t	rng = 12345, rng2 = 12345;
	double		d, lo, hi, ceiling;
	unsigned	n;
	int		i;

	for (n = 1; n <= 12; n++) {
		ceiling = 2.0 * pow(2, n - 1);
		if (ceiling > 300)
			ceiling = 300;
		lo = 1e9;
		hi = 0;
		for (i = 0; i < 2000; i++) {
			d = poll_backoff(&rng, 2, 300, 1, n, 0);
			assert_true(d >= 1);
			assert_true(d <= ceiling);
			if (d < lo)
				lo = d;
			if (d > hi)
				hi = d;
		}
		/* Full jitter: the draws spread over the whole range. */
		if (ceiling >= 8) {
			assert_true(lo < 0.1 * ceiling + 1);
			assert_true(hi > 0.9 * ceiling);
		}
	}
	/* The cap holds however many failures. */
	for (i = 0; i < 1000; i++)
		assert_true(poll_backoff(&rng, 2, 300, 1, 1000, 0) <= 300);
	/* Retry-After wins when longer. */
	for (i = 0; i < 100; i++) {
		assert_true(poll_backoff(&rng, 2, 300, 1, 1, 30) == 30);
		assert_true(poll_backoff(&rng, 2, 300, 1, 12, 30) >= 30);
	}
	/* Same seed, same draws. */
	rng = 777;
	rng2 = 777;
	for (i = 0; i < 100; i++)
		assert_true(poll_backoff(&rng, 2, 300, 1, 5, 0) ==
		    poll_backoff(&rng2, 2, 300, 1, 5, 0));
}

static void
test_bad_urls(void **state)
{
	struct poll_config	 cfg;
	struct poller		*p;
	char			 why[256];

	poll_config_defaults(&cfg);
	cfg.side_codes[0] = sides[0];
	cfg.side_codes[1] = sides[1];
	cfg.base_url = "file:///etc/passwd";
	assert_int_not_equal(poll_new(&cfg, &p, why, sizeof why), BC_OK);
	assert_non_null(strstr(why, "http"));
	cfg.base_url = "https://user:pw@example.org/";
	assert_int_not_equal(poll_new(&cfg, &p, why, sizeof why), BC_OK);
	assert_null(strstr(why, "pw"));
	/* A fragment, even an empty one, is never sent: refused. */
	cfg.base_url = "https://example.org/api/#";
	assert_int_not_equal(poll_new(&cfg, &p, why, sizeof why), BC_OK);
	assert_non_null(strstr(why, "fragment"));
	cfg.base_url = "https://example.org/api/";
	cfg.token = "bad token\r\nX-Evil: 1";
	assert_int_not_equal(poll_new(&cfg, &p, why, sizeof why), BC_OK);
	cfg.token = NULL;
	assert_int_equal(poll_new(&cfg, &p, why, sizeof why), BC_OK);
	assert_string_equal(poll_link(p)->source, "example.org");
	assert_int_equal(poll_link(p)->state, LINK_WAIT);
	poll_free(p);
}

/* The source layer over the API: a good poll fills the table and the
   picture clock follows the server's time. */
static void
test_source_api(void **state)
{
	struct sim		 s;
	struct source_config	 cfg;
	struct source		*src;
	struct border_map	*map;
	struct unit_table	 t;
	char			 why[256];
	enum source_event	 ev;
	int			 i;

	SIM_START(&s, "--units", "50", NULL);
	map = border_new();
	snprintf(map->sides[0].code, sizeof map->sides[0].code, "US");
	snprintf(map->sides[1].code, sizeof map->sides[1].code, "MX");
	source_config_defaults(&cfg);
	cfg.kind = SOURCE_API;
	cfg.poll.base_url = s.url;
	assert_int_equal(source_new(&cfg, map, clk, &src, why, sizeof why),
	    BC_OK);
	units_init(&t);
	ev = SOURCE_IDLE;
	for (i = 0; i < 200 && ev != SOURCE_UPDATED; i++) {
		source_wait(src, -1, source_timeout_ms(src, clk));
		ev = source_step(src, clk, &t, why, sizeof why);
		assert_true(ev != SOURCE_FAILED);
	}
	assert_int_equal(ev, SOURCE_UPDATED);
	assert_true(t.n > 0);
	assert_int_equal(source_link(src)->state, LINK_OK);
	/* The next poll is due after the interval, not before. */
	assert_int_equal(source_step(src, clk + 1, &t, why, sizeof why),
	    SOURCE_IDLE);
	assert_true(source_timeout_ms(src, clk + 1) > 8000);
	assert_true(fabs(source_clock(src, clk + 5) - source_clock(src, clk) -
	    5) < 1e-6);
	units_done(&t);
	source_free(src);
	border_free(map);
	sim_stop(&s);
}

static const char *const map_path = SRCDIR "/maps/us-mx.geojson";

static double	watch_clk, watch_step = 0.5;
static int	watch_calls, watch_stop_at;

static double
watch_fake_clock(void)
{
	if (++watch_calls == watch_stop_at)
		raise(SIGTERM);
	watch_clk += watch_step;
	return (watch_clk);
}

/* Run --watch over the API at url until `calls` clock readings or count
   prints (0: no limit); the text it printed (free it). */
static char *
watch_api(const char *url, int calls, unsigned long count)
{
	struct border_map	*map;
	struct source_config	 scfg;
	struct source		*src;
	struct watch_config	 wcfg;
	char			 why[256], *text;
	size_t			 len;
	FILE			*out;

	assert_int_equal(map_load_file(map_path, &map, why, sizeof why),
	    BC_OK);
	watch_clk = clk;
	watch_calls = 0;
	watch_stop_at = calls;
	source_config_defaults(&scfg);
	scfg.kind = SOURCE_API;
	scfg.poll.base_url = url;
	scfg.poll.seed = 9;
	scfg.poll.backoff_base_s = 1;
	scfg.poll.backoff_min_s = 0.5;
	scfg.poll.slow_s = 3;
	assert_int_equal(source_new(&scfg, map, watch_clk, &src, why,
	    sizeof why), BC_OK);
	watch_config_defaults(&wcfg);
	wcfg.map = map;
	wcfg.clock = watch_fake_clock;
	wcfg.count = count;
	assert_non_null(out = open_memstream(&text, &len));
	wcfg.out = out;
	assert_int_equal(watch_run(src, &wcfg, why, sizeof why), BC_OK);
	fclose(out);
	source_free(src);
	border_free(map);
	return (text);
}

#define FEATURE_U1							\
	"{\"type\":\"Feature\",\"id\":\"U1\",\"geometry\":{\"type\":"	\
	"\"Point\",\"coordinates\":[-110.94,31.33]},\"properties\":"	\
	"{\"side\":\"US\",\"time\":\"2030-03-17T17:00:00Z\"}}"

/* A 200 answer with a message: full or not, a cursor or none, and extra
   header lines ("Name: value\r\n"...); free it. */
static char *
http_msg(int full, const char *cursor, const char *server_time,
    const char *extra)
{
	char	*body, *text, cur[128], st[128];

	cur[0] = st[0] = '\0';
	if (cursor != NULL)
		snprintf(cur, sizeof cur, "\"cursor\":\"%s\",", cursor);
	if (server_time != NULL)
		snprintf(st, sizeof st, "\"server_time\":\"%s\",",
		    server_time);
	assert_true(asprintf(&body, "{\"type\":\"FeatureCollection\","
	    "\"api\":\"bordercop-coordination/1\",%s%s\"full\":%s,"
	    "\"features\":[" FEATURE_U1 "]}", st, cur,
	    full ? "true" : "false") > 0);
	assert_true(asprintf(&text, "HTTP/1.1 200 OK\r\nContent-Type: "
	    "application/geo+json\r\nContent-Length: %zu\r\n%s\r\n%s",
	    strlen(body), extra != NULL ? extra : "", body) > 0);
	free(body);
	return (text);
}

/* An incremental answer to a request without since is refused: merged,
   it would pass for a picture. */
static void
test_incremental_unasked(void **state)
{
	struct canned_answer	 ans[2];
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], *text, *second;

	memset(ans, 0, sizeof ans);
	ans[0].text = http_msg(0, "c1", NULL, "ETag: \"e1\"\r\n");
	ans[1].text = http_msg(1, "c2", NULL, "ETag: \"e2\"\r\n");
	canned_start(&c, ans, 2);
	units_init(&t);
	p = poller_for(c.url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_int_equal(poll_last(p)->status, BC_FORMAT);
	assert_non_null(strstr(why, "incremental"));
	assert_int_equal(poll_link(p)->state, LINK_DOWN);
	assert_int_equal(t.n, 0);
	/* The next poll asks for the whole picture again. */
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	assert_int_equal(t.n, 1);
	text = canned_requests(&c);
	assert_non_null(second = strstr(text + 1, "GET "));
	assert_true(strncmp(second, "GET /v1/positions HTTP/1.1", 26) == 0);
	assert_null(strstr(second, "If-None-Match"));
	free(text);
	poll_free(p);
	units_done(&t);
	canned_stop(&c);
	free((char *)(uintptr_t)ans[0].text);
	free((char *)(uintptr_t)ans[1].text);
}

/* Retry-After: a huge number of seconds is cut to the cap; an HTTP-date
   is measured against the server's Date, else against the local clock. */
static void
test_retry_after(void **state)
{
	struct canned_answer	 ans[3];
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	struct tm		 tm;
	time_t			 when;
	char			 why[256], date[64], third[256];

	when = (time_t)(clk + 3 + 200);
	gmtime_r(&when, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
	snprintf(third, sizeof third, "HTTP/1.1 503 Service Unavailable\r\n"
	    "Retry-After: %s\r\nContent-Length: 0\r\n\r\n", date);
	memset(ans, 0, sizeof ans);
	ans[0].text = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Retry-After: 99999999999999999999999999\r\n"
	    "Content-Length: 0\r\n\r\n";
	ans[1].text = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Date: Sun, 09 Sep 2001 01:46:40 GMT\r\n"
	    "Retry-After: Sun, 09 Sep 2001 01:48:40 GMT\r\n"
	    "Content-Length: 0\r\n\r\n";
	ans[2].text = third;
	canned_start(&c, ans, 3);
	units_init(&t);
	p = poller_for(c.url, NULL, NULL);

	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_true(poll_last(p)->retry_after_s == POLL_RETRY_AFTER_MAX);
	assert_true(poll_link(p)->next_poll >= clk + POLL_RETRY_AFTER_MAX);
	assert_non_null(strstr(why, "retry after 3600 s"));

	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_true(poll_last(p)->retry_after_s == 120);

	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_true(poll_last(p)->retry_after_s == 200);

	poll_free(p);
	units_done(&t);
	canned_stop(&c);
}

/*
 * A slow link: a transfer that keeps moving is not cut by a fixed total
 * timeout (only by a cap of minutes); one that stalls is cut by the
 * low-speed limit.
 */
static void
test_slow_transfer_limits(void **state)
{
	struct poll_config	 cfg;
	struct canned_answer	 ans[1];
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], *text;

	poll_config_defaults(&cfg);
	assert_true(cfg.timeout_s >= 900);
	assert_true(cfg.low_speed_bps > 0 && cfg.low_speed_bps <= 64);
	assert_true(cfg.low_speed_s >= 20 && cfg.low_speed_s <= 60);
	assert_true(cfg.connect_timeout_s > 0 && cfg.connect_timeout_s <= 30);

	/* Headers and a few bytes of the body, then nothing for 5 s. */
	text = http_msg(1, "c1", NULL, NULL);
	memset(ans, 0, sizeof ans);
	ans[0].text = text;
	ans[0].pause_at = (size_t)(strstr(text, "\r\n\r\n") - text) + 8;
	ans[0].pause_ms = 5000;
	canned_start(&c, ans, 1);
	units_init(&t);
	p = poller_for(c.url, NULL, tune_fast);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_non_null(strstr(why, "too slow"));
	assert_int_equal(t.n, 0);
	poll_free(p);
	units_done(&t);
	canned_stop(&c);
	free(text);
}

/* A poll in flight for longer than slow_s makes the link SLOW at once,
   and --watch says so before the answer comes. */
static void
test_slow_in_flight(void **state)
{
	struct canned_answer	 ans[1];
	struct canned		 c;
	struct poller		*p;
	struct feed_msg		 msg;
	enum poll_result	 r;
	char			 why[256], *text, *slow, *ok;
	int			 seen_slow = 0;

	text = http_msg(1, "c1", NULL, NULL);
	memset(ans, 0, sizeof ans);
	ans[0].text = text;
	ans[0].pause_at = 1;
	ans[0].pause_ms = 1500;
	canned_start(&c, ans, 1);

	p = poller_for(c.url, NULL, NULL);
	clk += 1;
	poll_now(p);
	assert_int_equal(poll_perform(p, clk, &msg, why, sizeof why),
	    POLL_BUSY);
	assert_int_equal(poll_link(p)->state, LINK_WAIT);
	/* The poller asks to be woken when the poll turns slow. */
	assert_true(poll_timeout_ms(p, clk + 4.9) <= 100);
	for (;;) {
		poll_wait(p, -1, poll_timeout_ms(p, clk + 6));
		r = poll_perform(p, clk + 6, &msg, why, sizeof why);
		if (r != POLL_BUSY)
			break;
		if (poll_link(p)->state == LINK_SLOW)
			seen_slow = 1;
	}
	assert_true(seen_slow);
	assert_int_equal(r, POLL_MESSAGE);
	feed_msg_done(&msg);
	poll_free(p);

	watch_step = 2;
	text = watch_api(c.url, 200, 2);
	watch_step = 0.5;
	if (getenv("TEST_POLL_VERBOSE") != NULL)
		fprintf(stderr, "%s", text);
	assert_non_null(slow = strstr(text, "link SLOW"));
	assert_non_null(ok = strstr(text, "link OK"));
	assert_true(slow < ok);
	free(text);
	canned_stop(&c);
	free((char *)(uintptr_t)ans[0].text);
}

/* The request URL is built by libcurl's URL API: {base}/v1/positions,
   the base's own query kept, since= appended, encoded. */
static void
test_url_query(void **state)
{
	struct canned_answer	 ans[2];
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], url[192], *text;

	memset(ans, 0, sizeof ans);
	ans[0].text = http_msg(1, "c 1&x=2", NULL, NULL);
	ans[1].text = http_msg(1, "c2", NULL, NULL);
	canned_start(&c, ans, 2);
	units_init(&t);
	snprintf(url, sizeof url, "%s/api/?key=1", c.url);
	p = poller_for(url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	poll_free(p);
	text = canned_requests(&c);
	if (getenv("TEST_POLL_VERBOSE") != NULL)
		fprintf(stderr, "%s", text);
	assert_non_null(strstr(text,
	    "GET /api/v1/positions?key=1 HTTP/1.1\r\n"));
	assert_non_null(strcasestr(text,
	    "GET /api/v1/positions?key=1&since=c%201%26x%3D2 HTTP/1.1\r\n"));
	free(text);

	/* A fragment is never sent: refused, with the reason. */
	snprintf(url, sizeof url, "%s/api#top", c.url);
	assert_int_not_equal(poll_new_for(url, NULL, why, sizeof why), BC_OK);
	assert_non_null(strstr(why, "fragment"));

	units_done(&t);
	canned_stop(&c);
	free((char *)(uintptr_t)ans[0].text);
	free((char *)(uintptr_t)ans[1].text);
}

/*
 * With http_proxy pointing at a listener of ours, a token meant for a
 * loopback http API never reaches the proxy: the request goes straight
 * to the API (a proxy would get the token in clear, and would resolve
 * 127.0.0.1 on its own side).
 */
static void
test_loopback_no_proxy(void **state)
{
	struct canned_answer	 ans[1];
	struct canned		 api, proxy;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], *text;
	static const char *const vars[] = {
		"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY",
		"all_proxy", "ALL_PROXY"
	};
	size_t			 i;

	memset(ans, 0, sizeof ans);
	ans[0].text = http_msg(1, "c1", NULL, NULL);
	canned_start(&api, ans, 1);
	canned_start(&proxy, ans, 1);
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		setenv(vars[i], proxy.url, 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	units_init(&t);
	p = poller_for(api.url, "s3cret-token", NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	poll_free(p);
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	text = canned_requests(&proxy);
	if (text[0] != '\0')
		fprintf(stderr, "the proxy got:\n%s", text);
	assert_null(strstr(text, "s3cret-token"));
	assert_int_equal(strlen(text), 0);
	free(text);
	text = canned_requests(&api);
	assert_non_null(strstr(text, "Bearer s3cret-token"));
	free(text);
	units_done(&t);
	canned_stop(&api);
	canned_stop(&proxy);
	free((char *)(uintptr_t)ans[0].text);
}

/*
 * poll_finish: a message without a cursor drops the old cursor; an
 * answer cut inside its headers is a network failure, not a malformed
 * body.
 */
static void
test_finish_edges(void **state)
{
	struct canned_answer	 ans[4];
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], *text, *third;

	memset(ans, 0, sizeof ans);
	ans[0].text = http_msg(1, "c1", NULL, NULL);
	ans[1].text = http_msg(1, NULL, NULL, NULL);
	ans[2].text = "HTTP/1.1 200 OK\r\nContent-Type: appl";
	ans[3].text = ans[0].text;
	canned_start(&c, ans, 4);
	units_init(&t);
	p = poller_for(c.url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_MESSAGE);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	if (getenv("TEST_POLL_VERBOSE") != NULL)
		fprintf(stderr, "cut headers: %s\n", why);
	assert_int_equal(poll_last(p)->status, BC_NET);
	assert_null(strstr(why, "malformed"));
	assert_non_null(strstr(why, "headers"));
	assert_int_equal(t.n, 1);
	poll_free(p);

	text = canned_requests(&c);
	assert_non_null(strstr(text, "GET /v1/positions?since=c1 "));
	/* The third request, after the message without a cursor. */
	assert_non_null(third = strstr(strstr(text, "since=c1"), "GET "));
	assert_true(strncmp(third, "GET /v1/positions HTTP/1.1", 26) == 0);
	free(text);
	units_done(&t);
	canned_stop(&c);
	free((char *)(uintptr_t)ans[0].text);
	free((char *)(uintptr_t)ans[1].text);
}

/* The token never goes in clear to another machine. */
static void
test_token_plain_http(void **state)
{
	char	why[256];

	assert_int_equal(poll_new_for("http://coord.example.org/api", TOKEN,
	    why, sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "https"));
	assert_non_null(strstr(why, "coord.example.org"));
	assert_null(strstr(why, TOKEN));
	assert_int_equal(poll_new_for("http://10.1.2.3:8480/", TOKEN, why,
	    sizeof why), BC_USAGE);
	/* Without a token, or over https, or to loopback: fine. */
	assert_int_equal(poll_new_for("http://coord.example.org/api", NULL,
	    why, sizeof why), BC_OK);
	assert_int_equal(poll_new_for("https://coord.example.org/api", TOKEN,
	    why, sizeof why), BC_OK);
	assert_int_equal(poll_new_for("http://127.0.0.1:8480", TOKEN, why,
	    sizeof why), BC_OK);
	assert_int_equal(poll_new_for("http://127.9.8.7:8480", TOKEN, why,
	    sizeof why), BC_OK);
	assert_int_equal(poll_new_for("http://localhost:8480", TOKEN, why,
	    sizeof why), BC_OK);
	assert_int_equal(poll_new_for("http://[::1]:8480/", TOKEN, why,
	    sizeof why), BC_OK);
	assert_int_equal(poll_new_for("http://128.0.0.1/", TOKEN, why,
	    sizeof why), BC_USAGE);
}

/*
 * The server's clock is measured from the start of the request (ages
 * never come out younger by the transfer time): from server_time, else
 * from Date until a server_time was seen.
 */
static void
test_clock_offset(void **state)
{
	struct canned_answer	 ans[2];
	struct canned		 c;
	struct poller		*p;
	struct feed_msg		 msg;
	enum poll_result	 r;
	double			 start;
	char			 why[256], *text;

	/* 2001-09-09T01:46:40Z is 1e9 s. */
	text = http_msg(1, "c1", "2001-09-09T01:46:40Z",
	    "Date: Sun, 09 Sep 2001 01:46:50 GMT\r\n");
	memset(ans, 0, sizeof ans);
	ans[0].text = text;
	ans[0].pause_at = 1;
	ans[0].pause_ms = 500;
	ans[1].text = "HTTP/1.1 503 Service Unavailable\r\n"
	    "Date: Sun, 09 Sep 2001 02:00:00 GMT\r\n"
	    "Content-Length: 0\r\n\r\n";
	canned_start(&c, ans, 2);

	p = poller_for(c.url, NULL, NULL);
	assert_int_equal(poll_clock(p), POLL_CLOCK_LOCAL);
	start = clk += 1;
	poll_now(p);
	r = poll_perform(p, start, &msg, why, sizeof why);
	while (r == POLL_BUSY) {
		poll_wait(p, -1, poll_timeout_ms(p, start + 3));
		r = poll_perform(p, start + 3, &msg, why, sizeof why);
	}
	assert_int_equal(r, POLL_MESSAGE);
	feed_msg_done(&msg);
	assert_int_equal(poll_clock(p), POLL_CLOCK_SERVER);
	assert_true(poll_link(p)->server_skew_s == 1e9 - start);
	/* A later Date does not override server_time. */
	assert_int_equal(poll_into(p, NULL, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_true(poll_link(p)->server_skew_s == 1e9 - start);
	poll_free(p);

	/* With no server_time yet, the Date of any answer. */
	p = poller_for(c.url, NULL, NULL);
	assert_int_equal(poll_into(p, NULL, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_int_equal(poll_clock(p), POLL_CLOCK_DATE);
	assert_true(poll_link(p)->server_skew_s == 1e9 + 800 - clk);
	poll_free(p);
	canned_stop(&c);
	free(text);
}

/* Link events stamped before the server's clock was known are moved to
   it, so that the log stays in order. */
static void
test_watch_clock_shift(void **state)
{
	struct canned_answer	 ans[2];
	struct canned		 c;
	char			*text, *down, *up;

	memset(ans, 0, sizeof ans);
	ans[0].text = "";
	ans[1].text = http_msg(1, "c1", "2001-09-09T01:46:40Z",
	    "Date: Sun, 09 Sep 2001 01:46:40 GMT\r\n");
	canned_start(&c, ans, 2);
	text = watch_api(c.url, 200, 2);
	if (getenv("TEST_POLL_VERBOSE") != NULL)
		fprintf(stderr, "%s", text);
	assert_non_null(down = strstr(text, "link down: "));
	assert_non_null(up = strstr(text, "link up: "));
	/* "  HH:MM:SS link ...": both on the server's clock. */
	assert_true(strncmp(down - 9, "01:46:", 6) == 0);
	assert_true(strncmp(up - 9, "01:46:", 6) == 0);
	free(text);
	canned_stop(&c);
	free((char *)(uintptr_t)ans[1].text);
}

/* A 304 to a request that was not conditional is no answer: the link
   is DOWN, and --watch shows no picture (not an empty border). */
static void
test_304_unconditional(void **state)
{
	static const struct canned_answer ans[] = {
		{ "HTTP/1.1 304 Not Modified\r\nETag: \"e1\"\r\n\r\n", 0, 0 },
	};
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], *text;

	canned_start(&c, ans, 1);
	units_init(&t);
	p = poller_for(c.url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_int_equal(poll_last(p)->status, BC_HTTP);
	assert_non_null(strstr(why, "304"));
	assert_non_null(strstr(why, "If-None-Match"));
	assert_int_equal(poll_link(p)->state, LINK_DOWN);
	assert_true(poll_link(p)->last_good == 0);
	assert_int_equal(poll_link(p)->not_modified, 0);
	poll_free(p);
	units_done(&t);
	text = canned_requests(&c);
	assert_non_null(strstr(text, "GET /v1/positions HTTP/1.1"));
	assert_null(strstr(text, "If-None-Match"));
	free(text);

	text = watch_api(c.url, 40, 0);
	if (getenv("TEST_POLL_VERBOSE") != NULL)
		fprintf(stderr, "%s", text);
	assert_non_null(strstr(text, "waiting for the first answer"));
	assert_non_null(strstr(text, "link DOWN"));
	assert_null(strstr(text, "link OK"));
	assert_null(strstr(text, "US SDC"));
	assert_null(strstr(text, "fresh"));
	free(text);
	canned_stop(&c);
}

/* A redirect is not followed (the token would go along): the error
   names where it points, with no escape sequence, and nothing else is
   fetched. */
static void
test_redirect_not_followed(void **state)
{
	static const struct canned_answer ans[] = {
		{ "HTTP/1.1 302 Found\r\nLocation: https://other.example/"
		  "v1/positions?x=\033]0;t\007y\r\nContent-Length: 0\r\n\r\n",
		  0, 0 },
	};
	struct canned		 c;
	struct poller		*p;
	struct unit_table	 t;
	char			 why[256], *text, *at;

	canned_start(&c, ans, 1);
	units_init(&t);
	p = poller_for(c.url, NULL, NULL);
	assert_int_equal(poll_into(p, &t, NULL, why, sizeof why),
	    POLL_FAILED);
	assert_int_equal(poll_last(p)->status, BC_HTTP);
	assert_non_null(strstr(why, "HTTP 302 redirect to https://"
	    "other.example/v1/positions"));
	assert_non_null(strstr(why, "not followed"));
	assert_null(strchr(why, '\033'));
	assert_null(strchr(why, '\007'));
	assert_int_equal(poll_link(p)->state, LINK_DOWN);
	poll_free(p);
	units_done(&t);
	text = canned_requests(&c);
	at = strstr(text, "GET ");
	assert_non_null(at);
	assert_null(strstr(at + 4, "GET "));
	free(text);
	canned_stop(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_token_load),
		cmocka_unit_test(test_bad_urls),
		cmocka_unit_test_teardown(test_merge_equals_full,
		    sim_teardown),
		cmocka_unit_test_teardown(test_not_modified_and_gzip,
		    sim_teardown),
		cmocka_unit_test_teardown(test_token_required,
		    sim_teardown),
		cmocka_unit_test_teardown(test_faults,
		    sim_teardown),
		cmocka_unit_test_teardown(test_oversize_and_refused,
		    sim_teardown),
		cmocka_unit_test_teardown(test_source_api,
		    sim_teardown),
		cmocka_unit_test_teardown(test_304_unconditional,
		    sim_teardown),
		cmocka_unit_test_teardown(test_redirect_not_followed,
		    sim_teardown),
		cmocka_unit_test_teardown(test_incremental_unasked,
		    sim_teardown),
		cmocka_unit_test_teardown(test_retry_after,
		    sim_teardown),
		cmocka_unit_test_teardown(test_slow_transfer_limits,
		    sim_teardown),
		cmocka_unit_test_teardown(test_slow_in_flight,
		    sim_teardown),
		cmocka_unit_test_teardown(test_url_query,
		    sim_teardown),
		cmocka_unit_test_teardown(test_loopback_no_proxy,
		    sim_teardown),
		cmocka_unit_test_teardown(test_finish_edges,
		    sim_teardown),
		cmocka_unit_test(test_token_plain_http),
		cmocka_unit_test_teardown(test_clock_offset,
		    sim_teardown),
		cmocka_unit_test_teardown(test_watch_clock_shift,
		    sim_teardown),
	};
	int	rc;

	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(tmpdir) == NULL)
		return (1);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(tmpdir);
	return (rc);
}
