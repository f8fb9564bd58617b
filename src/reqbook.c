/*
 * reqbook.c: the client's requests, their queue and their measure (see
 * reqbook.h).
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "coverage.h"
#include "events.h"
#include "picture.h"
#include "reqbook.h"
#include "reqfeed.h"
#include "request.h"
#include "util.h"
#include "xmalloc.h"

#define RB_QUEUE_MAX	(1024u * 1024)	/* bytes of a queue file */

static struct reqbook_entry *
rb_add(struct reqbook *b)
{
	struct reqbook_entry	*e;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->v = xreallocarray(b->v, b->cap, sizeof *b->v);
	}
	e = &b->v[b->n++];
	memset(e, 0, sizeof *e);
	req_init(&e->r);
	req_answer_init(&e->answer);
	e->covered_since = NAN;
	return (e);
}

struct reqbook_entry *
reqbook_find(struct reqbook *b, const char *id)
{
	size_t	i;

	for (i = 0; i < b->n; i++)
		if (strcmp(b->v[i].r.id, id) == 0)
			return (&b->v[i]);
	return (NULL);
}

struct reqbook_entry *
reqbook_put(struct reqbook *b, const char *id)
{
	struct reqbook_entry	*e;

	if ((e = reqbook_find(b, id)) != NULL)
		return (e);
	e = rb_add(b);
	snprintf(e->r.id, sizeof e->r.id, "%s", id);
	return (e);
}

/* One queue line: a request to create, or an answer to give. */
static void
rb_queue_line(const struct reqbook *b, const struct reqbook_entry *e,
    int create, struct apibuf *out)
{
	struct apibuf	one;

	apibuf_init(&one);
	if (create) {
		req_write_new(&one, &e->r, b->cfg.side_codes);
		apibuf_str(out, "{\"op\":\"new\",");
	} else {
		req_write_answer(&one, &e->answer);
		apibuf_str(out, "{\"op\":\"answer\",\"id\":");
		apibuf_json_string(out, e->r.id);
		apibuf_str(out, ",");
		/* What is known of the request, so that a restart still
		   shows its kind, stretch and sides (never "nan"). */
		if (e->r.sender >= 0 && e->r.sender < NSIDES &&
		    isfinite(e->r.a_km) && isfinite(e->r.b_km) &&
		    isfinite(e->r.expires)) {
			apibuf_str(out, "\"req\":");
			req_write_new(out, &e->r, b->cfg.side_codes);
			apibuf_str(out, ",");
		}
	}
	apibuf_str(out, one.p + 1);	/* the object's members and } */
	apibuf_str(out, "\n");
	apibuf_done(&one);
}

/* mkdir -p of the directory holding path, mode 0700 for what it makes. */
static int
rb_mkdirs(const char *path)
{
	char	*dir, *p;
	int	 rc = 0;

	dir = xstrdup(path);
	if ((p = strrchr(dir, '/')) != NULL && p != dir) {
		*p = '\0';
		for (p = dir + 1; rc == 0 && (p = strchr(p, '/')) != NULL;
		    p++) {
			*p = '\0';
			if (mkdir(dir, 0700) == -1 && errno != EEXIST)
				rc = -1;
			*p = '/';
		}
		if (rc == 0 && mkdir(dir, 0700) == -1 && errno != EEXIST)
			rc = -1;
	}
	free(dir);
	return (rc);
}

/*
 * Write the whole queue: to a temporary file, synced, renamed over the
 * old one, and the directory synced, so that a kill -9 at any point
 * leaves one queue or the other, whole.  The state directory is made
 * by the first write, so that a program that never queues anything
 * leaves nothing behind.
 */
static enum bc_status
rb_save(struct reqbook *b, char *why, size_t whylen)
{
	struct apibuf	 q;
	char		*tmp, *dir, *slash;
	size_t		 i, off;
	ssize_t		 w;
	int		 fd, dfd;

	if (b->queue_path == NULL)
		return (BC_OK);
	apibuf_init(&q);
	apibuf_str(&q, "");
	for (i = 0; i < b->n; i++) {
		if (b->v[i].pending_new)
			rb_queue_line(b, &b->v[i], 1, &q);
		if (b->v[i].pending_answer)
			rb_queue_line(b, &b->v[i], 0, &q);
	}
	xasprintf(&tmp, "%s.tmp", b->queue_path);
	if (rb_mkdirs(b->queue_path) != 0) {
		bc_why(why, whylen, "%s: %s", b->queue_path, strerror(errno));
		free(tmp);
		apibuf_done(&q);
		return (BC_IO);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		bc_why(why, whylen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	for (off = 0; off < q.len; off += (size_t)w) {
		w = write(fd, q.p + off, q.len - off);
		if (w == -1 && errno == EINTR) {
			w = 0;
			continue;
		}
		if (w <= 0) {
			bc_why(why, whylen, "%s: %s", tmp, strerror(errno));
			close(fd);
			goto fail;
		}
	}
	if (fsync(fd) == -1 || close(fd) == -1) {
		bc_why(why, whylen, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (rename(tmp, b->queue_path) == -1) {
		bc_why(why, whylen, "%s: %s", b->queue_path, strerror(errno));
		goto fail;
	}
	dir = xstrdup(b->queue_path);
	if ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';
		if ((dfd = open(*dir != '\0' ? dir : "/", O_RDONLY |
		    O_DIRECTORY | O_CLOEXEC)) != -1) {
			fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	free(tmp);
	apibuf_done(&q);
	return (BC_OK);
fail:
	unlink(tmp);
	free(tmp);
	apibuf_done(&q);
	return (BC_IO);
}

/* Read the queue back: what was not sent before the program ended. */
static enum bc_status
rb_load(struct reqbook *b, char *why, size_t whylen)
{
	struct reqfeed_item	 it;
	struct reqbook_entry	*e;
	char			*buf = NULL, *p, *nl, lwhy[160];
	size_t			 len = 0, lineno = 0;
	enum bc_status		 st;

	st = file_read_all(b->queue_path, RB_QUEUE_MAX, &buf, &len, why,
	    whylen);
	if (st != BC_OK) {
		free(buf);
		return (errno == ENOENT ? BC_OK : st);
	}
	for (p = buf; p < buf + len; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(buf + len - p))) == NULL)
			nl = buf + len;
		if (nl == p)
			continue;
		if (reqfeed_parse_item(p, (size_t)(nl - p), b->cfg.side_codes,
		    &it, lwhy, sizeof lwhy) != BC_OK) {
			/* Written whole by rename: a bad line is damage. */
			bc_why(why, whylen, "%s: line %zu: %s", b->queue_path,
			    lineno, lwhy);
			free(buf);
			return (BC_FORMAT);
		}
		if (it.op == REQFEED_NEW) {
			if ((e = reqbook_find(b, it.req.id)) == NULL) {
				e = rb_add(b);
				e->r = it.req;
			}
			e->pending_new = 1;
		} else {
			if ((e = reqbook_find(b, it.id)) == NULL) {
				e = rb_add(b);
				if (it.has_req)
					e->r = it.req;
				snprintf(e->r.id, sizeof e->r.id, "%s", it.id);
			}
			e->pending_answer = 1;
			e->answer = it.answer;
		}
	}
	free(buf);
	return (BC_OK);
}

enum bc_status
reqbook_init(struct reqbook *b, const struct reqbook_config *cfg, char *why,
    size_t whylen)
{
	uint64_t	r;
	int		i;

	memset(b, 0, sizeof *b);
	b->cfg = *cfg;
	for (i = 0; i < NSIDES; i++) {
		snprintf(b->codes[i], sizeof b->codes[i], "%s",
		    cfg->side_codes[i]);
		b->cfg.side_codes[i] = b->codes[i];
	}
	if (b->cfg.hold_s <= 0)
		b->cfg.hold_s = REQBOOK_HOLD_S;
	if (b->cfg.escalate_s <= 0)
		b->cfg.escalate_s = REQBOOK_ESCALATE_S;
	b->side = -1;
	r = cfg->seed;
	if (r == 0 && getentropy(&r, sizeof r) != 0)
		r = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	/* A prefix of this run: ids never repeat across restarts. */
	snprintf(b->id_prefix, sizeof b->id_prefix, "%08lx",
	    (unsigned long)(r & 0xffffffffUL));
	b->cfg.queue_path = NULL;
	if (cfg->queue_path != NULL) {
		b->queue_path = xstrdup(cfg->queue_path);
		if (rb_load(b, why, whylen) != BC_OK) {
			reqbook_done(b);
			return (BC_FORMAT);
		}
	}
	if (cfg->side >= 0 && cfg->side < NSIDES)
		reqbook_set_side(b, cfg->side);
	return (BC_OK);
}

void
reqbook_done(struct reqbook *b)
{
	free(b->v);
	free(b->queue_path);
	memset(b, 0, sizeof *b);
	b->side = -1;
}

void
reqbook_set_side(struct reqbook *b, int side)
{
	if (side >= 0 && side < NSIDES)
		b->side = side;
}

enum bc_status
reqbook_compose(struct reqbook *b, enum req_kind kind, double a_km,
    double b_km, const char *gap, const char *sector, const char *text,
    double expires, double pnow, double line_km, char *id, char *why,
    size_t whylen)
{
	struct reqbook_entry	*e;
	struct request		 r;
	char			 code[8];
	size_t			 i;
	enum bc_status		 st;

	if (b->side < 0) {
		bc_why(why, whylen, "our side is not known yet: wait for the "
		    "server, or set --side");
		return (BC_INVALID);
	}
	req_init(&r);
	for (i = 0; b->codes[b->side][i] != '\0' && i < sizeof code - 1; i++)
		code[i] = (char)(b->codes[b->side][i] | 0x20);
	code[i] = '\0';
	snprintf(r.id, sizeof r.id, "%s-%s-%lu", code, b->id_prefix,
	    ++b->next_id);
	r.kind = kind;
	r.sender = b->side;
	r.addressee = 1 - b->side;
	r.a_km = floor(a_km * 1000 + 0.5) / 1000;
	r.b_km = floor(b_km * 1000 + 0.5) / 1000;
	str_clean(r.gap, sizeof r.gap, gap != NULL ? gap : "",
	    gap != NULL ? strlen(gap) : 0);
	str_clean(r.sector, sizeof r.sector, sector != NULL ? sector : "",
	    sector != NULL ? strlen(sector) : 0);
	str_clean(r.text, sizeof r.text, text != NULL ? text : "",
	    text != NULL ? strlen(text) : 0);
	r.expires = floor(isfinite(expires) ? expires :
	    pnow + REQBOOK_EXPIRY_S);
	if ((st = req_validate(&r, line_km, pnow, why, whylen)) != BC_OK)
		return (st);
	e = rb_add(b);
	e->r = r;
	e->pending_new = 1;
	snprintf(id, REQ_ID_MAX + 1, "%s", r.id);
	return (rb_save(b, why, whylen));
}

enum bc_status
reqbook_answer(struct reqbook *b, const char *id,
    const struct req_answer *a, char *why, size_t whylen)
{
	struct reqbook_entry	*e;
	enum bc_status		 st;

	if ((e = reqbook_find(b, id)) == NULL) {
		bc_why(why, whylen, "no request %s", id);
		return (BC_INVALID);
	}
	if ((st = req_check(&e->r, a, b->side, why, whylen)) != BC_OK)
		return (st);
	if (a->state == e->r.state)
		return (BC_OK);
	e->answer = *a;
	e->pending_answer = 1;
	e->error[0] = '\0';
	return (rb_save(b, why, whylen));
}

int
reqbook_ack(struct reqbook *b, const char *id, struct event_log *log,
    double pnow)
{
	struct reqbook_entry	*e;
	struct event		*ev;

	if ((e = reqbook_find(b, id)) == NULL || !e->escalated || e->acked)
		return (0);
	e->acked = 1;
	ev = events_add(log, pnow, EVENT_REQ_ACK, "%s: escalation "
	    "acknowledged", e->r.id);
	if (ev != NULL && isfinite(e->r.a_km))
		ev->km = e->r.a_km;
	return (1);
}

/* "US->MX cover 620.5-633.3 km TCA" */
static void
rb_describe(const struct reqbook *b, const struct request *r, char *buf,
    size_t len)
{
	snprintf(buf, len, "%s->%s %s %.1f-%.1f km%s%s",
	    r->sender >= 0 ? b->codes[r->sender] : "?",
	    r->addressee >= 0 ? b->codes[r->addressee] : "?",
	    req_kind_names[r->kind], r->a_km, r->b_km,
	    r->sector[0] != '\0' ? " " : "", r->sector);
}

static const char *
rb_who(const struct reqbook *b, int side)
{
	return (side >= 0 && side < NSIDES ? b->codes[side] : "server");
}

void
reqbook_merge(struct reqbook *b, const struct reqfeed_msg *m, double pnow,
    struct event_log *log)
{
	const struct request	*r;
	struct reqbook_entry	*e;
	struct event		*ev;
	char			 what[96];
	size_t			 i;
	int			 fresh, changed;

	for (i = 0; i < m->nreqs; i++) {
		r = &m->reqs[i];
		fresh = 0;
		if ((e = reqbook_find(b, r->id)) == NULL) {
			e = rb_add(b);
			fresh = 1;
		} else if (e->on_server && r->seq != 0 && r->seq < e->r.seq)
			continue;	/* older than what we have */
		changed = fresh || !e->on_server || e->r.state != r->state;
		e->r = *r;
		e->on_server = 1;
		if (e->pending_new)
			e->pending_new = 0;	/* the server has it */
		if (!changed)
			continue;
		rb_describe(b, r, what, sizeof what);
		if (fresh && r->addressee == b->side &&
		    !req_state_terminal(r->state)) {
			e->is_new = 1;
			ev = events_add(log, pnow, EVENT_REQ_IN, "%s %s: %s%s%s",
			    r->id, what, r->state == RS_DELIVERED ? "new" :
			    req_state_names[r->state], r->text[0] != '\0' ?
			    " - " : "", r->text);
		} else
			ev = events_add(log, pnow, EVENT_REQ_STATE,
			    "%s %s: %s by %s%s%s", r->id, what,
			    req_state_names[r->state],
			    rb_who(b, r->stamps[r->state].side),
			    r->reason[0] != '\0' ? " - " : "", r->reason);
		if (ev != NULL) {
			ev->km = (r->a_km + r->b_km) / 2;
			ev->side = r->sender;
		}
	}
}

/* The stretch a request is covered on: the counter's, when given. */
static void
rb_stretch(const struct request *r, double *a, double *b)
{
	*a = r->a_km;
	*b = r->b_km;
	if (isfinite(r->counter_a_km) && isfinite(r->counter_b_km)) {
		*a = r->counter_a_km;
		*b = r->counter_b_km;
	}
}

/* How long a request waited: "45 s" under a minute and a half, else
   "10 min" (never "0 min"). */
static void
rb_waited(double s, char *buf, size_t len)
{
	if (!isfinite(s) || s < 0)
		s = 0;
	if (s < 90)
		snprintf(buf, len, "%.0f s", s);
	else
		snprintf(buf, len, "%.0f min", s / 60);
}

void
reqbook_measure(struct reqbook *b, const struct picture *pic, double pnow,
    struct event_log *log)
{
	struct reqbook_entry	*e;
	struct req_answer	 a;
	struct event		*ev;
	const char		*voice;
	double			 lo, hi, got;
	size_t			 i;
	int			 covered, dirty = 0;
	char			 why[160], waited[24];

	for (i = 0; i < b->n; i++) {
		e = &b->v[i];
		if (!e->on_server || e->pending_answer || b->side < 0)
			continue;
		/* Escalation: our cover request, unanswered: the officer
		   who sent it takes the phone. */
		if (e->r.sender == b->side && e->r.kind == REQ_COVER &&
		    !e->escalated && (e->r.state == RS_SENT ||
		    e->r.state == RS_DELIVERED || e->r.state == RS_SEEN) &&
		    pnow - e->r.created >= b->cfg.escalate_s) {
			e->escalated = 1;
			voice = b->cfg.voice != NULL ? b->cfg.voice(
			    b->cfg.voice_arg, e->r.addressee, e->r.sector) :
			    NULL;
			if (voice != NULL)
				str_clean(e->voice, sizeof e->voice, voice,
				    strlen(voice));
			rb_waited(pnow - e->r.created, waited,
			    sizeof waited);
			/* The number first: what the officer needs must
			   survive a narrow footer ("NO ANSWER: CALL ..."). */
			ev = events_add(log, pnow, EVENT_REQ_ESCALATE,
			    "%s%s%s%s: %s unanswered for %s",
			    e->voice[0] != '\0' ? e->voice :
			    "the other side's duty desk",
			    e->r.sector[0] != '\0' ? " (" : "", e->r.sector,
			    e->r.sector[0] != '\0' ? ")" : "", e->r.id, waited);
			if (ev != NULL)
				ev->km = (e->r.a_km + e->r.b_km) / 2;
		}
		/* An unknown (frozen) picture shows nothing now. */
		if (pic == NULL || pic->unknown ||
		    (e->r.state != RS_ACCEPTED &&
		    e->r.state != RS_COUNTERED && e->r.state != RS_COVERING))
			continue;
		if (e->r.state == RS_COUNTERED &&
		    !isfinite(e->r.counter_a_km))
			continue;	/* another time: nothing to measure */
		rb_stretch(&e->r, &lo, &hi);
		got = ivlist_length_in(&pic->cov[e->r.addressee], lo, hi);
		covered = got >= (hi - lo) - REQBOOK_COVER_TOL_KM;
		if (!covered) {
			e->covered_since = NAN;
			continue;
		}
		if (!isfinite(e->covered_since))
			e->covered_since = pnow;
		req_answer_init(&a);
		if (e->r.state != RS_COVERING)
			a.state = RS_COVERING;
		else if (pnow - e->covered_since >= b->cfg.hold_s)
			a.state = RS_CLOSED;
		else
			continue;
		if (req_check(&e->r, &a, b->side, why, sizeof why) != BC_OK)
			continue;
		e->answer = a;
		e->pending_answer = 1;
		dirty = 1;
	}
	if (dirty)
		rb_save(b, why, sizeof why);
}

long
reqbook_next(struct reqbook *b, int *create, struct apibuf *body)
{
	size_t	i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].pending_new) {
			*create = 1;
			req_write_new(body, &b->v[i].r, b->cfg.side_codes);
			return ((long)i);
		}
	}
	for (i = 0; i < b->n; i++) {
		/* An answer waits for its request to reach the server. */
		if (b->v[i].pending_answer && !b->v[i].pending_new) {
			*create = 0;
			b->v[i].inflight = b->v[i].answer.state;
			req_write_answer(body, &b->v[i].answer);
			return ((long)i);
		}
	}
	return (-1);
}

int
reqbook_sent(struct reqbook *b, long i, int create, long code,
    const char *reason)
{
	struct reqbook_entry	*e;
	char			 why[160];
	int			 gone;

	if (i < 0 || (size_t)i >= b->n)
		return (0);
	e = &b->v[i];
	gone = (code >= 200 && code < 300) || code == 400 || code == 403 ||
	    code == 404 || code == 409 || code == 413;
	if (!gone)
		return (0);
	if (code >= 300)
		str_clean(e->error, sizeof e->error, reason, strlen(reason));
	else {
		e->error[0] = '\0';
		b->sent++;
	}
	if (create) {
		e->pending_new = 0;
		if (code < 300 && !e->on_server) {
			e->on_server = 1;
			e->r.state = RS_SENT;
		}
	} else {
		/* What was sent is done; an answer given while it was on
		   its way (accept after seen) stays queued. */
		if (e->answer.state == e->inflight)
			e->pending_answer = 0;
		if (code < 300)
			e->r.state = e->inflight;
	}
	rb_save(b, why, sizeof why);
	return (1);
}

void
reqbook_unanswered(const struct reqbook *b, size_t *in, size_t *out)
{
	const struct reqbook_entry	*e;
	size_t				 i;

	*in = *out = 0;
	for (i = 0; i < b->n; i++) {
		e = &b->v[i];
		if (e->r.state != RS_SENT && e->r.state != RS_DELIVERED &&
		    e->r.state != RS_SEEN)
			continue;
		if (e->pending_answer)
			continue;
		if (e->r.addressee == b->side && e->on_server)
			(*in)++;
		else if (e->r.sender == b->side)
			(*out)++;
	}
}

const char *
reqbook_state_text(const struct reqbook_entry *e)
{
	if (e->pending_new || e->pending_answer)
		return ("queued");
	if (!e->on_server)
		return ("refused");
	return (req_state_names[e->r.state]);
}
