/*
 * server.c: coordination API v1 over HTTP with libmicrohttpd.
 *
 * libmicrohttpd parses HTTP; this file decides what to answer.  Rendered
 * bodies are cached per (version, cursor, encoding), so many clients
 * polling the same version cost one rendering and one compression, and
 * share the bytes (reference-counted, never copied per request).
 *
 * Locks: `scen` (read-write) guards the scenario: answers are rendered
 * under its read lock, so renderings run in parallel and the scenario
 * only advances between them.  `lock` (a mutex) guards the cache and
 * the counters, and is only held for a lookup, never for a rendering.
 * Order: scen before lock.
 *
 * Shared caches (bordercop-api(7), CACHING): an answer's ETag names its
 * version, partition and encoding, not the cursor it answers, so a
 * client that sends back the last tag it got with its new cursor finds
 * it in a cache too; Cache-Control lets a cache keep an answer until the
 * next version is due (at least a second) and serve it stale while it
 * revalidates.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#define ZLIB_CONST
#include <zlib.h>

#include "apiwrite.h"
#include "scenario.h"
#include "server.h"
#include "xmalloc.h"

#define SRV_PATH		"/v1/positions"
#define SRV_TYPE		"application/geo+json"
#define SRV_CACHE		8
#define SRV_GZIP_LEVEL		9
#define SRV_CONN_LIMIT		512
#define SRV_PER_IP_LIMIT	64	/* connections from one address */
#define SRV_IDLE_S		15	/* a silent connection is closed */
#define SRV_HEAD_S		15	/* a request head must be whole by then */

const char *const server_fault_names[FAULT_COUNT] = {
#define X(id, name, help) name,
	SERVER_FAULTS(X)
#undef X
};

/* A rendered body, shared by the cache and the answers that send it. */
struct srv_blob {
	unsigned	 refs;		/* under srv->lock */
	size_t		 len;
	char		*p;
};

struct srv_cache {
	struct srv_blob	*blob;		/* NULL: empty or being rendered */
	int		 busy;		/* being rendered */
	uint64_t	 version;
	uint64_t	 since;
	int		 full;
	int		 gz;
	int		 part;		/* partition (side), -1: none */
	unsigned long	 used;
};

struct server {
	struct server_config	 cfg;
	char			*token;
	char			*side_token[NSIDES];	/* partitions */
	char			 tag[APIWRITE_TAG_MAX + 1];
	struct scenario		*sc;
	struct MHD_Daemon	*d;
	unsigned		 port;

	pthread_rwlock_t	 scen;	/* sc */
	pthread_mutex_t		 lock;	/* everything below */
	pthread_cond_t		 rendered;	/* a busy entry is done */
	struct srv_cache	 cache[SRV_CACHE];
	unsigned long		 clock;
	double			 versioned;	/* monotonic s of the version */
	unsigned long		 nrequests;
	unsigned long		 nfaulted;
	uint64_t		 rng;
	int			 faults_on;
	int			 quitting;

	/* The connections waiting for a request head (see srv_watchdog). */
	pthread_mutex_t		 conns_lock;
	struct srv_conn		*conns;
	pthread_t		 watchdog;
	int			 watchdog_on;
};

/* A connection, from accept (or the end of its last answer) until the
   head of its next request is read. */
struct srv_conn {
	struct srv_conn	*next, *prev;
	int		 fd;
	double		 since;		/* CLOCK_MONOTONIC, s */
	int		 headed;	/* a request head came: not timed */
};

/* A body sent through a callback: cut short, or trickled. */
struct srv_body {
	struct server	*srv;
	struct srv_blob	*blob;
	size_t		 limit;		/* bytes sent before failing */
	unsigned	 bps;		/* 0: as fast as possible */
};

static int	srv_quitting(struct server *);

static unsigned
srv_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return ((unsigned)(c - '0'));
	if (c >= 'a' && c <= 'f')
		return ((unsigned)(c - 'a' + 10));
	if (c >= 'A' && c <= 'F')
		return ((unsigned)(c - 'A' + 10));
	return (16);
}

/* Monotonic seconds. */
static double
srv_mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + ts.tv_nsec / 1e9);
}

/*
 * libmicrohttpd's timeout is for silence only: a client that sends one
 * byte of its request head every few seconds would hold a thread and a
 * connection for ever.  Each connection is noted here, and a watchdog
 * shuts down those whose head is not whole SRV_HEAD_S after they opened
 * or after their last answer; libmicrohttpd then closes them.
 */
static void
srv_notify_conn(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct server			*srv = cls;
	struct srv_conn			*k;
	const union MHD_ConnectionInfo	*ci;

	pthread_mutex_lock(&srv->conns_lock);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		k = xcalloc(1, sizeof *k);
		ci = MHD_get_connection_info(c,
		    MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci != NULL ? ci->connect_fd : -1;
		k->since = srv_mono();
		k->next = srv->conns;
		if (srv->conns != NULL)
			srv->conns->prev = k;
		srv->conns = k;
		*socket_context = k;
	} else if ((k = *socket_context) != NULL) {
		if (k->prev != NULL)
			k->prev->next = k->next;
		else
			srv->conns = k->next;
		if (k->next != NULL)
			k->next->prev = k->prev;
		free(k);
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&srv->conns_lock);
}

/* Whether a request head came on c (headed 1) or its answer ended (0). */
static void
srv_conn_headed(struct server *srv, struct MHD_Connection *c, int headed)
{
	const union MHD_ConnectionInfo	*ci;
	struct srv_conn			*k;

	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (ci == NULL || (k = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&srv->conns_lock);
	k->headed = headed;
	k->since = srv_mono();
	pthread_mutex_unlock(&srv->conns_lock);
}

static void
srv_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)con_cls;
	(void)toe;
	srv_conn_headed(cls, c, 0);
}

static void *
srv_watchdog(void *arg)
{
	struct server	*srv = arg;
	struct srv_conn	*k;
	double		 now;

	while (!srv_quitting(srv)) {
		now = srv_mono();
		pthread_mutex_lock(&srv->conns_lock);
		for (k = srv->conns; k != NULL; k = k->next) {
			if (!k->headed && k->fd != -1 &&
			    now - k->since > SRV_HEAD_S)
				shutdown(k->fd, SHUT_RDWR);
		}
		pthread_mutex_unlock(&srv->conns_lock);
		usleep(250000);
	}
	return (NULL);
}

/*
 * Percent escapes decoded in place, except %00: a NUL would end the path
 * early, and "/v1/positions%00" be served as "/v1/positions".  Left as it
 * is, it makes a path that matches nothing.
 */
static size_t
srv_unescape(void *cls, struct MHD_Connection *c, char *s)
{
	char		*r = s, *w = s;
	unsigned	 hi, lo;

	(void)cls;
	(void)c;
	while (*r != '\0') {
		if (r[0] == '%' && (hi = srv_hexval(r[1])) < 16 &&
		    (lo = srv_hexval(r[2])) < 16 && (hi | lo) != 0) {
			*w++ = (char)(hi << 4 | lo);
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	return ((size_t)(w - s));
}

static int
srv_quitting(struct server *srv)
{
	int	q;

	pthread_mutex_lock(&srv->lock);
	q = srv->quitting;
	pthread_mutex_unlock(&srv->lock);
	return (q);
}

/* Sleep ms milliseconds, waking early when the server stops. */
static void
srv_sleep_ms(struct server *srv, unsigned long ms)
{
	struct timespec	ts;
	unsigned long	step;

	while (ms > 0 && !srv_quitting(srv)) {
		step = ms > 50 ? 50 : ms;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)step * 1000000L;
		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static uint64_t
srv_rand(struct server *srv)
{
	uint64_t	z;

	z = (srv->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A q-value ("1", "0.5", "0.000"), or -1 when malformed. */
static double
srv_qvalue(const char *p, size_t n)
{
	double	q, f;
	size_t	i;

	if (n == 0 || (p[0] != '0' && p[0] != '1'))
		return (-1);
	q = p[0] - '0';
	if (n == 1)
		return (q);
	if (p[1] != '.' || n > 5)
		return (-1);
	for (i = 2, f = 0.1; i < n; i++, f /= 10) {
		if (p[i] < '0' || p[i] > '9')
			return (-1);
		q += (p[i] - '0') * f;
	}
	return (q > 1 ? -1 : q);
}

int
server_accepts_gzip(const char *ae)
{
	const char	*p, *end, *semi, *tok, *tokend, *prm;
	double		 q, gzip_q = -1, star_q = -1;
	size_t		 n;

	for (p = ae; *p != '\0'; p = *end == ',' ? end + 1 : end) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		tok = p;
		while (p < end && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		tokend = p;
		q = 1;
		/* Parameters: only q matters. */
		while ((semi = memchr(p, ';', (size_t)(end - p))) != NULL) {
			p = semi + 1;
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			prm = p;
			while (p < end && *p != ';')
				p++;
			n = (size_t)(p - prm);
			while (n > 0 && (prm[n - 1] == ' ' || prm[n - 1] == '\t'))
				n--;
			if (n >= 2 && (prm[0] == 'q' || prm[0] == 'Q') &&
			    prm[1] == '=') {
				q = srv_qvalue(prm + 2, n - 2);
				if (q < 0)
					q = 0;	/* malformed: not acceptable */
			}
		}
		n = (size_t)(tokend - tok);
		if ((n == 4 && strncasecmp(tok, "gzip", 4) == 0) ||
		    (n == 6 && strncasecmp(tok, "x-gzip", 6) == 0))
			gzip_q = q;
		else if (n == 1 && *tok == '*')
			star_q = q;
	}
	if (gzip_q >= 0)
		return (gzip_q > 0);
	return (star_q > 0);
}

/* Base 36 digits of v, as in cursors (buf holds at least 14 bytes). */
static void
srv_base36(char *buf, size_t len, uint64_t v)
{
	static const char	 digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char			 tmp[16], *q;

	q = tmp + sizeof tmp;
	*--q = '\0';
	do {
		*--q = digits[v % 36];
		v /= 36;
	} while (v != 0);
	if ((size_t)(tmp + sizeof tmp - q) <= len)
		memcpy(buf, q, (size_t)(tmp + sizeof tmp - q));
	else if (len > 0)
		buf[0] = '\0';
}

/*
 * The strong ETag of the answers of one version: "tag-version-enc", or
 * "tag-version-PART-enc" in a partition.  It does not name the cursor:
 * one URL (one cursor) gives one answer per version, so the tag still
 * stands for one content per URL, and the tag a client got with its last
 * answer is the tag a cache holds for its next URL while nothing changed.
 * At most 16 + 13 + 8 + 6 bytes, well under nginx's 128.
 */
static void
srv_etag(const struct server *srv, char *buf, size_t len, uint64_t version,
    int part, int gz)
{
	char	v[24];

	srv_base36(v, sizeof v, version);
	if (part >= 0)
		snprintf(buf, len, "\"%s-%s-%s-%c\"", srv->tag, v,
		    scenario_map(srv->sc)->sides[part].code, gz ? 'g' : 'i');
	else
		snprintf(buf, len, "\"%s-%s-%c\"", srv->tag, v, gz ? 'g' : 'i');
}

/*
 * Whether If-None-Match names what the client already has: this exact
 * representation, or any answer of the current version when the client's
 * cursor is that version (nothing new for it: the tags of API 1.0 named
 * the cursor too).  Comparison is weak, as RFC 9110 asks for
 * If-None-Match, so a proxy's W/ does not matter.
 */
static int
srv_inm_match(const struct server *srv, const char *inm, uint64_t version,
    int full, uint64_t since, int part, int gz)
{
	char		 want[128], cur[32], prefix[64];
	const char	*p, *q;
	size_t		 n, wn, pn;

	srv_etag(srv, want, sizeof want, version, part, gz);
	wn = strlen(want);
	srv_base36(cur, sizeof cur, version);
	snprintf(prefix, sizeof prefix, "\"%s-%s-", srv->tag, cur);
	pn = strlen(prefix);
	for (p = inm; *p != '\0';) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		if (*p == '*')
			return (1);
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (*p != '"' || (q = strchr(p + 1, '"')) == NULL)
			break;
		n = (size_t)(q + 1 - p);
		if (n == wn && memcmp(p, want, n) == 0)
			return (1);
		/* Any answer of this run's current version, cursor current. */
		if (!full && since == version && n > pn &&
		    strncmp(p, prefix, pn) == 0)
			return (1);
		p = q + 1;
	}
	return (0);
}

int
server_gzip(const char *in, size_t len, char **out, size_t *outlen)
{
	z_stream	zs;
	size_t		bound;

	memset(&zs, 0, sizeof zs);
	if (deflateInit2(&zs, SRV_GZIP_LEVEL, Z_DEFLATED, 31, 8,
	    Z_DEFAULT_STRATEGY) != Z_OK)
		return (-1);
	bound = deflateBound(&zs, (uLong)len) + 32;
	*out = xmalloc(bound);
	zs.next_in = (const Bytef *)in;
	zs.avail_in = (uInt)len;
	zs.next_out = (Bytef *)*out;
	zs.avail_out = (uInt)bound;
	if (deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&zs);
		free(*out);
		*out = NULL;
		return (-1);
	}
	*outlen = zs.total_out;
	deflateEnd(&zs);
	return (0);
}

static void
srv_blob_unref(struct server *srv, struct srv_blob *b)
{
	int	last;

	if (b == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	last = --b->refs == 0;
	pthread_mutex_unlock(&srv->lock);
	if (last) {
		free(b->p);
		free(b);
	}
}

/* Render one representation of the current version (scen read-locked,
   lock not held). */
static struct srv_blob *
srv_render_blob(struct server *srv, uint64_t version, int full,
    uint64_t since, int part, int gz)
{
	struct apiwrite_msg	 m;
	struct apibuf		 b;
	struct srv_blob		*blob;
	char			 cursor[APIWRITE_CURSOR_MAX];

	memset(&m, 0, sizeof m);
	apiwrite_cursor(cursor, sizeof cursor, version, srv->tag);
	m.server_time = scenario_time(srv->sc);
	m.cursor = cursor;
	m.full = full;
	m.since = full ? 0 : since;
	m.slots = scenario_slots(srv->sc, &m.nslots);
	m.side_codes[0] = scenario_map(srv->sc)->sides[0].code;
	m.side_codes[1] = scenario_map(srv->sc)->sides[1].code;
	m.partition = part >= 0 ? m.side_codes[part] : NULL;
	apibuf_init(&b);
	apiwrite_positions(&b, &m);

	blob = xcalloc(1, sizeof *blob);
	blob->refs = 1;
	if (gz) {
		if (server_gzip(b.p, b.len, &blob->p, &blob->len) != 0) {
			apibuf_done(&b);
			free(blob);
			return (NULL);
		}
		apibuf_done(&b);
	} else {
		blob->p = b.p;
		blob->len = b.len;
	}
	return (blob);
}

/*
 * The body of one representation of the current version, with a
 * reference for the caller (srv_blob_unref), or NULL on a failure.  The
 * caller holds scen for reading.  Each representation is rendered once:
 * a request that finds it being rendered waits for it.
 */
static struct srv_blob *
srv_render(struct server *srv, uint64_t version, int full, uint64_t since,
    int part, int gz)
{
	struct srv_cache	*e, *victim, *mine = NULL;
	struct srv_blob		*blob;
	size_t			 i;

	if (full)
		since = 0;
	pthread_mutex_lock(&srv->lock);
again:
	victim = NULL;
	for (i = 0; i < SRV_CACHE; i++) {
		e = &srv->cache[i];
		if ((e->blob != NULL || e->busy) && e->version == version &&
		    e->full == full && e->since == since && e->gz == gz &&
		    e->part == part) {
			if (e->busy) {
				pthread_cond_wait(&srv->rendered, &srv->lock);
				goto again;
			}
			e->used = ++srv->clock;
			e->blob->refs++;
			blob = e->blob;
			pthread_mutex_unlock(&srv->lock);
			return (blob);
		}
		/* An empty entry, else the least recently used one. */
		if (!e->busy && (victim == NULL || (victim->blob != NULL &&
		    (e->blob == NULL || e->used < victim->used))))
			victim = e;
	}
	if (victim != NULL) {
		/* Claim the entry; others wait for it, not render it. */
		mine = victim;
		blob = mine->blob;
		mine->blob = NULL;
		mine->busy = 1;
		mine->version = version;
		mine->full = full;
		mine->since = since;
		mine->gz = gz;
		mine->part = part;
		if (blob != NULL && --blob->refs == 0) {
			free(blob->p);
			free(blob);
		}
	}
	pthread_mutex_unlock(&srv->lock);

	blob = srv_render_blob(srv, version, full, since, part, gz);

	if (mine != NULL) {
		pthread_mutex_lock(&srv->lock);
		mine->busy = 0;
		mine->used = ++srv->clock;
		if (blob != NULL) {
			blob->refs++;
			mine->blob = blob;
		}
		pthread_cond_broadcast(&srv->rendered);
		pthread_mutex_unlock(&srv->lock);
	}
	return (blob);
}

static enum MHD_Result
srv_queue(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
	enum MHD_Result	ret;

	if (r == NULL)
		return (MHD_NO);
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return (ret);
}

static struct MHD_Response *
srv_text(const char *text)
{
	struct MHD_Response	*r;

	r = MHD_create_response_from_buffer(strlen(text), (void *)(uintptr_t)
	    text, MHD_RESPMEM_PERSISTENT);
	if (r != NULL) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		    "text/plain; charset=utf-8");
		MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
		    "no-store");
	}
	return (r);
}

static ssize_t
srv_body_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct srv_body	*body = cls;
	size_t		 n, chunk;

	if (pos >= body->limit)
		return (body->limit < body->blob->len ?
		    MHD_CONTENT_READER_END_WITH_ERROR :
		    MHD_CONTENT_READER_END_OF_STREAM);
	n = body->limit - (size_t)pos;
	if (n > max)
		n = max;
	if (body->bps > 0) {
		/* A quarter of a second's worth per call. */
		chunk = body->bps / 4 > 0 ? body->bps / 4 : 1;
		if (n > chunk)
			n = chunk;
		srv_sleep_ms(body->srv, 1000UL * n / body->bps);
		if (srv_quitting(body->srv))
			return (MHD_CONTENT_READER_END_WITH_ERROR);
	}
	memcpy(buf, body->blob->p + pos, n);
	return ((ssize_t)n);
}

static void
srv_body_free(void *cls)
{
	struct srv_body	*body = cls;

	srv_blob_unref(body->srv, body->blob);
	free(body);
}

/* Which fault, if any, this request gets (FAULT_COUNT: none). */
static enum server_fault
srv_pick_fault(struct server *srv)
{
	enum server_fault	 kinds[FAULT_COUNT], f;
	size_t			 nk;
	int			 k;

	f = FAULT_COUNT;
	pthread_mutex_lock(&srv->lock);
	srv->nrequests++;
	if (srv->faults_on && srv->cfg.faults != 0 &&
	    srv->nrequests > srv->cfg.fault_after &&
	    (srv->cfg.fault_count == 0 ||
	    srv->nfaulted < srv->cfg.fault_count) &&
	    (double)(srv_rand(srv) >> 11) * 0x1.0p-53 < srv->cfg.fault_rate) {
		for (nk = 0, k = 0; k < FAULT_COUNT; k++)
			if (srv->cfg.faults & (1u << k))
				kinds[nk++] = (enum server_fault)k;
		f = kinds[srv_rand(srv) % nk];
		srv->nfaulted++;
	}
	pthread_mutex_unlock(&srv->lock);
	return (f);
}

static enum MHD_Result
srv_fault_status(struct server *srv, struct MHD_Connection *c)
{
	struct MHD_Response	*r;
	char			 ra[16];

	r = srv_text("injected fault\n");
	if (r != NULL && srv->cfg.retry_after_s > 0) {
		snprintf(ra, sizeof ra, "%u", srv->cfg.retry_after_s);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	return (srv_queue(c, srv->cfg.fault_status, r));
}

static enum MHD_Result
srv_fault_garbage(struct server *srv, struct MHD_Connection *c)
{
	struct MHD_Response	*r;
	static const char	 head[] = "{\"type\":\"FeatureCollection\",\"fe";
	char			*p;
	size_t			 n, i;

	n = 512;
	p = xmalloc(n);
	memcpy(p, head, sizeof head - 1);
	pthread_mutex_lock(&srv->lock);
	for (i = sizeof head - 1; i < n; i++)
		p[i] = (char)(srv_rand(srv) & 0xff);
	pthread_mutex_unlock(&srv->lock);
	r = MHD_create_response_from_buffer(n, p, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(p);
		return (MHD_NO);
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, SRV_TYPE);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	return (srv_queue(c, MHD_HTTP_OK, r));
}

/* Whether the n bytes at h are the token, in constant time. */
static int
srv_token_is(const char *token, const char *h, size_t n)
{
	size_t		i, tn;
	unsigned char	diff;

	tn = strlen(token);
	/* Compare every byte, whatever the first difference. */
	diff = n != tn;
	for (i = 0; i < tn; i++)
		diff |= (unsigned char)token[i] ^
		    (unsigned char)(i < n ? h[i] : 0);
	return (diff == 0);
}

/*
 * Whether the request may read, and in which partition: 1 and *part -1
 * without partitions, 1 and the side whose token it carries with them,
 * 0 when it may not.
 */
static int
srv_authorized(const struct server *srv, struct MHD_Connection *c, int *part)
{
	const char	*h;
	size_t		 n;
	int		 side, ok;

	*part = -1;
	if (srv->token == NULL && srv->side_token[0] == NULL &&
	    srv->side_token[1] == NULL)
		return (1);
	h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_AUTHORIZATION);
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return (0);
	h += 7;
	while (*h == ' ')
		h++;
	n = strlen(h);
	while (n > 0 && h[n - 1] == ' ')
		n--;
	ok = srv->token != NULL && srv_token_is(srv->token, h, n);
	for (side = 0; side < NSIDES; side++)
		if (srv->side_token[side] != NULL &&
		    srv_token_is(srv->side_token[side], h, n)) {
			*part = side;
			ok = 1;
		}
	return (ok);
}

/*
 * Cache-Control of an answer: a shared cache keeps it until the next
 * version is due (whole seconds, at least 1: an answer is never more
 * than a second behind its version), may serve it stale for a tick
 * while it fetches the next, and for a minute when the API fails (the
 * answer's server_time shows its age).  s-maxage lets a shared cache
 * store an answer to a request with a token (RFC 9111 section 3.5); it
 * must then key on the token or partition, as bordercop-api(7) says.
 */
static void
srv_cache_control(struct server *srv, char *buf, size_t len)
{
	double		left;
	unsigned	keep, tick;

	pthread_mutex_lock(&srv->lock);
	left = srv->cfg.tick_s - (srv_mono() - srv->versioned);
	pthread_mutex_unlock(&srv->lock);
	keep = left >= 2 ? (unsigned)floor(left) : 1;
	tick = srv->cfg.tick_s >= 1 ? (unsigned)ceil(srv->cfg.tick_s) : 1;
	snprintf(buf, len, "max-age=%u, s-maxage=%u, "
	    "stale-while-revalidate=%u, stale-if-error=60", keep, keep, tick);
}

static enum MHD_Result
srv_positions(struct server *srv, struct MHD_Connection *c, int part)
{
	struct srv_blob		*blob;
	struct MHD_Response	*r;
	struct srv_body		*body;
	enum server_fault	 fault;
	const char		*since_s, *ae, *inm;
	char			 etag[128], cc[128];
	uint64_t		 version, since;
	int			 full, gz;
	unsigned		 status;

	fault = srv_pick_fault(srv);
	switch (fault) {
	case FAULT_STATUS:
		return (srv_fault_status(srv, c));
	case FAULT_GARBAGE:
		return (srv_fault_garbage(srv, c));
	case FAULT_DELAY:
		srv_sleep_ms(srv, srv->cfg.fault_delay_ms);
		break;
	default:
		break;
	}

	since_s = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
	    "since");
	ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT_ENCODING);
	inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	gz = ae != NULL && server_accepts_gzip(ae);

	pthread_rwlock_rdlock(&srv->scen);
	version = scenario_version(srv->sc);
	full = 1;
	since = 0;
	if (since_s != NULL &&
	    apiwrite_cursor_parse(since_s, srv->tag, &since) == 0 &&
	    since <= version)
		full = 0;
	else
		since = 0;
	srv_etag(srv, etag, sizeof etag, version, part, gz);
	srv_cache_control(srv, cc, sizeof cc);
	/* A delayed answer is the same answer, late: 304 included. */
	if (inm != NULL && (fault == FAULT_COUNT || fault == FAULT_DELAY) &&
	    srv_inm_match(srv, inm, version, full, since, part, gz)) {
		pthread_rwlock_unlock(&srv->scen);
		r = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		status = MHD_HTTP_NOT_MODIFIED;
	} else {
		blob = srv_render(srv, version, full, since, part, gz);
		pthread_rwlock_unlock(&srv->scen);
		if (blob == NULL)
			return (srv_queue(c, MHD_HTTP_INTERNAL_SERVER_ERROR,
			    srv_text("cannot compress\n")));
		body = xcalloc(1, sizeof *body);
		body->srv = srv;
		body->blob = blob;
		body->limit = blob->len;
		if (fault == FAULT_TRUNCATE)
			body->limit = blob->len / 2;
		if (fault == FAULT_SLOW)
			body->bps = srv->cfg.fault_slow_bps;
		status = MHD_HTTP_OK;
		if (fault == FAULT_TRUNCATE || fault == FAULT_SLOW)
			r = MHD_create_response_from_callback(blob->len,
			    16384, srv_body_read, body, srv_body_free);
		else
			r = MHD_create_response_from_buffer_with_free_callback_cls(
			    blob->len, blob->p, srv_body_free, body);
		if (r == NULL)
			srv_body_free(body);
	}
	if (r == NULL)
		return (MHD_NO);
	MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, etag);
	/* The answer depends on the token when there are partitions. */
	MHD_add_response_header(r, MHD_HTTP_HEADER_VARY, part >= 0 ?
	    "Accept-Encoding, Authorization" : MHD_HTTP_HEADER_ACCEPT_ENCODING);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
	if (status == MHD_HTTP_OK) {
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		    SRV_TYPE);
		if (gz)
			MHD_add_response_header(r,
			    MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
	}
	return (srv_queue(c, status, r));
}

static enum MHD_Result
srv_handle(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **con_cls)
{
	static int		 first_call;
	struct server		*srv = cls;
	struct MHD_Response	*r;
	int			 part;

	if (*con_cls == NULL) {
		*con_cls = &first_call;
		srv_conn_headed(srv, c, 1);
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0) {
			r = srv_text("method not allowed\n");
			if (r != NULL)
				MHD_add_response_header(r,
				    MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
			return (srv_queue(c, MHD_HTTP_METHOD_NOT_ALLOWED, r));
		}
		return (MHD_YES);
	}
	if (*upload_size != 0) {
		*upload_size = 0;	/* a GET with a body: ignored */
		return (MHD_YES);
	}
	if (strcmp(url, SRV_PATH) != 0)
		return (srv_queue(c, MHD_HTTP_NOT_FOUND, srv_text("not found\n")));
	if (!srv_authorized(srv, c, &part)) {
		r = srv_text("a bearer token is required\n");
		if (r != NULL)
			MHD_add_response_header(r,
			    MHD_HTTP_HEADER_WWW_AUTHENTICATE,
			    "Bearer realm=\"bordercop-sim\"");
		return (srv_queue(c, MHD_HTTP_UNAUTHORIZED, r));
	}
	return (srv_positions(srv, c, part));
}

enum bc_status
server_start(const struct server_config *cfg, struct scenario *sc,
    struct server **out, char *why, size_t whylen)
{
	struct server		*srv;
	struct sockaddr_in	 sin;
	struct sockaddr_in6	 sin6;
	struct sockaddr		*sa;
	const union MHD_DaemonInfo *info;
	pthread_rwlockattr_t	 rwa;
	unsigned		 flags;
	size_t			 i;

	*out = NULL;
	srv = xcalloc(1, sizeof *srv);
	srv->cfg = *cfg;
	srv->sc = sc;
	srv->faults_on = 1;
	srv->rng = cfg->seed ^ 0x5eed5eed5eedULL;
	if (cfg->token != NULL)
		srv->token = xstrdup(cfg->token);
	for (i = 0; i < NSIDES; i++)
		if (cfg->side_token[i] != NULL)
			srv->side_token[i] = xstrdup(cfg->side_token[i]);
	srv->versioned = srv_mono();
	snprintf(srv->tag, sizeof srv->tag, "%s", cfg->tag);
	/* Writer first: renders hold the read lock for long (megabytes to
	   gzip), and readers that jump a waiting writer would keep the
	   next version, and SIGTERM, waiting for ever. */
	pthread_rwlockattr_init(&rwa);
	pthread_rwlockattr_setkind_np(&rwa,
	    PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&srv->scen, &rwa);
	pthread_rwlockattr_destroy(&rwa);
	pthread_mutex_init(&srv->lock, NULL);
	pthread_mutex_init(&srv->conns_lock, NULL);
	pthread_cond_init(&srv->rendered, NULL);

	flags = MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;
	memset(&sin, 0, sizeof sin);
	memset(&sin6, 0, sizeof sin6);
	if (inet_pton(AF_INET, cfg->addr, &sin.sin_addr) == 1) {
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, cfg->addr, &sin6.sin6_addr) == 1) {
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)cfg->port);
		sa = (struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		bc_why(why, whylen, "%s: not a numeric IP address", cfg->addr);
		server_stop(srv);
		return (BC_USAGE);
	}
	srv->d = MHD_start_daemon(flags, (uint16_t)cfg->port, NULL, NULL,
	    srv_handle, srv,
	    MHD_OPTION_SOCK_ADDR, sa,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_CONN_LIMIT,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SRV_PER_IP_LIMIT,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_IDLE_S,
	    MHD_OPTION_NOTIFY_CONNECTION, srv_notify_conn, srv,
	    MHD_OPTION_NOTIFY_COMPLETED, srv_completed, srv,
	    MHD_OPTION_UNESCAPE_CALLBACK, srv_unescape, srv,
	    MHD_OPTION_END);
	if (srv->d == NULL) {
		bc_why(why, whylen, "cannot listen on %s port %u: %s",
		    cfg->addr, cfg->port, errno ? strerror(errno) :
		    "libmicrohttpd refused");
		server_stop(srv);
		return (BC_NET);
	}
	if (pthread_create(&srv->watchdog, NULL, srv_watchdog, srv) == 0)
		srv->watchdog_on = 1;
	info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info != NULL ? info->port : cfg->port;
	*out = srv;
	return (BC_OK);
}

unsigned
server_port(const struct server *srv)
{
	return (srv->port);
}

void
server_advance(struct server *srv, double t)
{
	pthread_rwlock_wrlock(&srv->scen);
	/* A new version whenever the time moves: an answer carries its
	   server_time, and a strong ETag must stand for one content. */
	scenario_advance_time(srv->sc, t);
	pthread_mutex_lock(&srv->lock);
	srv->versioned = srv_mono();
	pthread_mutex_unlock(&srv->lock);
	pthread_rwlock_unlock(&srv->scen);
}

void
server_toggle_faults(struct server *srv)
{
	pthread_mutex_lock(&srv->lock);
	srv->faults_on = !srv->faults_on;
	pthread_mutex_unlock(&srv->lock);
}

void
server_stop(struct server *srv)
{
	size_t	i;

	if (srv == NULL)
		return;
	pthread_mutex_lock(&srv->lock);
	srv->quitting = 1;
	pthread_mutex_unlock(&srv->lock);
	if (srv->watchdog_on)
		pthread_join(srv->watchdog, NULL);
	if (srv->d != NULL)
		MHD_stop_daemon(srv->d);
	for (i = 0; i < SRV_CACHE; i++)
		if (srv->cache[i].blob != NULL) {
			free(srv->cache[i].blob->p);
			free(srv->cache[i].blob);
		}
	pthread_cond_destroy(&srv->rendered);
	pthread_mutex_destroy(&srv->lock);
	pthread_mutex_destroy(&srv->conns_lock);
	pthread_rwlock_destroy(&srv->scen);
	for (i = 0; i < NSIDES; i++)
		if (srv->side_token[i] != NULL) {
			explicit_bzero(srv->side_token[i],
			    strlen(srv->side_token[i]));
			free(srv->side_token[i]);
		}
	free(srv->token);
	free(srv);
}
