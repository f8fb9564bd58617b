/*
 * options.h: the one table of bordercop's options.
 *
 * Each line of OPTIONS() is one option: it drives getopt_long(), the
 * --help text, the config file keys (the long name, when allowed there)
 * and the validation of its value.  Adding an option is adding a line;
 * the program then reads opts->v[OPT_<ID>].
 *
 * Columns: id, long name, short letter (0: none), argument (OPTARG_*),
 * argument name in --help (for OPTT_CHOICE: the choices, '|'-separated),
 * value type (OPTT_*), minimum and maximum (OPTT_NUM), whether the config
 * file may set it, and the help line.
 */
#ifndef BORDERCOP_OPTIONS_H
#define BORDERCOP_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

#include "status.h"

#define OPTIONS(X)							\
	X(REPORT, "report", 0, OPTARG_OPTIONAL, "text|json", OPTT_CHOICE, \
	    0, 0, 0, "print the coverage report and exit")		\
	X(FEED, "feed", 'f', OPTARG_REQUIRED, "FILE", OPTT_STR, 0, 0, 1, \
	    "read position reports from an API v1 file")		\
	X(MAP, "map", 'm', OPTARG_REQUIRED, "FILE", OPTT_STR, 0, 0, 1,	\
	    "border map (default: the installed map)")			\
	X(NOW, "now", 0, OPTARG_REQUIRED, "TIME", OPTT_TIME, 0, 0, 0,	\
	    "clock, RFC 3339 (default: the feed's server_time)")	\
	X(POLICY, "policy", 0, OPTARG_REQUIRED, "POLICY", OPTT_STR, 0, 0, 1, \
	    "gap policy: either, both or a side code (us, mx)")		\
	X(MIN_GAP, "min-gap", 0, OPTARG_REQUIRED, "KM", OPTT_NUM,	\
	    0, 100000, 1, "shortest uncovered stretch that is a gap (1)") \
	X(MIN_OVERLAP, "min-overlap", 0, OPTARG_REQUIRED, "KM", OPTT_NUM, \
	    0, 100000, 1, "shortest same-side overlap reported (1)")	\
	X(STALE_AFTER, "stale-after", 0, OPTARG_REQUIRED, "S", OPTT_NUM, \
	    0, 31536000, 1, "report age after which a unit is stale (300)") \
	X(LOST_AFTER, "lost-after", 0, OPTARG_REQUIRED, "S", OPTT_NUM,	\
	    0, 31536000, 1, "report age after which a unit is lost (1800)") \
	X(ACROSS_TOL, "across-tolerance", 0, OPTARG_REQUIRED, "KM", OPTT_NUM, \
	    0, 1000, 1, "offset beyond which a unit is across the line") \
	X(FAIL_ON_GAP, "fail-on-gap", 0, OPTARG_NONE, NULL, OPTT_FLAG,	\
	    0, 0, 1, "exit with status 3 when a gap is open")		\
	X(HANDOVER, "handover", 0, OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 0, \
	    "print the shift-handover report from the journal") \
	X(REPLAY, "replay", 0, OPTARG_OPTIONAL, "DIR", OPTT_STR, 0, 0, 0, \
	    "replay the journal (default: the state directory)") \
	X(FROM, "from", 0, OPTARG_REQUIRED, "TIME", OPTT_TIME, 0, 0, 0,	\
	    "handover and replay: start, RFC 3339")			\
	X(TO, "to", 0, OPTARG_REQUIRED, "TIME", OPTT_TIME, 0, 0, 0,	\
	    "handover and replay: end, RFC 3339")			\
	X(REPORT_FORMAT, "report-format", 0, OPTARG_REQUIRED, "text|json", \
	    OPTT_CHOICE, 0, 0, 0, "format of --report and --handover") \
	X(JOURNAL, "journal", 0, OPTARG_REQUIRED, "DIR", OPTT_STR, 0, 0, 1, \
	    "journal directory (default: the state directory)")	\
	X(NO_JOURNAL, "no-journal", 0, OPTARG_NONE, NULL, OPTT_FLAG,	\
	    0, 0, 1, "keep no journal of the feed")			\
	X(JOURNAL_KEEP, "journal-keep", 0, OPTARG_REQUIRED, "DAYS", OPTT_INT, \
	    0, 36500, 1, "days of journal files kept (14)")		\
	X(API, "api", 'a', OPTARG_REQUIRED, "URL", OPTT_STR, 0, 0, 1,	\
	    "poll coordination API v1 at URL")		\
	X(TOKEN_FILE, "token-file", 0, OPTARG_REQUIRED, "FILE", OPTT_STR, \
	    0, 0, 1, "API bearer token file (mode 600)") \
	X(CACERT, "cacert", 0, OPTARG_REQUIRED, "FILE", OPTT_STR, 0, 0, 1, \
	    "trust the CA certificates in FILE for the API")		\
	X(INTERVAL, "interval", 0, OPTARG_REQUIRED, "S", OPTT_NUM,	\
	    0.1, 3600, 1, "seconds between polls of the API (10)")	\
	X(COVER_HOLD, "cover-hold", 0, OPTARG_REQUIRED, "S", OPTT_NUM,	\
	    1, 86400, 1, "close a request covered this long (120)")	\
	X(ESCALATE, "escalate-after", 0, OPTARG_REQUIRED, "S", OPTT_NUM, \
	    1, 86400, 1, "alert when our cover request is unanswered (300)")	\
	X(VOICE, "voice", 0, OPTARG_REQUIRED, "SEC=TEL,..", OPTT_STR,	\
	    0, 0, 1, "voice line per sector, for escalations")		\
	X(DEMO, "demo", 0, OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 0,	\
	    "run the embedded demo (the default with no feed)") \
	X(SEED, "seed", 0, OPTARG_REQUIRED, "N", OPTT_INT,		\
	    0, 9007199254740991.0, 1, "demo scenario seed (1)")		\
	X(UNITS, "units", 0, OPTARG_REQUIRED, "N", OPTT_INT,		\
	    1, 100000, 1, "units in the demo scenario (300)")		\
	X(SPEED, "speed", 0, OPTARG_REQUIRED, "X", OPTT_NUM,		\
	    0.01, 3600, 1, "demo: simulated seconds per second (1)")	\
	X(WATCH, "watch", 'w', OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 0,	\
	    "print the sector table at each update (no TUI)") \
	X(WATCH_COUNT, "count", 0, OPTARG_REQUIRED, "N", OPTT_INT,	\
	    1, 1e9, 0, "with --watch: stop after N updates")		\
	X(ASCII, "ascii", 0, OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 1,	\
	    "draw with ASCII only, even in a UTF-8 locale")		\
	X(NO_COLOR, "no-color", 0, OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 1, \
	    "draw without colour (NO_COLOR does the same)")		\
	X(BELL, "bell", 0, OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 1,	\
	    "ring the terminal bell once for each alert")	\
	X(ALERT_GAP, "alert-gap", 0, OPTARG_REQUIRED, "KM", OPTT_NUM,	\
	    0, 100000, 1, "alert on border exposed: a gap KM long (10)") \
	X(SECTOR_FLOOR, "sector-floor", 0, OPTARG_REQUIRED, "PCT",	\
	    OPTT_NUM, 0, 100, 1,					\
	    "alert: a sector's own coverage under PCT% (off)") \
	X(COT, "cot", 0, OPTARG_REQUIRED, "DEST", OPTT_STR, 0, 0, 1,	\
	    "send gaps as CoT to tcp://H:P, udp://H:P or FILE") \
	X(COT_UNITS, "cot-units", 0, OPTARG_REQUIRED, "own|all", OPTT_CHOICE, \
	    0, 0, 1, "with --cot: units too, of this side or of both")	\
	X(SIDE, "side", 0, OPTARG_REQUIRED, "SIDE", OPTT_STR, 0, 0, 1,	\
	    "this station's side (us, mx): CoT units, requests")	\
	X(CONFIG, "config", 0, OPTARG_REQUIRED, "FILE", OPTT_STR, 0, 0, 0, \
	    "read settings from FILE instead of the default")		\
	X(HELP, "help", 'h', OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 0,	\
	    "show this help and exit")					\
	X(VERSION, "version", 'V', OPTARG_NONE, NULL, OPTT_FLAG, 0, 0, 0, \
	    "show the version and exit")

enum option_id {
#define X(id, l, s, arg, an, t, lo, hi, cfg, help) OPT_##id,
	OPTIONS(X)
#undef X
	OPT_COUNT
};

enum option_arg {
	OPTARG_NONE,
	OPTARG_REQUIRED,
	OPTARG_OPTIONAL
};

enum option_type {
	OPTT_FLAG,		/* on when given; "yes"/"no" in the file, and
				   as --flag=no when the file may set it */
	OPTT_STR,		/* any non-empty text */
	OPTT_NUM,		/* a finite number within [min, max] */
	OPTT_INT,		/* a whole number within [min, max] */
	OPTT_TIME,		/* RFC 3339 date-time, kept as epoch s */
	OPTT_CHOICE		/* one of the '|'-separated argument names */
};

enum option_origin {
	ORIGIN_NONE,		/* not set: the program's default applies */
	ORIGIN_FILE,		/* from the config file */
	ORIGIN_CLI		/* from the command line (wins) */
};

struct option_info {
	const char	*name;
	int		 letter;
	enum option_arg	 arg;
	const char	*argname;
	enum option_type type;
	double		 min, max;
	int		 in_file;
	const char	*help;
};

struct option_value {
	enum option_origin origin;
	char		*str;		/* the text as given (owned) */
	double		 num;		/* OPTT_NUM, OPTT_TIME */
	int		 flag;		/* given (an optional argument may
					   be absent: str NULL) */
	unsigned	 line;		/* ORIGIN_FILE: its line there */
};

struct options {
	struct option_value v[OPT_COUNT];
	char		*config_path;	/* file that was read, or NULL */
};

extern const struct option_info option_table[OPT_COUNT];

void		 options_init(struct options *);
void		 options_done(struct options *);
/* Parse argv; on error BC_USAGE and why names the option. */
enum bc_status	 options_parse(struct options *, int argc, char **argv,
		    char *why, size_t whylen);
/* Set one option from text; origin ORIGIN_FILE never overrides the
   command line.  why says what is wrong with the value. */
enum bc_status	 options_set(struct options *, enum option_id,
		    const char *value, enum option_origin, char *why,
		    size_t whylen);
/* The option whose long name is name, or OPT_COUNT. */
enum option_id	 options_find(const char *name);
int		 options_isset(const struct options *, enum option_id);
/* Where an option's value came from, to name it in an error: "--policy",
   "FILE:LINE: policy", or "policy" for the default. */
const char	*options_where(const struct options *, enum option_id,
		    char *buf, size_t len);
/* --help: usage line and one line per option, within 80 columns. */
void		 options_usage(FILE *, const char *progname);

#endif
