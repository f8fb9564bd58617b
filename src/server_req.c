/*
 * server_req.c: requests between the sides in bordercop-sim (see
 * server_req.h).
 *
 * The store is an array under one mutex; a change bumps the store's
 * sequence number, which the changed request keeps (its seq) and which
 * cursors name, so "what changed since cursor C" is the requests with
 * seq > C.  The file in the state directory is the store's log: one
 * request per line as req_write() writes it, the latest line of an id
 * winning on reading back; a torn last line (kill -9 mid-write) is
 * skipped, which loses at most the record being written -- and that
 * one was never answered, so its client retries it.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "apiwrite.h"
#include "reqfeed.h"
#include "request.h"
#include "server.h"
#include "server_req.h"
#include "util.h"
#include "xmalloc.h"

#define SRVREQ_MAGIC		0x72657131u	/* "req1" */
#define SRVREQ_TYPE		"application/json"
#define SRVREQ_KEEP_S		86400.0	/* ended requests in a full list */
#define SRVREQ_GZIP_MIN		512	/* smaller bodies go as they are */
#define SRVREQ_FILE_MAX		(256u * 1024 * 1024)

/* What a connection to one of our URLs keeps between calls. */
struct srvreq_conn {
	uint32_t	 magic;
	char		*body;
	size_t		 len;
	int		 too_big;
};

struct srvreq_bucket {
	double		 tokens;
	double		 last;		/* monotonic s; 0: never used */
};

struct srvreq {
	struct srvreq_config	 cfg;
	struct srvreq_hooks	 hooks;
	char			*tokens[NSIDES];
	char			 codes[NSIDES][16];
	const char		*side_codes[NSIDES];
	char			 tag[APIWRITE_TAG_MAX + 1];
	char			*path;		/* the log, or NULL */

	pthread_mutex_t		 lock;		/* everything below */
	struct request		*v;
	size_t			 n, cap;
	uint64_t		 seq;
	int			 fd;		/* the log, or -1 */
	struct srvreq_bucket	 bucket[NSIDES];
	size_t			 loaded;
	int			 crashed;
};

/* What a change does after the lock is dropped. */
struct srvreq_after {
	int	dispatch;
	int	side;
	double	a_km, b_km, until;
};

static double
srvreq_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

static struct request *
srvreq_find(struct srvreq *rq, const char *id)
{
	size_t	i;

	for (i = 0; i < rq->n; i++)
		if (strcmp(rq->v[i].id, id) == 0)
			return (&rq->v[i]);
	return (NULL);
}

static struct request *
srvreq_add(struct srvreq *rq, const struct request *r)
{
	if (rq->n == rq->cap) {
		rq->cap = rq->cap ? rq->cap * 2 : 64;
		rq->v = xreallocarray(rq->v, rq->cap, sizeof *rq->v);
	}
	rq->v[rq->n] = *r;
	return (&rq->v[rq->n++]);
}

static int
srvreq_write_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			return (-1);
		p += w;
		n -= (size_t)w;
	}
	return (0);
}

/* Append one request to the log and make it durable (lock held). */
static int
srvreq_persist(struct srvreq *rq, const struct request *r)
{
	struct apibuf	b;
	int		rc;

	if (rq->fd == -1)
		return (0);
	apibuf_init(&b);
	req_write(&b, r, rq->side_codes);
	apibuf_add(&b, "\n", 1);
	rc = srvreq_write_all(rq->fd, b.p, b.len);
	apibuf_done(&b);
	if (rc == 0 && fsync(rq->fd) == -1)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "bordercop-sim: %s: cannot write: %s\n",
		    rq->path, strerror(errno));
	return (rc);
}

/*
 * Move r by answer a as side at server time t, log it, and say what to
 * do after (lock held).  Returns 0, or -1 when the log cannot be
 * written (r is left as it was).
 */
static int
srvreq_change(struct srvreq *rq, struct request *r,
    const struct req_answer *a, int side, double t, struct srvreq_after *af)
{
	struct request	old = *r;

	if (!req_apply(r, a, side, t))
		return (0);
	r->seq = rq->seq + 1;
	if (srvreq_persist(rq, r) != 0) {
		*r = old;
		return (-1);
	}
	rq->seq++;
	if (af != NULL && r->kind == REQ_COVER &&
	    (a->state == RS_ACCEPTED || (a->state == RS_COUNTERED &&
	    isfinite(a->counter_a_km)))) {
		af->dispatch = 1;
		af->side = r->addressee;
		af->a_km = a->state == RS_ACCEPTED ? r->a_km : a->counter_a_km;
		af->b_km = a->state == RS_ACCEPTED ? r->b_km : a->counter_b_km;
		af->until = r->expires;
	}
	return (0);
}

/* Requests past their expiry end as expired (lock held). */
static void
srvreq_expire(struct srvreq *rq, double now)
{
	struct req_answer	a;
	size_t			i;

	req_answer_init(&a);
	a.state = RS_EXPIRED;
	for (i = 0; i < rq->n; i++)
		if (!req_state_terminal(rq->v[i].state) &&
		    rq->v[i].expires <= now)
			srvreq_change(rq, &rq->v[i], &a, REQ_SIDE_SERVER, now,
			    NULL);
}

static void
srvreq_after(struct srvreq *rq, const struct srvreq_after *af)
{
	if (af->dispatch && rq->hooks.dispatch != NULL)
		rq->hooks.dispatch(rq->hooks.arg, af->side, af->a_km,
		    af->b_km, af->until);
}

static double
srvreq_now(struct srvreq *rq)
{
	return (rq->hooks.now != NULL ? rq->hooks.now(rq->hooks.arg) :
	    (double)time(NULL));
}

/* Read the log back: the latest record of each id wins. */
static enum bc_status
srvreq_load(struct srvreq *rq, char *why, size_t whylen)
{
	struct request	 r, *have;
	char		*buf = NULL, *p, *nl, lwhy[128];
	size_t		 len = 0, bad = 0, lineno = 0;
	enum bc_status	 st;

	st = file_read_all(rq->path, SRVREQ_FILE_MAX, &buf, &len, why,
	    whylen);
	if (st != BC_OK) {
		if (errno == ENOENT) {
			free(buf);
			return (BC_OK);
		}
		return (st);
	}
	for (p = buf; p < buf + len; p = nl + 1) {
		lineno++;
		nl = memchr(p, '\n', (size_t)(buf + len - p));
		if (nl == NULL) {
			/* The last record, torn by a kill mid-write: never
			   answered, so its client sends it again. */
			bad++;
			fprintf(stderr, "bordercop-sim: %s: line %zu is torn; "
			    "skipped\n", rq->path, lineno);
			break;
		}
		if (nl == p)
			continue;
		if (reqfeed_parse_request(p, (size_t)(nl - p),
		    rq->side_codes, &r, lwhy, sizeof lwhy) != BC_OK) {
			bad++;
			fprintf(stderr, "bordercop-sim: %s: line %zu: %s; "
			    "skipped\n", rq->path, lineno, lwhy);
			continue;
		}
		if (r.seq > rq->seq)
			rq->seq = r.seq;
		if ((have = srvreq_find(rq, r.id)) != NULL) {
			if (r.seq >= have->seq)
				*have = r;
		} else if (rq->n < SRVREQ_MAX)
			srvreq_add(rq, &r);
	}
	rq->loaded = rq->n;
	/* After a torn line, the next record starts on a line of its own. */
	if (len > 0 && buf[len - 1] != '\n' &&
	    srvreq_write_all(rq->fd, "\n", 1) != 0) {
		bc_why(why, whylen, "%s: %s", rq->path, strerror(errno));
		free(buf);
		return (BC_IO);
	}
	free(buf);
	(void)bad;
	return (BC_OK);
}

enum bc_status
srvreq_new(const struct srvreq_config *cfg, const struct srvreq_hooks *hooks,
    struct srvreq **out, char *why, size_t whylen)
{
	struct srvreq	*rq;
	enum bc_status	 st;
	int		 i;

	*out = NULL;
	rq = xcalloc(1, sizeof *rq);
	rq->cfg = *cfg;
	rq->hooks = *hooks;
	rq->fd = -1;
	for (i = 0; i < NSIDES; i++) {
		if (cfg->side_tokens[i] != NULL)
			rq->tokens[i] = xstrdup(cfg->side_tokens[i]);
		snprintf(rq->codes[i], sizeof rq->codes[i], "%s",
		    cfg->side_codes[i]);
		rq->side_codes[i] = rq->codes[i];
	}
	rq->cfg.state_dir = NULL;
	rq->cfg.tag = NULL;
	snprintf(rq->tag, sizeof rq->tag, "%s", cfg->tag);
	pthread_mutex_init(&rq->lock, NULL);
	if (cfg->state_dir != NULL) {
		if (mkdir(cfg->state_dir, 0700) == -1 && errno != EEXIST) {
			bc_why(why, whylen, "%s: %s", cfg->state_dir,
			    strerror(errno));
			srvreq_free(rq);
			return (BC_IO);
		}
		xasprintf(&rq->path, "%s/%s", cfg->state_dir, SRVREQ_FILE);
		rq->fd = open(rq->path, O_WRONLY | O_APPEND | O_CREAT |
		    O_CLOEXEC | O_NOFOLLOW, 0600);
		if (rq->fd == -1) {
			bc_why(why, whylen, "%s: %s", rq->path,
			    strerror(errno));
			srvreq_free(rq);
			return (BC_IO);
		}
		if ((st = srvreq_load(rq, why, whylen)) != BC_OK) {
			srvreq_free(rq);
			return (st);
		}
	}
	*out = rq;
	return (BC_OK);
}

void
srvreq_free(struct srvreq *rq)
{
	int	i;

	if (rq == NULL)
		return;
	for (i = 0; i < NSIDES; i++) {
		if (rq->tokens[i] != NULL) {
			explicit_bzero(rq->tokens[i], strlen(rq->tokens[i]));
			free(rq->tokens[i]);
		}
	}
	if (rq->fd != -1)
		close(rq->fd);
	pthread_mutex_destroy(&rq->lock);
	free(rq->path);
	free(rq->v);
	free(rq);
}

size_t
srvreq_loaded(const struct srvreq *rq)
{
	return (rq->loaded);
}

/* Compare every byte, whatever the first difference. */
static int
srvreq_same(const char *tok, const char *h, size_t n)
{
	size_t		i, tn = strlen(tok);
	unsigned char	diff;

	diff = n != tn;
	for (i = 0; i < tn; i++)
		diff |= (unsigned char)tok[i] ^ (unsigned char)(i < n ? h[i] :
		    0);
	return (diff == 0);
}

int
srvreq_token_side(const struct srvreq *rq, const char *h)
{
	size_t	n;
	int	i, side = -1;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return (-1);
	h += 7;
	while (*h == ' ')
		h++;
	n = strlen(h);
	while (n > 0 && h[n - 1] == ' ')
		n--;
	for (i = 0; i < NSIDES; i++)
		if (rq->tokens[i] != NULL && srvreq_same(rq->tokens[i], h, n))
			side = i;
	return (side);
}

int
srvreq_path(const char *url)
{
	size_t	n = strlen(SRVREQ_PATH);

	return (strncmp(url, SRVREQ_PATH, n) == 0 &&
	    (url[n] == '\0' || url[n] == '/'));
}

int
srvreq_owns(void *con_cls)
{
	return (con_cls != NULL &&
	    ((struct srvreq_conn *)con_cls)->magic == SRVREQ_MAGIC);
}

void
srvreq_completed(void *con_cls)
{
	struct srvreq_conn	*conn = con_cls;

	if (!srvreq_owns(con_cls))
		return;
	conn->magic = 0;
	free(conn->body);
	free(conn);
}

static enum MHD_Result
srvreq_queue(struct MHD_Connection *c, unsigned status,
    struct MHD_Response *r)
{
	enum MHD_Result	ret;

	if (r == NULL)
		return (MHD_NO);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
	    "private, no-cache");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return (ret);
}

/* A plain-text error: the reason, one line. */
static enum MHD_Result
srvreq_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static enum MHD_Result
srvreq_error(struct MHD_Connection *c, unsigned status, const char *fmt, ...)
{
	struct MHD_Response	*r;
	va_list			 ap;
	char			*text;
	int			 n;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return (MHD_NO);
	r = MHD_create_response_from_buffer((size_t)n, text,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(text);
		return (MHD_NO);
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; charset=utf-8");
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
		    "Bearer realm=\"bordercop-sim\"");
	return (srvreq_queue(c, status, r));
}

static enum MHD_Result
srvreq_json(struct MHD_Connection *c, unsigned status, struct apibuf *b)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer(b->len, b->p,
	    MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		apibuf_done(b);
		return (MHD_NO);
	}
	apibuf_init(b);		/* the response owns the bytes now */
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, SRVREQ_TYPE);
	return (srvreq_queue(c, status, r));
}

/* The short answer to a POST: id, state, server time. */
static enum MHD_Result
srvreq_ack(struct MHD_Connection *c, unsigned status, const char *id,
    enum req_state st, double now)
{
	struct apibuf	b;
	char		tbuf[40];

	time_format_rfc3339(now, tbuf, sizeof tbuf);
	apibuf_init(&b);
	apibuf_str(&b, "{\"id\":");
	apibuf_json_string(&b, id);
	apibuf_str(&b, ",\"state\":");
	apibuf_json_string(&b, req_state_names[st]);
	apibuf_str(&b, ",\"server_time\":");
	apibuf_json_string(&b, tbuf);
	apibuf_str(&b, "}");
	return (srvreq_json(c, status, &b));
}

/* Whether a token may make one more call; else *retry (s) (lock held). */
static int
srvreq_rate_ok(struct srvreq *rq, int side, unsigned *retry)
{
	struct srvreq_bucket	*bk = &rq->bucket[side];
	double			 now, cap, per_s;

	if (rq->cfg.rate_per_min == 0)
		return (1);
	cap = rq->cfg.rate_per_min;
	per_s = cap / 60.0;
	now = srvreq_mono();
	if (bk->last == 0)
		bk->tokens = cap;
	else
		bk->tokens = fmin(cap, bk->tokens + (now - bk->last) * per_s);
	bk->last = now;
	if (bk->tokens >= 1) {
		bk->tokens -= 1;
		return (1);
	}
	*retry = (unsigned)ceil((1 - bk->tokens) / per_s);
	if (*retry == 0)
		*retry = 1;
	return (0);
}

static int
srvreq_same_content(const struct request *a, const struct request *b)
{
	return (a->sender == b->sender && a->kind == b->kind &&
	    a->a_km == b->a_km && a->b_km == b->b_km &&
	    floor(a->expires) == floor(b->expires) &&
	    strcmp(a->gap, b->gap) == 0 && strcmp(a->sector, b->sector) == 0 &&
	    strcmp(a->text, b->text) == 0);
}

static enum MHD_Result
srvreq_create(struct srvreq *rq, struct MHD_Connection *c,
    struct srvreq_conn *conn, int side)
{
	struct request	 r, *have;
	char		 why[256];
	double		 now;
	enum bc_status	 st;
	enum req_state	 state;
	int		 claimed;

	if (conn->too_big)
		return (srvreq_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
		    "body larger than %d bytes\n", REQ_BODY_MAX));
	st = reqfeed_parse_new(conn->body != NULL ? conn->body : "",
	    conn->len, rq->side_codes, &r, &claimed, why, sizeof why);
	if (st != BC_OK)
		return (srvreq_error(c, MHD_HTTP_BAD_REQUEST, "%s\n", why));
	if (claimed >= 0 && claimed != side)
		return (srvreq_error(c, MHD_HTTP_FORBIDDEN, "a %s token cannot "
		    "create a request as %s\n", rq->side_codes[side],
		    rq->side_codes[claimed]));
	r.sender = side;
	r.addressee = 1 - side;
	now = srvreq_now(rq);
	if ((st = req_validate(&r, rq->cfg.line_km, now, why, sizeof why)) !=
	    BC_OK)
		return (srvreq_error(c, MHD_HTTP_BAD_REQUEST, "%s\n", why));

	pthread_mutex_lock(&rq->lock);
	srvreq_expire(rq, now);
	if ((have = srvreq_find(rq, r.id)) != NULL) {
		/* A retry: the same request, never a second one. */
		if (!srvreq_same_content(have, &r)) {
			pthread_mutex_unlock(&rq->lock);
			return (srvreq_error(c, MHD_HTTP_CONFLICT, "id %s: "
			    "taken by another request\n", r.id));
		}
		state = have->state;
		pthread_mutex_unlock(&rq->lock);
		return (srvreq_ack(c, MHD_HTTP_OK, r.id, state, now));
	}
	if (rq->n >= SRVREQ_MAX) {
		pthread_mutex_unlock(&rq->lock);
		return (srvreq_error(c, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "the request store is full\n"));
	}
	req_start(&r, now);
	r.seq = rq->seq + 1;
	if (srvreq_persist(rq, &r) != 0) {
		pthread_mutex_unlock(&rq->lock);
		return (srvreq_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot store the request\n"));
	}
	rq->seq++;
	srvreq_add(rq, &r);
	if (rq->cfg.crash_after_store && !rq->crashed) {
		/* The test fault: stored and durable, never answered. */
		rq->crashed = 1;
		kill(getpid(), SIGKILL);
	}
	pthread_mutex_unlock(&rq->lock);
	return (srvreq_ack(c, MHD_HTTP_CREATED, r.id, RS_SENT, now));
}

static enum MHD_Result
srvreq_answer(struct srvreq *rq, struct MHD_Connection *c,
    struct srvreq_conn *conn, int side, const char *id)
{
	struct req_answer	 a;
	struct request		*r;
	struct srvreq_after	 af;
	char			 why[256];
	double			 now;
	enum bc_status		 st;
	enum req_state		 state;

	if (conn->too_big)
		return (srvreq_error(c, MHD_HTTP_CONTENT_TOO_LARGE,
		    "body larger than %d bytes\n", REQ_BODY_MAX));
	st = reqfeed_parse_answer(conn->body != NULL ? conn->body : "",
	    conn->len, &a, why, sizeof why);
	if (st != BC_OK)
		return (srvreq_error(c, MHD_HTTP_BAD_REQUEST, "%s\n", why));
	if (isfinite(a.counter_a_km) && (a.counter_a_km < 0 ||
	    a.counter_b_km > rq->cfg.line_km ||
	    !(a.counter_a_km < a.counter_b_km)))
		return (srvreq_error(c, MHD_HTTP_BAD_REQUEST, "from_km, to_km: "
		    "want 0 <= from < to <= %.3f\n", rq->cfg.line_km));
	now = srvreq_now(rq);
	memset(&af, 0, sizeof af);
	pthread_mutex_lock(&rq->lock);
	srvreq_expire(rq, now);
	if ((r = srvreq_find(rq, id)) == NULL) {
		pthread_mutex_unlock(&rq->lock);
		return (srvreq_error(c, MHD_HTTP_NOT_FOUND, "no request %s\n",
		    id));
	}
	st = req_check(r, &a, side, why, sizeof why);
	if (st != BC_OK) {
		pthread_mutex_unlock(&rq->lock);
		return (srvreq_error(c, st == BC_AUTH ? MHD_HTTP_FORBIDDEN :
		    MHD_HTTP_CONFLICT, "%s\n", why));
	}
	if (srvreq_change(rq, r, &a, side, now, &af) != 0) {
		pthread_mutex_unlock(&rq->lock);
		return (srvreq_error(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "cannot store the answer\n"));
	}
	state = r->state;
	pthread_mutex_unlock(&rq->lock);
	srvreq_after(rq, &af);
	return (srvreq_ack(c, MHD_HTTP_OK, id, state, now));
}

/* The ETag of a list: tag, store sequence and side; the since and the
   encoding make it strong. */
static void
srvreq_etag(const struct srvreq *rq, char *buf, size_t len, uint64_t seq,
    int side, int full, uint64_t since, int gz)
{
	char	cur[APIWRITE_CURSOR_MAX], sn[APIWRITE_CURSOR_MAX];

	apiwrite_cursor(cur, sizeof cur, seq, rq->tag);
	if (full)
		snprintf(sn, sizeof sn, "f");
	else
		apiwrite_cursor(sn, sizeof sn, since, "s");
	snprintf(buf, len, "\"r-%s-%s-%s-%c\"", cur, rq->side_codes[side], sn,
	    gz ? 'g' : 'i');
}

/* Whether If-None-Match names a list of this sequence for this side:
   nothing changed for the client since it got it. */
static int
srvreq_unchanged(const struct srvreq *rq, const char *inm, uint64_t seq,
    int side)
{
	char		 prefix[128], cur[APIWRITE_CURSOR_MAX];

	apiwrite_cursor(cur, sizeof cur, seq, rq->tag);
	snprintf(prefix, sizeof prefix, "\"r-%s-%s-", cur,
	    rq->side_codes[side]);
	return (strstr(inm, prefix) != NULL);
}

static enum MHD_Result
srvreq_list(struct srvreq *rq, struct MHD_Connection *c, int side)
{
	struct MHD_Response	*resp;
	struct req_answer	 a;
	struct apibuf		 b;
	const struct request	*r;
	const char		*since_s, *ae, *inm;
	char			 cursor[APIWRITE_CURSOR_MAX], tbuf[40], etag[160];
	char			*gzp;
	size_t			 i, gzlen;
	uint64_t		 since = 0, seq;
	double			 now;
	int			 full = 1, gz, first;

	since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "since");
	ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	gz = ae != NULL && server_accepts_gzip(ae);
	now = srvreq_now(rq);

	pthread_mutex_lock(&rq->lock);
	srvreq_expire(rq, now);
	/* The addressee's client fetched them: delivered. */
	req_answer_init(&a);
	a.state = RS_DELIVERED;
	for (i = 0; i < rq->n; i++)
		if (rq->v[i].addressee == side && rq->v[i].state == RS_SENT)
			srvreq_change(rq, &rq->v[i], &a, REQ_SIDE_SERVER, now,
			    NULL);
	seq = rq->seq;
	if (since_s != NULL &&
	    apiwrite_cursor_parse(since_s, rq->tag, &since) == 0 &&
	    since <= seq)
		full = 0;
	else
		since = 0;
	if (inm != NULL && srvreq_unchanged(rq, inm, seq, side)) {
		pthread_mutex_unlock(&rq->lock);
		resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (resp == NULL)
			return (MHD_NO);
		srvreq_etag(rq, etag, sizeof etag, seq, side, full, since, gz);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
		return (srvreq_queue(c, MHD_HTTP_NOT_MODIFIED, resp));
	}
	apiwrite_cursor(cursor, sizeof cursor, seq, rq->tag);
	time_format_rfc3339(now, tbuf, sizeof tbuf);
	apibuf_init(&b);
	apibuf_str(&b, "{\"api\":\"" REQ_API "\",\"side\":");
	apibuf_json_string(&b, rq->side_codes[side]);
	apibuf_str(&b, ",\"server_time\":");
	apibuf_json_string(&b, tbuf);
	apibuf_str(&b, ",\"cursor\":");
	apibuf_json_string(&b, cursor);
	apibuf_str(&b, full ? ",\"full\":true" : ",\"full\":false");
	apibuf_str(&b, ",\"requests\":[");
	first = 1;
	for (i = 0; i < rq->n; i++) {
		r = &rq->v[i];
		/* Only the parties see a request. */
		if (r->sender != side && r->addressee != side)
			continue;
		if (!full && r->seq <= since)
			continue;
		if (full && req_state_terminal(r->state) &&
		    r->stamps[r->state].t < now - SRVREQ_KEEP_S)
			continue;
		if (!first)
			apibuf_add(&b, ",", 1);
		first = 0;
		req_write(&b, r, rq->side_codes);
	}
	pthread_mutex_unlock(&rq->lock);
	apibuf_str(&b, "]}");

	if (gz && b.len >= SRVREQ_GZIP_MIN &&
	    server_gzip(b.p, b.len, &gzp, &gzlen) == 0) {
		apibuf_done(&b);
		b.p = gzp;
		b.len = gzlen;
	} else
		gz = 0;
	srvreq_etag(rq, etag, sizeof etag, seq, side, full, since, gz);
	resp = MHD_create_response_from_buffer(b.len, b.p,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		apibuf_done(&b);
		return (MHD_NO);
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
	    SRVREQ_TYPE);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	if (gz)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING,
		    "gzip");
	return (srvreq_queue(c, MHD_HTTP_OK, resp));
}

static enum MHD_Result
srvreq_method(struct MHD_Connection *c, const char *allow)
{
	struct MHD_Response	*r;
	static const char	 text[] = "method not allowed\n";

	r = MHD_create_response_from_buffer(sizeof text - 1,
	    (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
	if (r != NULL)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	return (srvreq_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r));
}

enum MHD_Result
srvreq_handle(struct srvreq *rq, struct MHD_Connection *c, const char *url,
    const char *method, const char *upload_data, size_t *upload_size,
    void **con_cls)
{
	struct srvreq_conn	*conn;
	const char		*auth, *rest, *slash;
	char			 id[REQ_ID_MAX + 1];
	unsigned		 retry;
	size_t			 n;
	int			 side, ok, post;

	if (*con_cls == NULL) {
		conn = xcalloc(1, sizeof *conn);
		conn->magic = SRVREQ_MAGIC;
		*con_cls = conn;
		return (MHD_YES);
	}
	conn = *con_cls;
	if (*upload_size != 0) {
		n = *upload_size;
		*upload_size = 0;
		if (conn->too_big || conn->len + n > REQ_BODY_MAX) {
			conn->too_big = 1;
			return (MHD_YES);
		}
		conn->body = xreallocarray(conn->body, conn->len + n + 1, 1);
		memcpy(conn->body + conn->len, upload_data, n);
		conn->len += n;
		conn->body[conn->len] = '\0';
		return (MHD_YES);
	}

	auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth == NULL)
		return (srvreq_error(c, MHD_HTTP_UNAUTHORIZED,
		    "requests need a side's bearer token\n"));
	if ((side = srvreq_token_side(rq, auth)) < 0)
		return (srvreq_error(c, MHD_HTTP_UNAUTHORIZED,
		    "this token is not a side's token\n"));
	pthread_mutex_lock(&rq->lock);
	ok = srvreq_rate_ok(rq, side, &retry);
	pthread_mutex_unlock(&rq->lock);
	if (!ok) {
		struct MHD_Response	*r;
		static const char	 text[] = "too many requests\n";
		char			 ra[16];

		r = MHD_create_response_from_buffer(sizeof text - 1,
		    (void *)(uintptr_t)text, MHD_RESPMEM_PERSISTENT);
		if (r != NULL) {
			snprintf(ra, sizeof ra, "%u", retry);
			MHD_add_response_header(r,
			    MHD_HTTP_HEADER_RETRY_AFTER, ra);
		}
		return (srvreq_queue(c, MHD_HTTP_TOO_MANY_REQUESTS, r));
	}

	post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	rest = url + strlen(SRVREQ_PATH);
	if (*rest == '\0') {
		if (post)
			return (srvreq_create(rq, c, conn, side));
		if (strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
		    strcmp(method, MHD_HTTP_METHOD_HEAD) == 0)
			return (srvreq_list(rq, c, side));
		return (srvreq_method(c, "GET, HEAD, POST"));
	}
	/* /{id}/state */
	rest++;
	slash = strchr(rest, '/');
	if (slash == NULL || strcmp(slash, "/state") != 0 ||
	    (size_t)(slash - rest) > REQ_ID_MAX)
		return (srvreq_error(c, MHD_HTTP_NOT_FOUND, "not found\n"));
	memcpy(id, rest, (size_t)(slash - rest));
	id[slash - rest] = '\0';
	if (!req_id_ok(id))
		return (srvreq_error(c, MHD_HTTP_NOT_FOUND, "not found\n"));
	if (!post)
		return (srvreq_method(c, "POST"));
	return (srvreq_answer(rq, c, conn, side, id));
}

void
srvreq_tick(struct srvreq *rq, double now)
{
	struct srvreq_after	 af[8];
	struct req_answer	 a;
	struct request		*r;
	size_t			 i, naf = 0;

	pthread_mutex_lock(&rq->lock);
	srvreq_expire(rq, now);
	for (i = 0; rq->cfg.auto_side >= 0 && i < rq->n; i++) {
		r = &rq->v[i];
		if (r->addressee != rq->cfg.auto_side ||
		    (r->state != RS_SENT && r->state != RS_DELIVERED &&
		    r->state != RS_SEEN) ||
		    now < r->created + rq->cfg.auto_delay_s)
			continue;
		/* The simulated side's officer: takes a cover request,
		   has read the rest. */
		req_answer_init(&a);
		a.state = r->kind == REQ_COVER ? RS_ACCEPTED : RS_SEEN;
		if (a.state == r->state)
			continue;
		if (naf < 8)
			memset(&af[naf], 0, sizeof af[naf]);
		srvreq_change(rq, r, &a, rq->cfg.auto_side, now,
		    naf < 8 ? &af[naf] : NULL);
		if (naf < 8 && af[naf].dispatch)
			naf++;
	}
	pthread_mutex_unlock(&rq->lock);
	for (i = 0; i < naf; i++)
		srvreq_after(rq, &af[i]);
}
