/*
 * options.c: command line parsing, value checking and --help, all from
 * the OPTIONS() table in options.h.
 */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "util.h"
#include "xmalloc.h"

const struct option_info option_table[OPT_COUNT] = {
#define X(id, l, s, arg, an, t, lo, hi, cfg, help)			\
	{ l, s, arg, an, t, lo, hi, cfg, help },
	OPTIONS(X)
#undef X
};

/* Column where help texts start in --help. */
#define OPTIONS_HELP_COL	29

void
options_init(struct options *o)
{
	memset(o, 0, sizeof *o);
}

void
options_done(struct options *o)
{
	int	i;

	for (i = 0; i < OPT_COUNT; i++)
		free(o->v[i].str);
	free(o->config_path);
	options_init(o);
}

enum option_id
options_find(const char *name)
{
	int	i;

	for (i = 0; i < OPT_COUNT; i++) {
		if (strcmp(option_table[i].name, name) == 0)
			return ((enum option_id)i);
	}
	return (OPT_COUNT);
}

int
options_isset(const struct options *o, enum option_id id)
{
	return (o->v[id].origin != ORIGIN_NONE);
}

const char *
options_where(const struct options *o, enum option_id id, char *buf,
    size_t len)
{
	const struct option_value	*v = &o->v[id];

	if (v->origin == ORIGIN_CLI)
		snprintf(buf, len, "--%s", option_table[id].name);
	else if (v->origin == ORIGIN_FILE && o->config_path != NULL)
		snprintf(buf, len, "%s:%u: %s", o->config_path, v->line,
		    option_table[id].name);
	else
		snprintf(buf, len, "%s", option_table[id].name);
	return (buf);
}

/* A decimal number and nothing else: no hex, no inf/nan, no spaces. */
static int
options_number(const char *s, double *out)
{
	const char	*p;
	char		*end;
	double		 x;

	if (*s == '\0')
		return (-1);
	for (p = s; *p != '\0'; p++) {
		if (strchr("0123456789.eE+-", *p) == NULL)
			return (-1);
	}
	x = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(x))
		return (-1);
	*out = x;
	return (0);
}

/* Whether value is one of the '|'-separated words of list. */
static int
options_in_list(const char *list, const char *value)
{
	size_t		 n = strlen(value);
	const char	*p = list, *bar;

	for (;;) {
		bar = strchr(p, '|');
		if (bar == NULL)
			return (strcmp(p, value) == 0);
		if ((size_t)(bar - p) == n && strncmp(p, value, n) == 0)
			return (1);
		p = bar + 1;
	}
}

static int
options_yesno(const char *s, int *out)
{
	if (strcmp(s, "yes") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "on") == 0 || strcmp(s, "1") == 0)
		*out = 1;
	else if (strcmp(s, "no") == 0 || strcmp(s, "false") == 0 ||
	    strcmp(s, "off") == 0 || strcmp(s, "0") == 0)
		*out = 0;
	else
		return (-1);
	return (0);
}

enum bc_status
options_set(struct options *o, enum option_id id, const char *value,
    enum option_origin origin, char *why, size_t whylen)
{
	const struct option_info	*oi = &option_table[id];
	struct option_value		*v = &o->v[id];
	double				 x = 0;
	int				 flag = 1;

	if (origin == ORIGIN_FILE && v->origin == ORIGIN_CLI)
		return (BC_OK);
	switch (oi->type) {
	case OPTT_FLAG:
		/* On the command line a flag takes no value. */
		if (value != NULL && options_yesno(value, &flag) != 0) {
			bc_why(why, whylen, "%s: expected yes or no, not "
			    "'%s'", oi->name, value);
			return (BC_USAGE);
		}
		break;
	case OPTT_STR:
		/* An optional argument may be absent (--replay: the
		   default directory), never empty. */
		if (value == NULL && oi->arg == OPTARG_OPTIONAL)
			break;
		if (value == NULL || *value == '\0') {
			bc_why(why, whylen, "%s: empty value", oi->name);
			return (BC_USAGE);
		}
		break;
	case OPTT_NUM:
	case OPTT_INT:
		if (value == NULL || options_number(value, &x) != 0) {
			bc_why(why, whylen, "%s: '%s' is not a number",
			    oi->name, value == NULL ? "" : value);
			return (BC_USAGE);
		}
		if (oi->type == OPTT_INT && x != floor(x)) {
			bc_why(why, whylen, "%s: '%s' is not a whole number",
			    oi->name, value);
			return (BC_USAGE);
		}
		if (x < oi->min || x > oi->max) {
			bc_why(why, whylen, "%s: %s is out of range "
			    "(%.15g to %.15g)", oi->name, value, oi->min,
			    oi->max);
			return (BC_USAGE);
		}
		break;
	case OPTT_TIME:
		if (value == NULL || time_parse_rfc3339(value, &x) != 0) {
			bc_why(why, whylen, "%s: '%s' is not an RFC 3339 "
			    "date-time (like 2026-11-28T02:00:00Z)", oi->name,
			    value == NULL ? "" : value);
			return (BC_USAGE);
		}
		break;
	case OPTT_CHOICE:
		if (value != NULL && !options_in_list(oi->argname, value)) {
			bc_why(why, whylen, "%s: '%s' is not one of %s",
			    oi->name, value, oi->argname);
			return (BC_USAGE);
		}
		break;
	}
	free(v->str);
	v->str = value == NULL ? NULL : xstrdup(value);
	v->num = x;
	v->flag = flag;
	v->origin = origin;
	return (BC_OK);
}

enum bc_status
options_parse(struct options *o, int argc, char **argv, char *why,
    size_t whylen)
{
	struct option	 longopts[OPT_COUNT + 1];
	char		 shortopts[3 * OPT_COUNT + 2], *sp = shortopts;
	const char	*bad, *eq;
	int		 i, c, idx, k;
	enum bc_status	 st;

	*sp++ = ':';		/* report a missing argument as ':' */
	for (i = 0; i < OPT_COUNT; i++) {
		longopts[i].name = option_table[i].name;
		longopts[i].has_arg = option_table[i].arg == OPTARG_NONE ?
		    no_argument : option_table[i].arg == OPTARG_REQUIRED ?
		    required_argument : optional_argument;
		/* A flag the config file may turn on, the command line may
		   turn off: --ascii=no. */
		if (option_table[i].type == OPTT_FLAG &&
		    option_table[i].in_file)
			longopts[i].has_arg = optional_argument;
		longopts[i].flag = NULL;
		longopts[i].val = 256 + i;
		if (option_table[i].letter != 0) {
			*sp++ = (char)option_table[i].letter;
			if (option_table[i].arg == OPTARG_REQUIRED)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	memset(&longopts[OPT_COUNT], 0, sizeof longopts[OPT_COUNT]);

	optind = 1;
	opterr = 0;
	for (;;) {
		idx = -1;
		c = getopt_long(argc, argv, shortopts, longopts, &idx);
		if (c == -1)
			break;
		if (c == '?' || c == ':') {
			bad = argv[optind - 1];
			if (c == '?' && strncmp(bad, "--", 2) == 0 &&
			    (eq = strchr(bad, '=')) != NULL) {
				for (i = 0; i < OPT_COUNT; i++)
					if (strlen(option_table[i].name) ==
					    (size_t)(eq - bad - 2) &&
					    strncmp(option_table[i].name,
					    bad + 2, (size_t)(eq - bad - 2)) ==
					    0)
						break;
				if (i < OPT_COUNT) {
					bc_why(why, whylen, "--%s takes no "
					    "value (not '%s')",
					    option_table[i].name, eq + 1);
					return (BC_USAGE);
				}
			}
			if (optopt != 0 && optopt < 256)
				bc_why(why, whylen, "%s -%c", c == ':' ?
				    "missing argument to" : "unknown option",
				    optopt);
			else
				bc_why(why, whylen, "%s %s", c == ':' ?
				    "missing argument to" :
				    "unknown or ambiguous option", bad);
			return (BC_USAGE);
		}
		if (c >= 256)
			i = c - 256;
		else {
			for (i = 0; i < OPT_COUNT; i++) {
				if (option_table[i].letter == c)
					break;
			}
			if (i == OPT_COUNT) {
				bc_why(why, whylen, "unknown option -%c", c);
				return (BC_USAGE);
			}
		}
		st = options_set(o, (enum option_id)i, optarg, ORIGIN_CLI, why,
		    whylen);
		if (st != BC_OK)
			return (st);
	}
	if (optind < argc) {
		/* "--report json": an optional argument needs the '='. */
		for (i = 0; i < OPT_COUNT; i++)
			if (option_table[i].arg == OPTARG_OPTIONAL &&
			    option_table[i].type == OPTT_CHOICE &&
			    options_in_list(option_table[i].argname,
			    argv[optind]))
				break;
		/* "--replay DIR": the same, for a text argument given
		   without its value. */
		for (k = 0; i == OPT_COUNT && k < OPT_COUNT; k++)
			if (option_table[k].arg == OPTARG_OPTIONAL &&
			    option_table[k].type == OPTT_STR &&
			    o->v[k].origin == ORIGIN_CLI && o->v[k].str == NULL)
				i = k;
		if (i < OPT_COUNT)
			bc_why(why, whylen, "unexpected argument '%s' (for "
			    "--%s, write --%s=%s)", argv[optind],
			    option_table[i].name, option_table[i].name,
			    argv[optind]);
		else
			bc_why(why, whylen, "unexpected argument '%s'",
			    argv[optind]);
		return (BC_USAGE);
	}
	return (BC_OK);
}

void
options_usage(FILE *f, const char *progname)
{
	const struct option_info	*oi;
	char				 left[128];
	int				 i, n;

	fprintf(f, "usage: %s [--api URL | --feed FILE | --demo]\n"
	    "       %*s [--report[=text|json] | --watch] [option ...]\n\n"
	    "Without --report or --watch, the full-screen picture.  Without "
	    "--api or --feed,\nthe embedded demo scenario.\n\n", progname,
	    (int)strlen(progname), "");
	for (i = 0; i < OPT_COUNT; i++) {
		oi = &option_table[i];
		if (oi->letter != 0)
			n = snprintf(left, sizeof left, "  -%c, --%s",
			    oi->letter, oi->name);
		else
			n = snprintf(left, sizeof left, "      --%s", oi->name);
		if (n < 0)
			n = 0;
		if (oi->arg == OPTARG_REQUIRED)
			snprintf(left + n, sizeof left - n, " %s",
			    oi->argname);
		else if (oi->arg == OPTARG_OPTIONAL)
			snprintf(left + n, sizeof left - n, "[=%s]",
			    oi->argname);
		if (strlen(left) >= OPTIONS_HELP_COL)
			fprintf(f, "%s\n%*s%s\n", left, OPTIONS_HELP_COL, "",
			    oi->help);
		else
			fprintf(f, "%-*s%s\n", OPTIONS_HELP_COL, left,
			    oi->help);
	}
}
