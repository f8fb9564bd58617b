/*
 * source.c: the feed sources (API, file, DEMO) behind one interface.
 */
#include "config.h"

#include <sys/poll.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apiwrite.h"
#include "feed.h"
#include "replay.h"
#include "scenario.h"
#include "source.h"

/* Above this many demo units the warm-up shrinks in proportion. */
#define DEMO_WARMUP_UNITS	1000
#include "util.h"
#include "xmalloc.h"

const char *const source_kind_names[SOURCE_KIND_COUNT] = {
#define X(id, name) name,
	SOURCE_KINDS(X)
#undef X
};

struct source {
	enum source_kind	 kind;
	struct source_config	 cfg;
	const struct border_map	*map;
	const char		*side_codes[NSIDES];
	struct link_status	 link;		/* FILE and DEMO */
	int			 refresh;
	int			 have_picture;	/* a message was applied */
	struct source_msg	 last;		/* the last one applied */

	/* API */
	struct poller		*poller;

	/* FILE */
	char			*path;
	double			 file_time;	/* server_time, or NAN */
	double			 file_read_at;	/* local clock when read, s */
	int			 file_missing;	/* the last stat() failed */
	double			 next_check;
	struct timespec		 mtime;
	off_t			 size;
	int			 loaded;

	/* REPLAY */
	struct replay		*replay;

	/* DEMO */
	struct scenario		*sc;
	double			 t0;		/* local time at start */
	double			 start;		/* simulated time at t0 */
	uint64_t		 version;	/* last applied, 0 none */
	double			 next_tick;
};

/* A record being written as the journal is read is no news. */
static void
source_replay_quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

void
source_config_defaults(struct source_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->kind = SOURCE_DEMO;
	cfg->file_check_s = 2;
	poll_config_defaults(&cfg->poll);
	cfg->demo_seed = 1;
	cfg->demo_speed = 1;
	cfg->demo_tick_s = 2;
	cfg->demo_warmup_s = 7200;
	cfg->replay_from = NAN;
	cfg->replay_to = NAN;
	cfg->replay_start = NAN;
}

enum bc_status
source_new(const struct source_config *cfg, const struct border_map *map,
    double now, struct source **out, char *why, size_t whylen)
{
	struct source		*s;
	struct poll_config	 pc;
	const char		*base;
	double			 warmup;
	enum bc_status		 st;
	int			 i;

	*out = NULL;
	s = xcalloc(1, sizeof *s);
	s->kind = cfg->kind;
	s->cfg = *cfg;
	s->cfg.path = NULL;
	s->map = map;
	for (i = 0; i < NSIDES; i++)
		s->side_codes[i] = map->sides[i].code;
	s->link.state = LINK_WAIT;
	s->file_time = NAN;
	s->last.server_time = NAN;

	switch (s->kind) {
	case SOURCE_API:
		pc = cfg->poll;
		for (i = 0; i < NSIDES; i++)
			pc.side_codes[i] = map->sides[i].code;
		st = poll_new(&pc, &s->poller, why, whylen);
		if (st != BC_OK) {
			free(s);
			return (st);
		}
		s->cfg.poll.base_url = NULL;
		s->cfg.poll.token = NULL;
		s->cfg.poll.cacert = NULL;
		break;
	case SOURCE_FILE:
		if (cfg->path == NULL) {
			bc_why(why, whylen, "no feed file");
			free(s);
			return (BC_USAGE);
		}
		s->path = xstrdup(cfg->path);
		base = strrchr(cfg->path, '/');
		base = base != NULL && base[1] != '\0' ? base + 1 : cfg->path;
		str_clean(s->link.source, sizeof s->link.source, base,
		    strlen(base));
		break;
	case SOURCE_DEMO:
		s->t0 = now;
		s->start = cfg->demo_start > 0 ? cfg->demo_start : now;
		if (!(s->cfg.demo_speed > 0))
			s->cfg.demo_speed = 1;
		if (!(s->cfg.demo_tick_s > 0))
			s->cfg.demo_tick_s = 2;
		/* Start into the scenario's day, so that the first picture
		   already has stale and lost units; shorter for very large
		   scenarios, which take longer to simulate. */
		warmup = fmax(cfg->demo_warmup_s, 0);
		if (cfg->demo_units > DEMO_WARMUP_UNITS)
			warmup *= (double)DEMO_WARMUP_UNITS / cfg->demo_units;
		s->sc = scenario_new(map, cfg->demo_seed, cfg->demo_units,
		    s->start - warmup);
		scenario_advance(s->sc, s->start);
		s->link.demo = 1;
		snprintf(s->link.source, sizeof s->link.source, "DEMO");
		break;
	case SOURCE_REPLAY: {
		struct replay_config	rc;

		memset(&rc, 0, sizeof rc);
		rc.dir = cfg->replay_dir;
		rc.from = cfg->replay_from;
		rc.to = cfg->replay_to;
		rc.start = cfg->replay_start;
		rc.paused = cfg->replay_paused;
		if (cfg->replay_quiet)
			rc.warn = source_replay_quiet;
		if (rc.dir == NULL) {
			bc_why(why, whylen, "no journal to replay");
			free(s);
			return (BC_USAGE);
		}
		st = replay_new(&rc, now, &s->replay, why, whylen);
		if (st != BC_OK) {
			free(s);
			return (st);
		}
		s->cfg.replay_dir = NULL;
		break;
	}
	default:
		bc_why(why, whylen, "unknown source kind");
		free(s);
		return (BC_USAGE);
	}
	*out = s;
	return (BC_OK);
}

void
source_free(struct source *s)
{
	if (s == NULL)
		return;
	poll_free(s->poller);
	replay_free(s->replay);
	free(s->last.rejected);
	if (s->sc != NULL)
		scenario_free(s->sc);
	free(s->path);
	free(s);
}

enum source_kind
source_kind(const struct source *s)
{
	return (s->kind);
}

const struct link_status *
source_link(const struct source *s)
{
	if (s->poller != NULL)
		return (poll_link(s->poller));
	if (s->replay != NULL)
		return (replay_link(s->replay));
	return (&s->link);
}

int
source_ended(const struct source *s)
{
	return (s->replay != NULL && replay_ended(s->replay));
}

struct replay *
source_replay(struct source *s)
{
	return (s->replay);
}

struct poller *
source_poller(struct source *s)
{
	return (s->poller);
}

const struct source_msg *
source_last_msg(const struct source *s)
{
	return (&s->last);
}

/* Keep what the report needs of a message before it is freed. */
static void
source_keep(struct source *s, const struct feed_msg *msg)
{
	free(s->last.rejected);
	s->last.rejected = NULL;
	s->last.nrejected = msg->nrejected;
	s->last.server_time = msg->server_time;
	if (msg->nrejected > 0) {
		s->last.rejected = xreallocarray(NULL, msg->nrejected,
		    sizeof *s->last.rejected);
		memcpy(s->last.rejected, msg->rejected, msg->nrejected *
		    sizeof *s->last.rejected);
	}
}

int
source_has_picture(const struct source *s)
{
	return (s->have_picture);
}

void
source_refresh(struct source *s)
{
	if (s->poller != NULL)
		poll_now(s->poller);
	s->refresh = 1;
}

int
source_clock_basis(const struct source *s)
{
	switch (s->kind) {
	case SOURCE_API:
		return ((int)poll_clock(s->poller));
	case SOURCE_FILE:
		return (isfinite(s->file_time) ? 2 : 0);
	default:
		return (2);
	}
}

double
source_clock(const struct source *s, double now)
{
	switch (s->kind) {
	case SOURCE_API:
		return (now + poll_link(s->poller)->server_skew_s);
	case SOURCE_FILE:
		/* The file's server_time, moving on with the local clock
		   since the file was read (whole seconds: a report made
		   at once is exactly as of server_time). */
		if (!isfinite(s->file_time))
			return (now);
		return (s->file_time + (now > s->file_read_at ?
		    floor(now - s->file_read_at) : 0));
	case SOURCE_DEMO:
		/* It stops at the last second RFC 3339 can write: the
		   messages it writes must read back. */
		return (fmin(s->start + (now - s->t0) * s->cfg.demo_speed,
		    TIME_RFC3339_MAX));
	case SOURCE_REPLAY:
		return (replay_clock(s->replay, now));
	default:
		return (now);
	}
}

static int
source_ms_until(double t, double now)
{
	double	d = (t - now) * 1000;

	if (d <= 0)
		return (0);
	if (d > INT_MAX / 2)
		return (INT_MAX / 2);
	return ((int)ceil(d));
}

int
source_timeout_ms(struct source *s, double now)
{
	if (s->poller != NULL)
		return (poll_timeout_ms(s->poller, now));
	if (s->replay != NULL)
		return (replay_timeout_ms(s->replay, now));
	if (s->refresh)
		return (0);
	if (s->kind == SOURCE_FILE)
		return (s->loaded ? source_ms_until(s->next_check, now) : 0);
	return (s->version == 0 ? 0 : source_ms_until(s->next_tick, now));
}

int
source_wait(struct source *s, int extra_fd, int timeout_ms)
{
	struct pollfd	pfd;
	int		n;

	if (s->poller != NULL)
		return (poll_wait(s->poller, extra_fd, timeout_ms));
	if (timeout_ms < 0)
		timeout_ms = 0;
	pfd.fd = extra_fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	n = poll(&pfd, extra_fd >= 0 ? 1 : 0, timeout_ms);
	if (n == -1)
		return (errno == EINTR ? 0 : -1);
	return (n > 0 && (pfd.revents & (POLLIN | POLLHUP)) ? 1 : 0);
}

static enum source_event
source_step_api(struct source *s, double now, struct unit_table *t,
    char *why, size_t whylen)
{
	struct feed_msg	msg;

	switch (poll_perform(s->poller, now, &msg, why, whylen)) {
	case POLL_IDLE:
		return (SOURCE_IDLE);
	case POLL_BUSY:
		return (SOURCE_BUSY);
	case POLL_NOT_MODIFIED:
		return (SOURCE_SAME);
	case POLL_MESSAGE:
		feed_apply(&msg, t);
		source_keep(s, &msg);
		feed_msg_done(&msg);
		s->have_picture = 1;
		return (SOURCE_UPDATED);
	case POLL_FAILED:
	default:
		return (SOURCE_FAILED);
	}
}

/* Read the file again only when it changed: a feed file may be rewritten
   by another program, and --watch should follow it. */
static enum source_event
source_step_file(struct source *s, double now, struct unit_table *t,
    char *why, size_t whylen)
{
	struct feed_msg	 msg;
	struct stat	 st;
	enum bc_status	 rc;
	const char	*e;
	size_t		 plen;

	if (s->loaded && !s->refresh && now < s->next_check)
		return (SOURCE_IDLE);
	s->next_check = now + (s->cfg.file_check_s > 0 ?
	    s->cfg.file_check_s : 2);
	if (stat(s->path, &st) == -1) {
		s->link.last_attempt = now;
		s->link.polls++;
		s->file_missing = 1;
		bc_why(why, whylen, "%s: %s", s->path, strerror(errno));
		goto fail;
	}
	/* Unchanged: nothing to read, unless it was gone in between (moved
	   away and back, it may look the same and still be news). */
	if (s->loaded && !s->refresh && !s->file_missing &&
	    st.st_size == s->size &&
	    st.st_mtim.tv_sec == s->mtime.tv_sec &&
	    st.st_mtim.tv_nsec == s->mtime.tv_nsec)
		return (SOURCE_IDLE);
	s->file_missing = 0;
	s->refresh = 0;
	s->link.last_attempt = now;
	s->link.polls++;
	rc = feed_read_file(s->path, s->side_codes, &msg, why, whylen);
	if (rc != BC_OK)
		goto fail;
	feed_apply(&msg, t);
	s->file_time = msg.server_time;
	s->file_read_at = now;
	s->link.rejected += msg.nrejected;
	s->link.last_rejected = msg.nrejected;
	s->link.all_rejected = feed_reject_note(&msg, s->link.reject_note,
	    sizeof s->link.reject_note);
	s->link.bytes_rx += (uint64_t)st.st_size;
	source_keep(s, &msg);
	feed_msg_done(&msg);
	s->mtime = st.st_mtim;
	s->size = st.st_size;
	s->loaded = 1;
	s->have_picture = 1;
	s->link.state = LINK_OK;
	s->link.last_good = now;
	s->link.failures = 0;
	s->link.error[0] = '\0';
	s->link.next_poll = s->next_check;
	return (SOURCE_UPDATED);
fail:
	/* A file that was never read stays failing; one read before keeps
	   its picture. */
	s->refresh = 0;
	s->loaded = 1;
	s->link.state = LINK_DOWN;
	s->link.failures++;
	/* The link already names the file: its error need not. */
	e = why;
	plen = strlen(s->path);
	if (strncmp(e, s->path, plen) == 0 && strncmp(e + plen, ": ", 2) == 0)
		e += plen + 2;
	str_clean(s->link.error, sizeof s->link.error, e, strlen(e));
	s->link.next_poll = s->next_check;
	return (SOURCE_FAILED);
}

/*
 * The demo writes the scenario's changes as an API v1 message (a full one
 * first, then what changed since the last version, exactly as the
 * simulator would answer) and reads it back through feed_parse(), so that
 * the demo exercises the real parser and merge.
 */
static enum source_event
source_step_demo(struct source *s, double now, struct unit_table *t,
    char *why, size_t whylen)
{
	struct apiwrite_msg	 am;
	struct apibuf		 buf;
	struct feed_msg		 msg;
	enum bc_status		 rc;
	uint64_t		 v;
	char			 pwhy[256];

	if (s->version != 0 && !s->refresh && now < s->next_tick)
		return (SOURCE_IDLE);
	s->refresh = 0;
	s->next_tick = now + s->cfg.demo_tick_s;
	scenario_advance(s->sc, source_clock(s, now));
	s->link.last_attempt = now;
	s->link.next_poll = s->next_tick;
	s->link.server_skew_s = source_clock(s, now) - now;
	s->link.polls++;
	v = scenario_version(s->sc);
	if (v == s->version) {
		s->link.not_modified++;
		return (SOURCE_SAME);
	}

	memset(&am, 0, sizeof am);
	am.server_time = scenario_time(s->sc);
	am.full = s->version == 0;
	am.since = s->version;
	am.slots = scenario_slots(s->sc, &am.nslots);
	am.side_codes[SIDE_LEFT] = s->side_codes[SIDE_LEFT];
	am.side_codes[SIDE_RIGHT] = s->side_codes[SIDE_RIGHT];
	apibuf_init(&buf);
	apiwrite_positions(&buf, &am);
	rc = feed_parse(buf.p != NULL ? buf.p : "", buf.len, s->side_codes,
	    &msg, pwhy, sizeof pwhy);
	s->link.bytes_rx += buf.len;
	apibuf_done(&buf);
	if (rc != BC_OK) {
		bc_why(why, whylen, "demo feed: %s", pwhy);
		s->link.state = LINK_DOWN;
		s->link.failures++;
		str_clean(s->link.error, sizeof s->link.error, why,
		    strlen(why));
		return (SOURCE_FAILED);
	}
	feed_apply(&msg, t);
	s->link.rejected += msg.nrejected;
	source_keep(s, &msg);
	s->link.last_rejected = msg.nrejected;
	s->link.all_rejected = feed_reject_note(&msg, s->link.reject_note,
	    sizeof s->link.reject_note);
	feed_msg_done(&msg);
	s->link.state = LINK_OK;
	s->link.last_good = now;
	s->link.failures = 0;
	s->link.error[0] = '\0';
	s->version = v;
	s->have_picture = 1;
	return (SOURCE_UPDATED);
}

enum source_event
source_step(struct source *s, double now, struct unit_table *t, char *why,
    size_t whylen)
{
	switch (s->kind) {
	case SOURCE_API:
		return (source_step_api(s, now, t, why, whylen));
	case SOURCE_FILE:
		return (source_step_file(s, now, t, why, whylen));
	case SOURCE_DEMO:
		return (source_step_demo(s, now, t, why, whylen));
	case SOURCE_REPLAY:
		/* The replayed time moving on is an answer with nothing
		   new (units age); paused, nothing happens. */
		if (replay_step(s->replay, now, t)) {
			s->have_picture = replay_has_picture(s->replay);
			return (SOURCE_UPDATED);
		}
		return (replay_paused(s->replay) ? SOURCE_IDLE : SOURCE_SAME);
	default:
		return (SOURCE_IDLE);
	}
}
