/*
 * watch.c: the --watch text mode (see watch.h).
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cop.h"
#include "text.h"
#include "util.h"
#include "watch.h"
#include "xmalloc.h"

#define WATCH_COLS	80	/* every line fits a terminal this wide */
#define WATCH_AGE_TICK_S 5.0	/* states looked at again at least this
				   often (s), answer or not */

static volatile sig_atomic_t	watch_stop;

static void
watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

static int
imin(int a, int b)
{
	return (a < 0 ? b : b < 0 ? a : a < b ? a : b);
}

static double
watch_wall_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

void
watch_config_defaults(struct watch_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	picture_config_defaults(&cfg->pcfg);
	cfg->out = stdout;
}

/* Where watch_wrap()'s lines go: the stream and the indent of the
   lines after the first. */
struct watch_wrap_arg {
	FILE	*f;
	int	 col;
	int	 n;
};

static void
watch_wrap_line(const char *line, void *arg)
{
	struct watch_wrap_arg	*a = arg;

	fprintf(a->f, "%*s%s\n", a->n++ > 0 ? a->col : 0, "", line);
}

/*
 * Print text from column col, wrapped at spaces so that no line passes
 * WATCH_COLS columns; continuation lines are indented to col.
 */
static void
watch_wrap(FILE *f, int utf8, const char *text, int col)
{
	struct watch_wrap_arg	a = { f, col, 0 };

	text_wrap(text, utf8, WATCH_COLS - col > 10 ? WATCH_COLS - col : 10,
	    0, watch_wrap_line, &a);
}

/* Side s's sectors that gap g crosses: "SDC-YUM", "BC", "-". */
static void
watch_gap_sectors(const struct border_map *map, const struct gap *g, int s,
    char *buf, size_t len)
{
	if (g->sec_first[s] < 0)
		snprintf(buf, len, "-");
	else if (g->sec_last[s] > g->sec_first[s])
		snprintf(buf, len, "%s-%s", map->sectors[s][g->sec_first[s]].code,
		    map->sectors[s][g->sec_last[s]].code);
	else
		snprintf(buf, len, "%s", map->sectors[s][g->sec_first[s]].code);
}

/* Who can close gap g: "nearest W: US C-12 fresh 3.1 km; E: ...". */
static void
watch_nearest(FILE *f, int utf8, const struct picture *pic,
    const struct gap *g)
{
	const struct pic_unit	*u;
	char			 line[512];
	size_t			 o = 0;
	int			 end, s;

	for (end = GAP_WEST; end <= GAP_EAST; end++) {
		for (s = 0; s < NSIDES; s++) {
			if (g->nearest[end][s].unit == 0 ||
			    o + 1 >= sizeof line)
				continue;
			u = &pic->units->v[g->nearest[end][s].unit - 1];
			o += (size_t)snprintf(line + o, sizeof line - o,
			    "%s%s%s %s %.1f km", o == 0 ? "nearest " :
			    "; ", s == 0 || g->nearest[end][0].unit == 0 ?
			    (end == GAP_WEST ? "W: " : "E: ") : "",
			    pic->map->sides[s].code, u->r.callsign,
			    g->nearest[end][s].dist_km);
		}
	}
	if (o == 0)
		return;
	if (o >= sizeof line)
		o = sizeof line - 1;
	line[o] = '\0';
	fprintf(f, "    ");
	watch_wrap(f, utf8, line, 4);
}

/*
 * The longest open gaps with their ids (the same ids as the terminal's
 * gaps view and the reports), the sectors they cross and how long they
 * have been open ("open >= 4 min" for a gap open at the start); the age
 * only with counts, so that time passing alone prints nothing.
 */
static void
watch_gaps(FILE *f, int utf8, const struct picture *pic, int counts)
{
	const struct gap	*g;
	size_t			 order[WATCH_GAPS], n = 0, i, j, k;
	char			 sec[NSIDES][48], dur[32];

	for (i = 0; i < pic->ngaps; i++) {
		/* Insert i among the n longest so far. */
		for (j = 0; j < n; j++) {
			g = &pic->gaps[order[j]];
			if (pic->gaps[i].b - pic->gaps[i].a > g->b - g->a)
				break;
		}
		if (j >= WATCH_GAPS)
			continue;
		if (n < WATCH_GAPS)
			n++;
		for (k = n - 1; k > j; k--)
			order[k] = order[k - 1];
		order[j] = i;
	}
	for (i = 0; i < n; i++) {
		g = &pic->gaps[order[i]];
		for (k = 0; k < NSIDES; k++)
			watch_gap_sectors(pic->map, g, (int)k, sec[k],
			    sizeof sec[k]);
		fprintf(f, "  gap #%u %.1f-%.1f km (%.1f km) %s %s / %s %s",
		    g->id, g->a, g->b, g->b - g->a, pic->map->sides[0].code,
		    sec[0], pic->map->sides[1].code, sec[1]);
		if (counts && isfinite(g->open_since)) {
			text_dur(floor(pic->now - g->open_since), dur, sizeof dur);
			fprintf(f, ", open %s%s", g->open_before ? ">= " : "",
			    dur);
		}
		fputc('\n', f);
		watch_nearest(f, utf8, pic, g);
	}
}

/*
 * The last answer's rejected features: how many, then the first with its
 * reason on a line of its own (at most 80 columns).  All of a full
 * answer rejected is a warning: the picture emptied for it.
 */
static void
watch_rejected(FILE *f, int utf8, const struct link_status *ls)
{
	char	note[256];

	if (ls->last_rejected == 0)
		return;
	if (ls->all_rejected)
		fprintf(f, "WARNING: all %lu features of the answer rejected, "
		    "the first:\n", ls->last_rejected);
	else
		fprintf(f, "%lu feature%s of the answer rejected, the first:\n",
		    ls->last_rejected, ls->last_rejected == 1 ? "" : "s");
	str_clean(note, sizeof note, ls->reject_note,
	    strlen(ls->reject_note));
	fputs("  ", f);
	text_cell(f, note, utf8, WATCH_COLS - 2, 0);
	fputc('\n', f);
}

/* The block printed at a change; without counts (failures), the key
   that says whether anything changed. */
static void
watch_body(FILE *f, int utf8, const struct picture *pic,
    const struct link_status *ls, const struct event_log *log, int counts)
{
	const struct border_map		*map;
	const struct sector		*sec;
	const struct sector_stats	*st;
	const struct event		*e;
	const struct gap		*g, *longest = NULL;
	struct watch_wrap_arg		 wa = { f, 0, 0 };
	char				 t[16], head[1024];
	size_t				 i, k, o;
	int				 side;

	/* A long file name or error wraps, indented. */
	if (ls->demo)
		o = (size_t)snprintf(head, sizeof head,
		    "DEMO feed (simulated, no network)");
	else
		o = (size_t)snprintf(head, sizeof head, "feed %s", ls->source);
	if (o < sizeof head)
		o += (size_t)snprintf(head + o, sizeof head - o, "  link %s",
		    link_state_names[ls->state]);
	if (o < sizeof head && ls->failures > 0 && counts)
		snprintf(head + o, sizeof head - o, " (%u failed: %s)",
		    ls->failures, ls->error);
	else if (o < sizeof head && ls->failures > 0)
		snprintf(head + o, sizeof head - o, " (failed: %s)",
		    ls->error);
	if (text_cols(head, utf8) <= WATCH_COLS)
		fprintf(f, "%s\n", head);
	else
		text_wrap(head, utf8, WATCH_COLS, 2, watch_wrap_line, &wa);
	watch_rejected(f, utf8, ls);
	if (pic == NULL) {
		fprintf(f, "no picture yet: waiting for the first answer\n");
		return;
	}
	map = pic->map;
	if (pic->unknown) {
		/* Frozen: what it was, not what it is. */
		text_hms(pic->unknown_since, t, sizeof t);
		fprintf(f, "picture UNKNOWN since %s UTC: no new data; the "
		    "figures below are as of then\n", t);
	}

	/* Kept within 80 columns: fresh/stale/lost as in the table. */
	fprintf(f, "units f/s/l");
	for (side = 0; side < NSIDES; side++)
		fprintf(f, " %s %zu/%zu/%zu", map->sides[side].code,
		    pic->count[side][STATE_FRESH],
		    pic->count[side][STATE_STALE],
		    pic->count[side][STATE_LOST]);
	for (i = 0; i < pic->ngaps; i++) {
		g = &pic->gaps[i];
		if (longest == NULL || g->b - g->a > longest->b - longest->a)
			longest = g;
	}
	fprintf(f, "  joint %.0f%%  gaps %zu", map->length_km > 0 ?
	    100 * pic->joint_km[JOINT_BOTH] / map->length_km : 0.0,
	    pic->ngaps);
	if (longest != NULL)
		fprintf(f, ", longest %.1f km", longest->b - longest->a);
	fputc('\n', f);

	fprintf(f, "%-2s %-4s %-16s %7s %5s %6s %4s %9s %s\n", "", "sect",
	    "name", "km", "own%", "joint%", "gaps", "longest", "units f/s/l");
	for (side = 0; side < NSIDES; side++) {
		for (k = 0; k < map->nsectors[side]; k++) {
			sec = &map->sectors[side][k];
			st = &pic->stats[side][k];
			text_cell(f, map->sides[side].code, utf8, 2, 1);
			fputc(' ', f);
			text_cell(f, sec->code, utf8, 4, 1);
			fputc(' ', f);
			text_cell(f, sec->name, utf8, 16, 1);
			fprintf(f, " %7.1f %5.0f %6.0f %4zu %6.1f km "
			    "%zu/%zu/%zu\n", st->len_km, st->len_km > 0 ?
			    100 * st->own_km / st->len_km : 0.0,
			    st->len_km > 0 ? 100 * st->joint_km / st->len_km :
			    0.0, st->gaps, st->longest_gap_km,
			    st->units[STATE_FRESH], st->units[STATE_STALE],
			    st->units[STATE_LOST]);
		}
	}
	watch_gaps(f, utf8, pic, counts);
	for (i = 0; i < WATCH_EVENTS; i++) {
		if ((e = events_get(log, i)) == NULL)
			break;
		text_hms(e->time, t, sizeof t);
		fprintf(f, "  %s ", t);
		watch_wrap(f, utf8, e->text, 2 + (int)strlen(t) + 1);
	}
}

/* Send the picture to the CoT sink; say on stderr when it starts to
   fail and when it works again, not at every update. */
static void
watch_cot(struct cot *cot, const struct picture *pic, double now, int fresh,
    int *failing)
{
	char	why[256];

	if (cot_update(cot, pic, now, fresh, why, sizeof why) != BC_OK) {
		if (!*failing)
			fprintf(stderr, "bordercop: %s (CoT events are lost "
			    "until it works)\n", why);
		*failing = 1;
	} else if (*failing) {
		fprintf(stderr, "bordercop: --cot: sending again\n");
		*failing = 0;
	}
}

enum bc_status
watch_run(struct source *src, const struct watch_config *cfg, char *why,
    size_t whylen)
{
	struct sigaction	 sa, old[3];
	const int		 sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	double			(*clock)(void) = cfg->clock != NULL ?
				    cfg->clock : watch_wall_clock;
	FILE			*out = cfg->out != NULL ? cfg->out : stdout;
	struct cop_config	 cc;
	struct cop		 cop;
	const struct link_status *ls;
	enum bc_status		 rc = BC_OK;
	char			*last = NULL, *body = NULL, *key = NULL;
	char			 t[16], age[40], dur[32];
	size_t			 blen;
	unsigned long		 printed = 0;
	double			 now;
	unsigned long		 total;
	int			 ms, i, changed, cot_failing = 0;
	int			 utf8 = !cfg->ascii;
	FILE			*mf;

	watch_stop = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = watch_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);

	cop_config_defaults(&cc);
	cc.map = cfg->map;
	cc.pcfg = cfg->pcfg;
	cc.now_fixed = cfg->now_fixed;
	cc.events = 64;
	cc.tick_s = WATCH_AGE_TICK_S;
	if (cfg->alert_gap_km > 0)
		cc.alert_gap_km = cfg->alert_gap_km;
	cc.sector_floor = cfg->sector_floor;
	cop_init(&cop, &cc, src);

	while (!watch_stop && !source_ended(src)) {
		now = clock();
		ms = source_timeout_ms(src, now);
		if (cfg->reqs != NULL)
			ms = imin(ms, reqlink_timeout_ms(cfg->reqs, now));
		if (ms > 1000)
			ms = 1000;
		if (source_wait(src, -1, ms) == -1) {
			bc_why(why, whylen, "wait failed: %s",
			    strerror(errno));
			rc = BC_IO;
			break;
		}
		if (watch_stop)
			break;
		now = clock();
		/* Nothing finished and no tick due: nothing to print. */
		changed = cop_step(&cop, src, now);
		total = cop.log.total;
		if (cfg->reqs != NULL && reqlink_step(cfg->reqs, now,
		    cop_picture(&cop), cop_clock(&cop, now), &cop.log)) {
			cop_notice(&cop, total, now);
			changed |= COP_EVENTS;
		}
		if (changed == 0)
			continue;
		ls = source_link(src);
		journal_step(cfg->journal, cop_clock(&cop, now), &cop.units,
		    ls, &cop.log, &cop.alerts);
		if (cfg->reqs != NULL)
			journal_requests(cfg->journal, cop_clock(&cop, now),
			    &cfg->reqs->book);
		/* Alerts, each once as it is raised: the reader of a log has
		   no key to acknowledge them, so printing is the end of them
		   (no acknowledgement event). */
		while (cop.alerts.n > 0) {
			text_hms(cop.alerts.v[0].time, t, sizeof t);
			fprintf(out, "!! ALERT %s UTC ", t);
			watch_wrap(out, utf8, cop.alerts.v[0].text, 22);
			alerts_ack(&cop.alerts, NULL);
		}
		if (cfg->cot != NULL && (changed & COP_PICTURE) &&
		    cop_picture(&cop) != NULL)
			watch_cot(cfg->cot, cop_picture(&cop),
			    cop_clock(&cop, now), (changed & COP_POLLED) != 0,
			    &cot_failing);
		/* Printed is the end of them: the journal is told, so that
		   it records no acknowledgement. */
		journal_alerts_seen(cfg->journal, &cop.alerts);

		/* A block when something changed; one more failure of the
		   same kind is not news (a missing file, checked every 2 s). */
		if ((mf = open_memstream(&key, &blen)) == NULL) {
			bc_why(why, whylen, "%s", strerror(errno));
			rc = BC_IO;
			break;
		}
		watch_body(mf, utf8, cop_picture(&cop), ls, &cop.log, 0);
		fclose(mf);
		if (last != NULL && strcmp(last, key) == 0) {
			free(key);
			key = NULL;
			continue;
		}
		if ((mf = open_memstream(&body, &blen)) == NULL) {
			bc_why(why, whylen, "%s", strerror(errno));
			rc = BC_IO;
			break;
		}
		watch_body(mf, utf8, cop_picture(&cop), ls, &cop.log, 1);
		fclose(mf);
		text_hms(cop_clock(&cop, now), t, sizeof t);
		text_dur(floor(now - ls->last_good), dur, sizeof dur);
		snprintf(age, sizeof age, "%s%s", ls->last_good > 0 ? dur :
		    "never", ls->last_good > 0 ? " ago" : "");
		fprintf(out, "== %s UTC  last good poll %s  polls %lu  "
		    "%llu bytes ==\n%s\n", t, age, ls->polls,
		    (unsigned long long)ls->bytes_rx, body);
		if (fflush(out) == EOF || ferror(out)) {
			bc_why(why, whylen, "cannot write: %s",
			    strerror(errno));
			rc = BC_IO;
			break;
		}
		free(last);
		last = key;
		key = NULL;
		free(body);
		body = NULL;
		if (cfg->count > 0 && ++printed >= cfg->count)
			break;
	}

	free(last);
	free(key);
	free(body);
	cop_done(&cop);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	return (rc);
}
