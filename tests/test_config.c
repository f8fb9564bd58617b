/*
 * test_config.c: the options table, command line parsing and the config
 * file (options.c, conffile.c).
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "conffile.h"
#include "options.h"

static enum bc_status
parse(struct options *o, char *why, size_t whylen, ...)
{
	char	*argv[32];
	int	 argc = 0;
	va_list	 ap;

	argv[argc++] = (char *)(uintptr_t)"bordercop";
	va_start(ap, whylen);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	return (options_parse(o, argc, argv, why, whylen));
}

static void
test_cli_values(void **state)
{
	struct options	o;
	char		why[256] = "";

	options_init(&o);
	assert_int_equal(parse(&o, why, sizeof why, "--report=json",
	    "-f", "feed.json", "--min-gap", "2.5", "--fail-on-gap",
	    "--now", "2026-11-28T02:00:00Z", "--policy", "us", NULL), BC_OK);
	assert_string_equal(o.v[OPT_REPORT].str, "json");
	assert_string_equal(o.v[OPT_FEED].str, "feed.json");
	assert_true(o.v[OPT_MIN_GAP].num == 2.5);
	assert_true(o.v[OPT_FAIL_ON_GAP].flag);
	assert_true(o.v[OPT_NOW].num == 1795831200.0);
	assert_string_equal(o.v[OPT_POLICY].str, "us");
	assert_false(options_isset(&o, OPT_MAP));
	options_done(&o);

	/* Whole numbers may be written as such: 2e3 units. */
	options_init(&o);
	assert_int_equal(parse(&o, why, sizeof why, "--units", "2e3", NULL),
	    BC_OK);
	assert_true(o.v[OPT_UNITS].num == 2000);
	options_done(&o);

	/* A flag the file may set: =no on the command line turns it off,
	   and wins over the file. */
	options_init(&o);
	assert_int_equal(parse(&o, why, sizeof why, "--ascii=no",
	    "--fail-on-gap=yes", NULL), BC_OK);
	assert_int_equal(conffile_parse("ascii = yes\n", "cfg", &o, why,
	    sizeof why), BC_OK);
	assert_false(o.v[OPT_ASCII].flag);
	assert_int_equal(o.v[OPT_ASCII].origin, ORIGIN_CLI);
	assert_true(o.v[OPT_FAIL_ON_GAP].flag);
	options_done(&o);

	/* --report alone: given, no format. */
	options_init(&o);
	assert_int_equal(parse(&o, why, sizeof why, "--report", NULL), BC_OK);
	assert_true(options_isset(&o, OPT_REPORT));
	assert_null(o.v[OPT_REPORT].str);
	options_done(&o);
}

static void
test_cli_errors(void **state)
{
	static const char *const bad[][3] = {
		{ "--min-gap", "abc", "min-gap: 'abc' is not a number" },
		{ "--min-gap", "1km", "min-gap: '1km' is not a number" },
		{ "--min-gap", "inf", "min-gap: 'inf' is not a number" },
		{ "--min-gap", "0x10", "min-gap: '0x10' is not a number" },
		{ "--min-gap", "-1", "min-gap: -1 is out of range" },
		{ "--stale-after", "1e99", "stale-after: 1e99 is out of" },
		{ "--report=xml", NULL, "report: 'xml' is not one of" },
		{ "--now", "yesterday", "now: 'yesterday' is not an RFC 3339" },
		{ "--bogus", NULL, "unknown or ambiguous option --bogus" },
		{ "--feed", NULL, "missing argument to --feed" },
		{ "-f", NULL, "missing argument to -f" },
		{ "stray", NULL, "unexpected argument 'stray'" },
		/* Counts are whole numbers. */
		{ "--seed", "1.5", "seed: '1.5' is not a whole number" },
		{ "--units", "2.9", "units: '2.9' is not a whole number" },
		{ "--count", "0.5", "count: '0.5' is not a whole number" },
		/* Ranges print in full, not as 3.1536e+07. */
		{ "--stale-after", "-1", "(0 to 31536000)" },
		/* A flag that takes no value says so. */
		{ "--demo=yes", NULL, "--demo takes no value (not 'yes')" },
		{ "--fail-on-gap=maybe", NULL, "fail-on-gap: expected yes or" },
		/* The optional argument needs its '='. */
		{ "--report", "json", "write --report=json" },
	};
	struct options	o;
	char		why[256];
	size_t		i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		options_init(&o);
		why[0] = '\0';
		assert_int_equal(parse(&o, why, sizeof why,
		    bad[i][0], bad[i][1], NULL), BC_USAGE);
		if (strstr(why, bad[i][2]) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, why,
			    bad[i][2]);
		options_done(&o);
	}
}

static void
test_table(void **state)
{
	int	i, j;

	/* Long names and letters are unique; args documented. */
	for (i = 0; i < OPT_COUNT; i++) {
		assert_int_equal(options_find(option_table[i].name), i);
		assert_non_null(option_table[i].help);
		if (option_table[i].arg != OPTARG_NONE)
			assert_non_null(option_table[i].argname);
		for (j = i + 1; j < OPT_COUNT; j++) {
			assert_string_not_equal(option_table[i].name,
			    option_table[j].name);
			if (option_table[i].letter != 0)
				assert_int_not_equal(option_table[i].letter,
				    option_table[j].letter);
		}
	}
	assert_int_equal(options_find("nonesuch"), OPT_COUNT);
}

static void
test_usage_fits(void **state)
{
	char	*buf = NULL, *line, *save = NULL;
	size_t	 len = 0;
	FILE	*f;
	int	 i, found;

	f = open_memstream(&buf, &len);
	assert_non_null(f);
	options_usage(f, "bordercop");
	fclose(f);
	for (i = 0; i < OPT_COUNT; i++) {
		char	want[64];

		snprintf(want, sizeof want, "--%s", option_table[i].name);
		assert_non_null(strstr(buf, want));
	}
	found = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strlen(line) > 80)
			fail_msg("help line over 80 columns: %s", line);
		found++;
	}
	assert_true(found > OPT_COUNT);
	free(buf);
}

static void
test_file(void **state)
{
	struct options	o;
	char		why[256] = "";
	const char	*text =
	    "# settings\n"
	    "\n"
	    "  min-gap = 3 \n"
	    "policy=both\n"
	    "fail-on-gap = yes\n"
	    "stale-after = 600\n";

	options_init(&o);
	assert_int_equal(parse(&o, why, sizeof why, "--min-gap", "0.5",
	    NULL), BC_OK);
	assert_int_equal(conffile_parse(text, "cfg", &o, why, sizeof why),
	    BC_OK);
	/* The command line wins; the file fills the rest. */
	assert_true(o.v[OPT_MIN_GAP].num == 0.5);
	assert_int_equal(o.v[OPT_MIN_GAP].origin, ORIGIN_CLI);
	assert_string_equal(o.v[OPT_POLICY].str, "both");
	assert_int_equal(o.v[OPT_POLICY].origin, ORIGIN_FILE);
	assert_true(o.v[OPT_FAIL_ON_GAP].flag);
	assert_true(o.v[OPT_STALE_AFTER].num == 600);
	options_done(&o);

	options_init(&o);
	assert_int_equal(conffile_parse("fail-on-gap = no\n", "cfg", &o, why,
	    sizeof why), BC_OK);
	assert_false(o.v[OPT_FAIL_ON_GAP].flag);
	options_done(&o);

	/* Tabs are blanks too; a byte order mark is skipped; each value
	   remembers its line, for the errors found after the file. */
	options_init(&o);
	assert_int_equal(conffile_parse("\xef\xbb\xbf# BOM\nmin-gap\t=\t5\n"
	    "\tpolicy = bogus\n", "cfg", &o, why, sizeof why), BC_OK);
	assert_true(o.v[OPT_MIN_GAP].num == 5);
	o.config_path = strdup("cfg");
	assert_string_equal(options_where(&o, OPT_POLICY, why, sizeof why),
	    "cfg:3: policy");
	assert_string_equal(options_where(&o, OPT_STALE_AFTER, why,
	    sizeof why), "stale-after");
	options_done(&o);
	options_init(&o);
	assert_int_equal(parse(&o, why, sizeof why, "--policy", "x", NULL),
	    BC_OK);
	assert_string_equal(options_where(&o, OPT_POLICY, why, sizeof why),
	    "--policy");
	options_done(&o);
}

static void
test_file_errors(void **state)
{
	static const char *const bad[][2] = {
		{ "# ok\nmin-gap = 1\nbogus = 2\n",
		    "cfg:3: unknown key 'bogus'" },
		{ "min-gap = far\n", "cfg:1: min-gap: 'far' is not a number" },
		{ "\n\nlost-after = -5\n", "cfg:3: lost-after: -5 is out" },
		{ "just words\n", "cfg:1: expected 'key = value'" },
		{ "help = yes\n", "cfg:1: unknown key 'help'" },
		{ "report = json\n", "cfg:1: unknown key 'report'" },
		{ "now = 2026-11-28T02:00:00Z\n", "cfg:1: unknown key 'now'" },
		{ "fail-on-gap = maybe\n", "cfg:1: fail-on-gap: expected yes" },
		{ "feed =\n", "cfg:1: feed: empty value" },
		{ "map = a\033[2Jb\n", "cfg:1: control characters" },
		/* An empty value is not "yes". */
		{ "\nfail-on-gap =\n", "cfg:2: fail-on-gap: expected yes" },
		{ "units = 3.5\n", "cfg:1: units: '3.5' is not a whole" },
	};
	struct options	o;
	char		why[256];
	size_t		i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		options_init(&o);
		why[0] = '\0';
		assert_int_not_equal(conffile_parse(bad[i][0], "cfg", &o, why,
		    sizeof why), BC_OK);
		if (strstr(why, bad[i][1]) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, why,
			    bad[i][1]);
		options_done(&o);
	}
}

static void
test_file_load_and_path(void **state)
{
	struct options	o;
	char		dir[] = "/tmp/bordercop-cfg-XXXXXX", path[512];
	char		buf[512], why[512] = "";
	FILE		*f;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/config", dir);

	/* A missing default file is fine; a missing --config is not. */
	options_init(&o);
	assert_int_equal(conffile_load(path, 0, &o, why, sizeof why), BC_OK);
	assert_null(o.config_path);
	assert_int_not_equal(conffile_load(path, 1, &o, why, sizeof why),
	    BC_OK);
	assert_non_null(strstr(why, path));

	f = fopen(path, "w");
	assert_non_null(f);
	fputs("min-overlap = 2\n", f);
	fclose(f);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(conffile_load(path, 1, &o, why, sizeof why), BC_OK);
	assert_true(o.v[OPT_MIN_OVERLAP].num == 2);
	assert_string_equal(o.config_path, path);
	options_done(&o);

	/* A file others can write could name another API and token file:
	   refused, as ssh refuses such files, whatever it says. */
	assert_int_equal(chmod(path, 0666), 0);
	options_init(&o);
	assert_int_equal(conffile_load(path, 0, &o, why, sizeof why),
	    BC_AUTH);
	assert_non_null(strstr(why, "writable by group or others (mode 666)"));
	assert_true(o.v[OPT_MIN_OVERLAP].origin != ORIGIN_FILE);
	assert_int_equal(chmod(path, 0620), 0);
	assert_int_equal(conffile_load(path, 1, &o, why, sizeof why),
	    BC_AUTH);
	options_done(&o);
	unlink(path);

	/* A FIFO in its place is refused at once, never waited on. */
	assert_int_equal(mkfifo(path, 0600), 0);
	options_init(&o);
	assert_int_equal(conffile_load(path, 0, &o, why, sizeof why), BC_IO);
	assert_non_null(strstr(why, "not a regular file"));
	options_done(&o);
	unlink(path);
	rmdir(dir);

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	setenv("HOME", "/home/u", 1);
	assert_string_equal(conffile_default_path(buf, sizeof buf),
	    "/x/cfg/bordercop/config");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_string_equal(conffile_default_path(buf, sizeof buf),
	    "/home/u/.config/bordercop/config");
	unsetenv("XDG_CONFIG_HOME");
	assert_string_equal(conffile_default_path(buf, sizeof buf),
	    "/home/u/.config/bordercop/config");
	unsetenv("HOME");
	assert_null(conffile_default_path(buf, sizeof buf));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cli_values),
		cmocka_unit_test(test_cli_errors),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_usage_fits),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_file_errors),
		cmocka_unit_test(test_file_load_and_path),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
