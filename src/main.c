/*
 * main.c: the bordercop program: options, then one mode.
 *
 * Modes are a dispatch on enum mode; each returns an exit status from the
 * EXIT_STATUSES() table.  Errors are one line on stderr; a failing run
 * never leaves a partial report on stdout (the report is built in memory
 * and written only once complete).
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "conffile.h"
#include "cot.h"
#include "cop.h"
#include "events.h"
#include "feed.h"
#include "handover.h"
#include "journal.h"
#include "live.h"
#include "map.h"
#include "options.h"
#include "picture.h"
#include "poll.h"
#include "replay.h"
#include "report.h"
#include "reqlink.h"
#include "source.h"
#include "text.h"
#include "ui.h"
#include "unit.h"
#include "util.h"
#include "watch.h"
#include "xmalloc.h"

#define PROGRAM	"bordercop"
#define nitems(a) (sizeof (a) / sizeof (a)[0])

/* Exit statuses, as bordercop(1) documents them under EXIT STATUS. */
#define EXIT_STATUSES(X)						\
	X(OK,		0, "success")					\
	X(OTHER,	1, "any other error (such as a write error)")	\
	X(USAGE,	2, "bad command line or config file")		\
	X(GAP,		3, "--fail-on-gap was given and a gap is open")	\
	X(MAP,		4, "the border map is missing or unusable")	\
	X(FEED,		5, "the feed is missing or unusable")		\
	X(NET,		6, "the API could not be polled (network, HTTP, TLS " \
	    "or authorization error)")

enum exit_status {
#define X(id, code, text) EXIT_##id = code,
	EXIT_STATUSES(X)
#undef X
};

enum mode {
	MODE_HELP,
	MODE_VERSION,
	MODE_REPORT,		/* headless one-shot report */
	MODE_HANDOVER,		/* the shift-handover report */
	MODE_WATCH,		/* text table at each update */
	MODE_LIVE		/* the terminal COP */
};

static const char *main_journal_dir(const struct options *, char *, size_t);

static double
main_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* Whether the locale takes UTF-8: if not, every sink gets ASCII. */
static int	main_utf8 = 1;

/* A JSON report in memory, made ASCII for a locale without UTF-8. */
static void
main_json_ascii(char **buf, size_t *len)
{
	char	*a;

	a = text_json_ascii(*buf, *len, len);
	free(*buf);
	*buf = a;
}

/* The one line on stderr: cleaned, since it may quote a file name or an
   answer that carries escape sequences; ASCII under a locale without
   UTF-8. */
static void
die_line(const char *why)
{
	char	clean[1024];

	str_clean(clean, sizeof clean, why, strlen(why));
	text_fprintf(stderr, main_utf8, "%s: %s\n", PROGRAM, clean);
}

static enum mode
main_mode(const struct options *o)
{
	if (o->v[OPT_HELP].flag)
		return (MODE_HELP);
	if (o->v[OPT_VERSION].flag)
		return (MODE_VERSION);
	if (o->v[OPT_HANDOVER].flag)
		return (MODE_HANDOVER);
	if (options_isset(o, OPT_REPORT))
		return (MODE_REPORT);
	if (o->v[OPT_WATCH].flag)
		return (MODE_WATCH);
	return (MODE_LIVE);
}

/* The picture configuration from the options; the map names sides. */
static enum exit_status
main_config(const struct options *o, const struct border_map *map,
    struct picture_config *cfg)
{
	char	why[1024], w1[300], w2[300];
	int	policy;

	picture_config_defaults(cfg);
	if (options_isset(o, OPT_POLICY)) {
		policy = report_policy_parse(map, o->v[OPT_POLICY].str);
		if (policy < 0) {
			snprintf(why, sizeof why, "%s: '%s' is not "
			    "either, both, %s or %s", options_where(o,
			    OPT_POLICY, w1, sizeof w1), o->v[OPT_POLICY].str,
			    map->sides[0].code, map->sides[1].code);
			die_line(why);
			return (EXIT_USAGE);
		}
		cfg->policy = (enum gap_policy)policy;
	}
	if (options_isset(o, OPT_MIN_GAP))
		cfg->min_gap_km = o->v[OPT_MIN_GAP].num;
	if (options_isset(o, OPT_MIN_OVERLAP))
		cfg->min_overlap_km = o->v[OPT_MIN_OVERLAP].num;
	if (options_isset(o, OPT_STALE_AFTER))
		cfg->stale_after_s = o->v[OPT_STALE_AFTER].num;
	if (options_isset(o, OPT_LOST_AFTER))
		cfg->lost_after_s = o->v[OPT_LOST_AFTER].num;
	if (options_isset(o, OPT_ACROSS_TOL))
		cfg->across_tol_km = o->v[OPT_ACROSS_TOL].num;
	if (cfg->lost_after_s < cfg->stale_after_s) {
		snprintf(why, sizeof why, "%s (%g s%s) is shorter than "
		    "%s (%g s%s)", options_where(o, OPT_LOST_AFTER, w1,
		    sizeof w1), cfg->lost_after_s,
		    options_isset(o, OPT_LOST_AFTER) ? "" : ", the default",
		    options_where(o, OPT_STALE_AFTER, w2, sizeof w2),
		    cfg->stale_after_s,
		    options_isset(o, OPT_STALE_AFTER) ? "" : ", the default");
		die_line(why);
		return (EXIT_USAGE);
	}
	return (EXIT_OK);
}

static enum exit_status
main_load_map(const struct options *o, struct border_map **map)
{
	char		 buf[4096], why[512];
	const char	*path;

	if (options_isset(o, OPT_MAP))
		path = o->v[OPT_MAP].str;
	else if ((path = map_default_path(buf, sizeof buf)) == NULL) {
		die_line("no border map found; give --map FILE or set "
		    "BORDERCOP_MAP");
		return (EXIT_MAP);
	}
	if (map_load_file(path, map, why, sizeof why) != BC_OK) {
		die_line(why);
		return (EXIT_MAP);
	}
	return (EXIT_OK);
}

/* Build the whole report in memory, then write it at once. */
static enum exit_status
main_print(const struct options *o, const struct picture *p,
    const struct report_meta *meta)
{
	char		*buf = NULL;
	size_t		 len = 0;
	FILE		*mem;
	enum bc_status	 st;
	const char	*fmt = options_isset(o, OPT_REPORT_FORMAT) ?
			    o->v[OPT_REPORT_FORMAT].str : o->v[OPT_REPORT].str;

	if ((mem = open_memstream(&buf, &len)) == NULL) {
		die_line("cannot allocate the report");
		return (EXIT_OTHER);
	}
	/* Both follow the locale: the text report as a reader sees it,
	   JSON with \u escapes (the same value) when it is not UTF-8. */
	if (fmt != NULL && strcmp(fmt, "json") == 0)
		st = report_json(mem, p, meta);
	else {
		FILE	*t = text_stream(mem, main_utf8);

		st = report_text(t, p, meta);
		if (t != mem && fclose(t) != 0)
			st = BC_IO;
	}
	if (fclose(mem) != 0)
		st = BC_IO;
	if (st != BC_OK) {
		free(buf);
		die_line("cannot build the report");
		return (EXIT_OTHER);
	}
	if (fmt != NULL && strcmp(fmt, "json") == 0 && !main_utf8)
		main_json_ascii(&buf, &len);
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		free(buf);
		die_line("cannot write the report to standard output");
		return (EXIT_OTHER);
	}
	free(buf);
	return (EXIT_OK);
}

static const enum option_id main_source_ids[] = {
	OPT_FEED, OPT_API, OPT_DEMO, OPT_REPLAY
};

/* A source named on the command line overrides one named in the config
   file (they would otherwise exclude each other). */
static void
main_source_resolve(struct options *o)
{
	size_t	i;
	int	cli = 0;

	for (i = 0; i < nitems(main_source_ids); i++)
		cli += o->v[main_source_ids[i]].origin == ORIGIN_CLI;
	for (i = 0; cli > 0 && i < nitems(main_source_ids); i++) {
		if (o->v[main_source_ids[i]].origin == ORIGIN_FILE) {
			o->v[main_source_ids[i]].origin = ORIGIN_NONE;
			o->v[main_source_ids[i]].flag = 0;
		}
	}
}

/* Which source the options name; --feed, --api and --demo exclude each
   other, and none of them means the demo. */
static enum exit_status
main_source_kind(const struct options *o, enum source_kind *kind)
{
	char	why[1024], w[300];
	size_t	i;
	int	n = 0;

	for (i = 0; i < nitems(main_source_ids); i++)
		n += options_isset(o, main_source_ids[i]);
	if (n > 1) {
		/* Name them where they were given: two in the file. */
		snprintf(why, sizeof why, "only one of --feed, --api%s:",
		    options_isset(o, OPT_REPLAY) ? ", --demo and --replay" :
		    " and --demo");
		for (i = 0; i < nitems(main_source_ids); i++)
			if (options_isset(o, main_source_ids[i]))
				snprintf(why + strlen(why), sizeof why -
				    strlen(why), " %s;", options_where(o,
				    main_source_ids[i], w, sizeof w));
		why[strlen(why) - 1] = '\0';
		die_line(why);
		return (EXIT_USAGE);
	}
	if (options_isset(o, OPT_FEED))
		*kind = SOURCE_FILE;
	else if (options_isset(o, OPT_REPLAY))
		*kind = SOURCE_REPLAY;
	else if (options_isset(o, OPT_API))
		*kind = SOURCE_API;
	else
		*kind = SOURCE_DEMO;
	return (EXIT_OK);
}

/* The API poller's settings; the token is loaded here, never taken from
   the command line itself. */
static enum exit_status
main_poll_config(const struct options *o, const struct border_map *map,
    struct poll_config *pc, char **token)
{
	char	why[1024], w[300];

	*token = NULL;
	poll_config_defaults(pc);
	pc->base_url = o->v[OPT_API].str;
	if (options_isset(o, OPT_CACERT)) {
		/* Found now, not as a TLS error at the first poll. */
		pc->cacert = o->v[OPT_CACERT].str;
		if (access(pc->cacert, R_OK) == -1) {
			snprintf(why, sizeof why, "%s: %s: %s",
			    options_where(o, OPT_CACERT, w, sizeof w),
			    pc->cacert, strerror(errno));
			die_line(why);
			return (EXIT_USAGE);
		}
	}
	if (options_isset(o, OPT_INTERVAL))
		pc->interval_s = o->v[OPT_INTERVAL].num;
	pc->side_codes[0] = map->sides[0].code;
	pc->side_codes[1] = map->sides[1].code;
	if (poll_token_load(options_isset(o, OPT_TOKEN_FILE) ?
	    o->v[OPT_TOKEN_FILE].str : NULL, token, why, sizeof why) !=
	    BC_OK) {
		die_line(why);
		return (EXIT_USAGE);
	}
	pc->token = *token;
	return (EXIT_OK);
}

/*
 * Requests (API v1.1) ride with the API source, when there is a token:
 * only a side's token reaches them, and the server says which side.
 */
static enum exit_status
main_reqlink(const struct options *o, const struct border_map *map,
    const struct poll_config *pc, struct reqlink **reqs)
{
	struct reqlink_config	 rc;
	char			 why[1024];

	*reqs = NULL;
	if (pc->token == NULL)
		return (EXIT_OK);
	memset(&rc, 0, sizeof rc);
	rc.map = map;
	rc.base_url = pc->base_url;
	rc.token = pc->token;
	rc.cacert = pc->cacert;
	rc.interval_s = pc->interval_s;
	if (options_isset(o, OPT_SIDE))
		rc.side = o->v[OPT_SIDE].str;
	if (options_isset(o, OPT_COVER_HOLD))
		rc.hold_s = o->v[OPT_COVER_HOLD].num;
	if (options_isset(o, OPT_ESCALATE))
		rc.escalate_s = o->v[OPT_ESCALATE].num;
	if (options_isset(o, OPT_VOICE))
		rc.voice = o->v[OPT_VOICE].str;
	if (reqlink_new(&rc, reqs, why, sizeof why) != BC_OK) {
		die_line(why);
		return (EXIT_USAGE);
	}
	return (EXIT_OK);
}

static enum exit_status
main_source(const struct options *o, const struct border_map *map,
    double now, struct source **src, struct reqlink **reqs)
{
	struct source_config	 sc;
	enum source_kind	 kind;
	enum exit_status	 ex;
	char			 why[512], *token = NULL, jbuf[4096];
	enum bc_status		 st;

	if ((ex = main_source_kind(o, &kind)) != EXIT_OK)
		return (ex);
	source_config_defaults(&sc);
	sc.kind = kind;
	switch (kind) {
	case SOURCE_FILE:
		sc.path = o->v[OPT_FEED].str;
		break;
	case SOURCE_API:
		if ((ex = main_poll_config(o, map, &sc.poll, &token)) !=
		    EXIT_OK)
			return (ex);
		break;
	case SOURCE_REPLAY:
		/* --replay=DIR, else --journal DIR, else the state's. */
		sc.replay_dir = o->v[OPT_REPLAY].str != NULL ?
		    o->v[OPT_REPLAY].str : main_journal_dir(o, jbuf,
		    sizeof jbuf);
		if (sc.replay_dir == NULL)
			return (EXIT_USAGE);
		if (options_isset(o, OPT_FROM))
			sc.replay_from = o->v[OPT_FROM].num;
		if (options_isset(o, OPT_TO))
			sc.replay_to = o->v[OPT_TO].num;
		/* No window: the newest day (or the day of --now), not
		   every day kept. */
		if (!options_isset(o, OPT_FROM) && !options_isset(o, OPT_TO))
			sc.replay_from = options_isset(o, OPT_NOW) ?
			    floor(o->v[OPT_NOW].num / 86400) * 86400 :
			    journal_newest_day(sc.replay_dir);
		/* --now: that moment, paused (a report of it); --watch
		   has no key to play it: it plays from there. */
		if (options_isset(o, OPT_NOW)) {
			sc.replay_start = o->v[OPT_NOW].num;
			sc.replay_paused = !o->v[OPT_WATCH].flag;
		}
		break;
	case SOURCE_DEMO:
		if (options_isset(o, OPT_SEED))
			sc.demo_seed = (uint64_t)o->v[OPT_SEED].num;
		if (options_isset(o, OPT_UNITS))
			sc.demo_units = (size_t)o->v[OPT_UNITS].num;
		if (options_isset(o, OPT_SPEED))
			sc.demo_speed = o->v[OPT_SPEED].num;
		if (options_isset(o, OPT_NOW))
			sc.demo_start = o->v[OPT_NOW].num;
		break;
	default:
		break;
	}
	st = source_new(&sc, map, now, src, why, sizeof why);
	if (st != BC_OK) {
		poll_token_free(token);
		die_line(why);
		return (kind == SOURCE_FILE || (kind == SOURCE_REPLAY &&
		    st != BC_USAGE) ? EXIT_FEED : EXIT_USAGE);
	}
	*reqs = NULL;
	if (kind == SOURCE_API &&
	    (ex = main_reqlink(o, map, &sc.poll, reqs)) != EXIT_OK) {
		poll_token_free(token);
		source_free(*src);
		return (ex);
	}
	poll_token_free(token);
	return (EXIT_OK);
}

/*
 * The one-shot report: the same engine and sources as the live modes,
 * stepped until the first answer is applied (or refused), then printed
 * as of the feed's time.
 */
static enum exit_status
mode_report(const struct options *o)
{
	struct border_map	*map = NULL;
	struct cop_config	 cc;
	struct cop		 cop;
	struct source		*src;
	struct reqlink		*reqs = NULL;
	const struct source_msg	*last;
	struct report_meta	 meta;
	struct link_status	 link;
	const char		*codes[NSIDES];
	char			 why[1024];
	double			 now;
	int			 i;
	enum source_kind	 kind;
	enum exit_status	 ex;
	enum bc_status		 st;

	if ((ex = main_source_kind(o, &kind)) != EXIT_OK)
		return (ex);
	if ((ex = main_load_map(o, &map)) != EXIT_OK)
		return (ex);
	cop_config_defaults(&cc);
	cc.map = map;
	if ((ex = main_config(o, map, &cc.pcfg)) != EXIT_OK ||
	    (ex = main_source(o, map, main_clock(), &src, &reqs)) !=
	    EXIT_OK) {
		border_free(map);
		return (ex);
	}
	cop_init(&cop, &cc, src);
	st = cop_once(&cop, src, main_clock, why, sizeof why);
	if (st != BC_OK) {
		die_line(why);
		ex = kind == SOURCE_API && st != BC_JSON && st != BC_FORMAT &&
		    st != BC_TOOBIG ? EXIT_NET : EXIT_FEED;
		goto out;
	}

	memset(&meta, 0, sizeof meta);
	meta.program = PROGRAM " " PACKAGE_VERSION;
	meta.ascii = !main_utf8;
	last = source_last_msg(src);
	meta.rejected = last->rejected;
	meta.nrejected = last->nrejected;
	switch (kind) {
	case SOURCE_FILE:
		meta.feed = o->v[OPT_FEED].str;
		meta.server_time = last->server_time;
		break;
	case SOURCE_API:
		meta.feed = o->v[OPT_API].str;
		meta.server_time = last->server_time;
		link = *source_link(src);
		meta.link = &link;
		meta.transfer_s = poll_last(source_poller(src))->total_s;
		break;
	case SOURCE_REPLAY:
		meta.feed = "the journal (replay)";
		meta.server_time = cop.pic.now;
		/* The requests as recorded by then, when there were any. */
		for (i = 0; i < NSIDES; i++)
			codes[i] = map->sides[i].code;
		meta.requests = replay_requests(source_replay(src), codes,
		    NULL);
		if (meta.requests->n == 0)
			meta.requests = NULL;
		break;
	default:
		meta.feed = "DEMO (embedded scenario)";
		meta.server_time = cop.pic.now;
		break;
	}
	if (options_isset(o, OPT_NOW) && kind != SOURCE_DEMO) {
		now = o->v[OPT_NOW].num;
		meta.clock_source = "--now";
	} else if (isfinite(meta.server_time)) {
		now = meta.server_time;
		meta.clock_source = kind == SOURCE_DEMO ? "demo clock" :
		    "server_time";
	} else {
		now = main_clock();
		meta.clock_source = "local clock";
	}
	/* As of the report's clock exactly, not the moment it arrived; a
	   replay more than stale_after past the journal's last record is
	   unknown there, as --handover counts it, not all stale and gap. */
	if (kind == SOURCE_REPLAY && now > replay_last(source_replay(src)) +
	    cc.pcfg.stale_after_s)
		cop_rebuild_unknown(&cop, replay_last(source_replay(src)),
		    now);
	else
		cop_rebuild(&cop, now);

	/* Requests as of now: queued ones sent, the list fetched. */
	if (reqs != NULL) {
		/* What the server has, measured in this picture, and what
		   that measure changed (covering, closed) sent. */
		if (reqpoll_sync(reqs->rp, &reqs->book, main_clock, now,
		    &cop.log, why, sizeof why) == BC_OK) {
			reqbook_measure(&reqs->book, &cop.pic, now, &cop.log);
			st = reqpoll_sync(reqs->rp, &reqs->book, main_clock,
			    now, &cop.log, why, sizeof why);
		} else
			st = BC_NET;
		if (st != BC_OK)
			fprintf(stderr, "%s: %s\n", PROGRAM, why);
		meta.requests = &reqs->book;
		meta.requests_error = reqpoll_error(reqs->rp);
	}
	ex = main_print(o, &cop.pic, &meta);
	/* An unknown picture's gaps are the last known: not open now. */
	if (ex == EXIT_OK && o->v[OPT_FAIL_ON_GAP].flag && cop.pic.ngaps > 0 &&
	    !cop.pic.unknown)
		ex = EXIT_GAP;
out:
	cop_done(&cop);
	reqlink_free(reqs);
	source_free(src);
	border_free(map);
	return (ex);
}

/* The journal directory: --journal, else the state directory. */
static const char *
main_journal_dir(const struct options *o, char *buf, size_t len)
{
	if (options_isset(o, OPT_JOURNAL))
		return (o->v[OPT_JOURNAL].str);
	if (journal_default_dir(buf, len) == NULL) {
		die_line("no journal directory: set XDG_STATE_HOME or HOME, "
		    "or give --journal DIR");
		return (NULL);
	}
	return (buf);
}

/*
 * The handover over [--from, --to]: --to defaults to the journal's last
 * record, --from to a shift (8 h) before --to.
 */
static enum exit_status
mode_handover(const struct options *o)
{
	struct border_map	*map = NULL;
	struct handover_config	 hc;
	struct journal_reader	 rd;
	struct handover		 h;
	enum exit_status	 ex;
	enum bc_status		 st;
	const char		*dir, *fmt;
	char			 buf[4096], why[1024], *out = NULL;
	size_t			 len = 0;
	double			 from, to;
	FILE			*mem;

	if ((dir = main_journal_dir(o, buf, sizeof buf)) == NULL)
		return (EXIT_USAGE);
	from = options_isset(o, OPT_FROM) ? o->v[OPT_FROM].num : NAN;
	to = options_isset(o, OPT_TO) ? o->v[OPT_TO].num : NAN;
	if (isfinite(from) && isfinite(to) && !(to > from)) {
		die_line("--to must be later than --from");
		return (EXIT_USAGE);
	}
	if ((ex = main_load_map(o, &map)) != EXIT_OK)
		return (ex);
	memset(&hc, 0, sizeof hc);
	if ((ex = main_config(o, map, &hc.pcfg)) != EXIT_OK) {
		border_free(map);
		return (ex);
	}
	/* Without --from, a shift before --to (without --to, before the
	   journal's end): the files of its days. */
	if (journal_read(dir, isfinite(from) ? from : isfinite(to) ?
	    to - HANDOVER_SHIFT_S : journal_newest_day(dir) - 86400, to, NULL,
	    NULL, &rd, why, sizeof why) != BC_OK) {
		die_line(why);
		border_free(map);
		return (EXIT_FEED);
	}
	if (rd.n == 0) {
		snprintf(why, sizeof why, "journal %s: no records", dir);
		die_line(why);
		journal_reader_done(&rd);
		border_free(map);
		return (EXIT_FEED);
	}
	if (!isfinite(to))
		to = rd.v[rd.n - 1].time;
	if (!isfinite(from))
		from = to - HANDOVER_SHIFT_S;
	hc.map = map;
	hc.from = from;
	hc.to = to;
	hc.journal = dir;
	hc.program = PROGRAM " " PACKAGE_VERSION;
	hc.alert_gap_km = options_isset(o, OPT_ALERT_GAP) ?
	    o->v[OPT_ALERT_GAP].num : 10;
	if (handover_build(&rd, &hc, &h, why, sizeof why) != BC_OK) {
		die_line(why);
		handover_done(&h);
		journal_reader_done(&rd);
		border_free(map);
		return (EXIT_FEED);
	}
	/* Built whole in memory, then written at once. */
	fmt = options_isset(o, OPT_REPORT_FORMAT) ?
	    o->v[OPT_REPORT_FORMAT].str : "text";
	ex = EXIT_OK;
	if ((mem = open_memstream(&out, &len)) == NULL) {
		die_line("cannot allocate the report");
		ex = EXIT_OTHER;
	} else {
		/* Both follow the locale, as the report's do. */
		if (strcmp(fmt, "json") == 0)
			st = handover_json(mem, &h);
		else {
			FILE	*t = text_stream(mem, main_utf8);

			st = handover_text(t, &h);
			if (t != mem && fclose(t) != 0)
				st = BC_IO;
		}
		if (fclose(mem) != 0 || st != BC_OK) {
			die_line("cannot build the report");
			ex = EXIT_OTHER;
		} else {
			if (strcmp(fmt, "json") == 0 && !main_utf8)
				main_json_ascii(&out, &len);
			if (fwrite(out, 1, len, stdout) != len ||
			    fflush(stdout) != 0) {
				die_line("cannot write the report to "
				    "standard output");
				ex = EXIT_OTHER;
			}
		}
	}
	if (ex == EXIT_OK && o->v[OPT_FAIL_ON_GAP].flag && h.end_known &&
	    h.nopen > 0)
		ex = EXIT_GAP;
	free(out);
	handover_done(&h);
	journal_reader_done(&rd);
	border_free(map);
	return (ex);
}

/*
 * The journal of a live mode: the terminal picture keeps one for the API
 * and a feed file; the demo (simulated positions do not belong in the
 * record of real ones) and --watch (a pipe or a log beside the picture,
 * which holds the lock) only when --journal names a directory; never
 * with --no-journal.
 */
static enum exit_status
main_journal_open(const struct options *o, const struct source *src,
    int watch, struct journal **j)
{
	struct journal_config	 jc;
	char			 buf[4096], why[1024];
	const char		*dir;
	enum bc_status		 st;

	*j = NULL;
	if (o->v[OPT_NO_JOURNAL].flag || source_kind(src) == SOURCE_REPLAY ||
	    ((source_kind(src) == SOURCE_DEMO || watch) &&
	    !options_isset(o, OPT_JOURNAL)))
		return (EXIT_OK);
	if ((dir = main_journal_dir(o, buf, sizeof buf)) == NULL)
		return (EXIT_USAGE);
	journal_config_defaults(&jc);
	jc.dir = dir;
	if (options_isset(o, OPT_JOURNAL_KEEP))
		jc.keep_days = o->v[OPT_JOURNAL_KEEP].num;
	st = journal_open(&jc, j, why, sizeof why);
	if (st != BC_OK) {
		die_line(why);
		return (st == BC_USAGE ? EXIT_USAGE : EXIT_OTHER);
	}
	return (EXIT_OK);
}

/* A side code of the map, in any case, or SIDE_NONE. */
static int
main_side(const struct border_map *map, const char *name)
{
	int	s;

	for (s = 0; s < NSIDES; s++)
		if (map->sides[s].code[0] != '\0' &&
		    strcasecmp(name, map->sides[s].code) == 0)
			return (s);
	return (SIDE_NONE);
}

/*
 * The --cot sink, when asked for: the destination, the units to send
 * (--cot-units, with --side), stale after 3 poll intervals.
 */
static enum exit_status
main_cot(const struct options *o, const struct border_map *map,
    struct cot **cot)
{
	struct cot_config	 cc;
	char			 why[1024], w[300];
	enum bc_status		 st;

	*cot = NULL;
	if (!options_isset(o, OPT_COT)) {
		if (options_isset(o, OPT_COT_UNITS)) {
			snprintf(why, sizeof why, "%s: only with --cot",
			    options_where(o, OPT_COT_UNITS, w, sizeof w));
			die_line(why);
			return (EXIT_USAGE);
		}
		return (EXIT_OK);
	}
	memset(&cc, 0, sizeof cc);
	cc.dest = o->v[OPT_COT].str;
	cc.interval_s = options_isset(o, OPT_INTERVAL) ?
	    o->v[OPT_INTERVAL].num : 10;
	cc.own_side = SIDE_NONE;
	cc.units = COT_UNITS_NONE;
	if (options_isset(o, OPT_COT_UNITS))
		cc.units = strcmp(o->v[OPT_COT_UNITS].str, "all") == 0 ?
		    COT_UNITS_ALL : COT_UNITS_OWN;
	if (options_isset(o, OPT_SIDE) &&
	    (cc.own_side = main_side(map, o->v[OPT_SIDE].str)) == SIDE_NONE) {
		snprintf(why, sizeof why, "%s: '%s' is not %s or %s",
		    options_where(o, OPT_SIDE, w, sizeof w),
		    o->v[OPT_SIDE].str, map->sides[0].code,
		    map->sides[1].code);
		die_line(why);
		return (EXIT_USAGE);
	}
	if (cc.units != COT_UNITS_NONE && cc.own_side == SIDE_NONE) {
		snprintf(why, sizeof why, "%s: say which side this station "
		    "is with --side (%s or %s)", options_where(o,
		    OPT_COT_UNITS, w, sizeof w), map->sides[0].code,
		    map->sides[1].code);
		die_line(why);
		return (EXIT_USAGE);
	}
	if ((st = cot_open(&cc, cot, why, sizeof why)) != BC_OK) {
		die_line(why);
		return (st == BC_USAGE ? EXIT_USAGE : EXIT_OTHER);
	}
	return (EXIT_OK);
}

/* Close the journal; say why it stopped, if it did. */
static void
main_journal_close(struct journal *j)
{
	char	why[1024];

	if (j == NULL)
		return;
	if (journal_error(j) != NULL) {
		snprintf(why, sizeof why, "the journal stopped: %s",
		    journal_error(j));
		die_line(why);
	}
	/* The end at the picture clock of the last record. */
	journal_close(j, journal_last_time(j));
}

/* The live modes share their set-up: map, picture settings, source. */
static enum exit_status
main_live_setup(const struct options *o, int watch, struct border_map **map,
    struct picture_config *cfg, struct source **src, struct journal **j,
    struct reqlink **reqs)
{
	enum exit_status	ex;

	if ((ex = main_load_map(o, map)) != EXIT_OK)
		return (ex);
	if ((ex = main_config(o, *map, cfg)) != EXIT_OK ||
	    (ex = main_source(o, *map, main_clock(), src, reqs)) !=
	    EXIT_OK) {
		border_free(*map);
		return (ex);
	}
	if ((ex = main_journal_open(o, *src, watch, j)) != EXIT_OK) {
		reqlink_free(*reqs);
		*reqs = NULL;
		source_free(*src);
		border_free(*map);
		return (ex);
	}
	return (EXIT_OK);
}

static enum exit_status
mode_watch(const struct options *o)
{
	struct border_map	*map;
	struct watch_config	 wc;
	struct source		*src;
	enum exit_status	 ex;
	char			 why[512];

	watch_config_defaults(&wc);
	if ((ex = main_live_setup(o, 1, &map, &wc.pcfg, &src, &wc.journal,
	    &wc.reqs)) !=
	    EXIT_OK)
		return (ex);
	wc.map = map;
	if (options_isset(o, OPT_WATCH_COUNT))
		wc.count = (unsigned long)o->v[OPT_WATCH_COUNT].num;
	/* A replay's clock is its own, started at --now. */
	if (options_isset(o, OPT_NOW) && source_kind(src) != SOURCE_DEMO &&
	    source_kind(src) != SOURCE_REPLAY)
		wc.now_fixed = o->v[OPT_NOW].num;
	if (options_isset(o, OPT_ALERT_GAP))
		wc.alert_gap_km = o->v[OPT_ALERT_GAP].num;
	if (options_isset(o, OPT_SECTOR_FLOOR))
		wc.sector_floor = o->v[OPT_SECTOR_FLOOR].num;
	wc.out = text_stream(stdout, main_utf8);
	wc.ascii = !main_utf8;
	if ((ex = main_cot(o, map, &wc.cot)) == EXIT_OK &&
	    watch_run(src, &wc, why, sizeof why) != BC_OK) {
		die_line(why);
		ex = EXIT_OTHER;
	}
	reqlink_free(wc.reqs);
	cot_close(wc.cot);
	main_journal_close(wc.journal);
	if (wc.out != stdout)
		fclose(wc.out);
	source_free(src);
	border_free(map);
	return (ex);
}

static enum exit_status
mode_live(const struct options *o)
{
	struct border_map	*map;
	struct live_config	 lc;
	struct ui_options	 uo;
	struct source		*src;
	struct journal		*j;
	enum exit_status	 ex;
	char			 why[512];

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		die_line("the full-screen picture needs a terminal; use "
		    "--report or --watch");
		return (EXIT_USAGE);
	}
	if (ui_term_check(NULL, why, sizeof why) != BC_OK) {
		die_line(why);
		return (EXIT_USAGE);
	}
	live_config_defaults(&lc);
	if ((ex = main_live_setup(o, 0, &map, &lc.pcfg, &src, &j,
	    &lc.reqs)) != EXIT_OK)
		return (ex);
	lc.map = map;
	if (options_isset(o, OPT_NOW) && source_kind(src) != SOURCE_DEMO &&
	    source_kind(src) != SOURCE_REPLAY)
		lc.now_fixed = o->v[OPT_NOW].num;
	if (options_isset(o, OPT_SECTOR_FLOOR))
		lc.sector_floor = o->v[OPT_SECTOR_FLOOR].num;
	ui_options_defaults(&uo);
	uo.ascii = o->v[OPT_ASCII].flag;
	uo.no_color = o->v[OPT_NO_COLOR].flag;
	uo.bell = o->v[OPT_BELL].flag;
	if (options_isset(o, OPT_ALERT_GAP))
		uo.alert_gap_km = o->v[OPT_ALERT_GAP].num;
	lc.journal = j;
	if ((ex = main_cot(o, map, &lc.cot)) == EXIT_OK &&
	    live_run(src, &lc, &uo, why, sizeof why) != BC_OK) {
		die_line(why);
		ex = EXIT_OTHER;
	}
	reqlink_free(lc.reqs);
	cot_close(lc.cot);
	main_journal_close(j);
	source_free(src);
	border_free(map);
	return (ex);
}

int
main(int argc, char **argv)
{
	struct options		 o;
	char			 why[1024], buf[4096];
	const char		*path;
	enum exit_status	 ex;

	/* Only the character type: numbers keep their C format. */
	setlocale(LC_CTYPE, "");
	main_utf8 = text_locale_utf8();
	options_init(&o);
	if (options_parse(&o, argc, argv, why, sizeof why) != BC_OK) {
		die_line(why);
		options_done(&o);
		return (EXIT_USAGE);
	}

	switch (main_mode(&o)) {
	case MODE_HELP:
		options_usage(stdout, PROGRAM);
		ex = EXIT_OK;
		goto out;
	case MODE_VERSION:
		printf("%s %s\n", PROGRAM, PACKAGE_VERSION);
		ex = EXIT_OK;
		goto out;
	default:
		break;
	}

	/* The config file fills what the command line left unset. */
	path = options_isset(&o, OPT_CONFIG) ? o.v[OPT_CONFIG].str :
	    conffile_default_path(buf, sizeof buf);
	if (path != NULL && conffile_load(path, options_isset(&o, OPT_CONFIG),
	    &o, why, sizeof why) != BC_OK) {
		die_line(why);
		ex = EXIT_USAGE;
		goto out;
	}
	main_source_resolve(&o);

	switch (main_mode(&o)) {
	case MODE_REPORT:
		if (options_isset(&o, OPT_COT) && o.v[OPT_COT].origin ==
		    ORIGIN_CLI) {
			die_line("--cot streams the live picture: use it with "
			    "--watch or the terminal picture, not --report");
			ex = EXIT_USAGE;
			break;
		}
		ex = mode_report(&o);
		break;
	case MODE_HANDOVER:
		ex = mode_handover(&o);
		break;
	case MODE_WATCH:
		ex = mode_watch(&o);
		break;
	default:
		ex = mode_live(&o);
		break;
	}
out:
	options_done(&o);
	return (ex);
}
