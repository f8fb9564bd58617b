/*
 * main.c: the bordercop program: options, then one mode.
 *
 * Modes are a dispatch on enum mode; each returns an exit status from the
 * EXIT_STATUSES() table.  Errors are one line on stderr; a failing run
 * never leaves a partial report on stdout (the report is built in memory
 * and written only once complete).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "conffile.h"
#include "feed.h"
#include "map.h"
#include "options.h"
#include "picture.h"
#include "report.h"
#include "unit.h"
#include "xmalloc.h"

#define PROGRAM	"bordercop"

/* Exit statuses, as bordercop(1) documents them under EXIT STATUS. */
#define EXIT_STATUSES(X)						\
	X(OK,		0, "success")					\
	X(OTHER,	1, "any other error (such as a write error)")	\
	X(USAGE,	2, "bad command line or config file")		\
	X(GAP,		3, "--fail-on-gap was given and a gap is open")	\
	X(MAP,		4, "the border map is missing or unusable")	\
	X(FEED,		5, "the feed is missing or unusable")

enum exit_status {
#define X(id, code, text) EXIT_##id = code,
	EXIT_STATUSES(X)
#undef X
};

enum mode {
	MODE_NONE,		/* nothing asked: a hint */
	MODE_HELP,
	MODE_VERSION,
	MODE_REPORT		/* headless one-shot report */
};

static void
die_line(const char *why)
{
	fprintf(stderr, "%s: %s\n", PROGRAM, why);
}

static enum mode
main_mode(const struct options *o)
{
	if (o->v[OPT_HELP].flag)
		return (MODE_HELP);
	if (o->v[OPT_VERSION].flag)
		return (MODE_VERSION);
	if (options_isset(o, OPT_REPORT) || options_isset(o, OPT_FEED))
		return (MODE_REPORT);
	return (MODE_NONE);
}

/* The picture configuration from the options; the map names sides. */
static enum exit_status
main_config(const struct options *o, const struct border_map *map,
    struct picture_config *cfg)
{
	char	why[256];
	int	policy;

	picture_config_defaults(cfg);
	if (options_isset(o, OPT_POLICY)) {
		policy = report_policy_parse(map, o->v[OPT_POLICY].str);
		if (policy < 0) {
			snprintf(why, sizeof why, "policy: '%s' is not "
			    "either, both, %s or %s", o->v[OPT_POLICY].str,
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
		snprintf(why, sizeof why, "lost-after (%g s) is shorter than "
		    "stale-after (%g s)", cfg->lost_after_s,
		    cfg->stale_after_s);
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
	const char	*fmt = o->v[OPT_REPORT].str;

	if ((mem = open_memstream(&buf, &len)) == NULL) {
		die_line("cannot allocate the report");
		return (EXIT_OTHER);
	}
	if (fmt != NULL && strcmp(fmt, "json") == 0)
		st = report_json(mem, p, meta);
	else
		st = report_text(mem, p, meta);
	if (fclose(mem) != 0)
		st = BC_IO;
	if (st != BC_OK) {
		free(buf);
		die_line("cannot build the report");
		return (EXIT_OTHER);
	}
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		free(buf);
		die_line("cannot write the report to standard output");
		return (EXIT_OTHER);
	}
	free(buf);
	return (EXIT_OK);
}

static enum exit_status
mode_report(const struct options *o)
{
	struct border_map	*map = NULL;
	struct picture_config	 cfg;
	struct feed_msg		 msg;
	struct unit_table	 units;
	struct picture		 pic;
	struct report_meta	 meta;
	const char		*codes[NSIDES];
	char			 why[1024];
	double			 now;
	enum exit_status	 ex;

	if (!options_isset(o, OPT_FEED)) {
		die_line("--report needs --feed FILE");
		return (EXIT_USAGE);
	}
	if ((ex = main_load_map(o, &map)) != EXIT_OK)
		return (ex);
	if ((ex = main_config(o, map, &cfg)) != EXIT_OK) {
		border_free(map);
		return (ex);
	}
	codes[0] = map->sides[0].code;
	codes[1] = map->sides[1].code;
	if (feed_read_file(o->v[OPT_FEED].str, codes, &msg, why,
	    sizeof why) != BC_OK) {
		die_line(why);
		border_free(map);
		return (EXIT_FEED);
	}

	memset(&meta, 0, sizeof meta);
	meta.program = PROGRAM " " PACKAGE_VERSION;
	meta.feed = o->v[OPT_FEED].str;
	meta.server_time = msg.server_time;
	meta.rejected = msg.rejected;
	meta.nrejected = msg.nrejected;
	if (options_isset(o, OPT_NOW)) {
		now = o->v[OPT_NOW].num;
		meta.clock_source = "--now";
	} else if (isfinite(msg.server_time)) {
		now = msg.server_time;
		meta.clock_source = "server_time";
	} else {
		now = (double)time(NULL);
		meta.clock_source = "local clock";
	}

	units_init(&units);
	feed_apply(&msg, &units);
	picture_init(&pic);
	picture_build(&pic, map, &units, &cfg, now);

	ex = main_print(o, &pic, &meta);
	if (ex == EXIT_OK && o->v[OPT_FAIL_ON_GAP].flag && pic.ngaps > 0)
		ex = EXIT_GAP;

	picture_done(&pic);
	units_done(&units);
	feed_msg_done(&msg);
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

	switch (main_mode(&o)) {
	case MODE_REPORT:
		ex = mode_report(&o);
		break;
	default:
		fprintf(stderr, "usage: %s --report[=text|json] --feed FILE "
		    "[option ...]\nTry '%s --help'.\n", PROGRAM, PROGRAM);
		ex = EXIT_USAGE;
		break;
	}
out:
	options_done(&o);
	return (ex);
}
