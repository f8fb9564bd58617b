/*
 * test_watch.c: the --watch text mode over the DEMO source, with an
 * injected clock.
 */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "map.h"
#include "source.h"
#include "text.h"
#include "watch.h"

static double	clk;
static int	raise_at;	/* raise SIGTERM at this clock call, or 0 */
static int	calls;

static const char *unlink_path;	/* removed at clock call unlink_at */
static int	unlink_at;

static double
fake_clock(void)
{
	if (raise_at > 0 && ++calls == raise_at)
		raise(SIGTERM);
	if (unlink_at > 0 && calls == unlink_at && unlink_path != NULL)
		unlink(unlink_path);
	clk += 0.75;
	return (clk);
}

/* For run_watch(): the name the first US sector takes instead of its
   own (NULL: its own), and whether the sink is ASCII. */
static const char	*wide_name;
static int		 ascii_sink;

static char *
run_watch(unsigned long count, int stop_at, size_t *nprints)
{
	struct border_map	*map;
	struct source_config	 scfg;
	struct source		*src;
	struct watch_config	 wcfg;
	char			 why[256], *text, *p, *own = NULL;
	size_t			 len;
	FILE			*out, *sink;

	assert_int_equal(map_load_file(SRCDIR "/maps/us-mx.geojson", &map,
	    why, sizeof why), BC_OK);
	if (wide_name != NULL) {
		own = map->sectors[0][0].name;
		map->sectors[0][0].name = (char *)(uintptr_t)wide_name;
	}
	clk = 5000;
	calls = 0;
	raise_at = stop_at;
	source_config_defaults(&scfg);
	scfg.kind = SOURCE_DEMO;
	scfg.demo_seed = 9;
	scfg.demo_units = 150;
	scfg.demo_start = 1.9e9;
	scfg.demo_speed = 120;
	scfg.demo_tick_s = 1;
	assert_int_equal(source_new(&scfg, map, clk, &src, why, sizeof why),
	    BC_OK);
	watch_config_defaults(&wcfg);
	wcfg.map = map;
	wcfg.count = count;
	wcfg.clock = fake_clock;
	out = open_memstream(&text, &len);
	assert_non_null(out);
	/* As main.c does it: text for an ASCII sink, through the stream
	   that turns whatever else into ASCII. */
	wcfg.out = sink = text_stream(out, !ascii_sink);
	wcfg.ascii = ascii_sink;
	assert_int_equal(watch_run(src, &wcfg, why, sizeof why), BC_OK);
	if (sink != out)
		fclose(sink);
	fclose(out);
	source_free(src);
	if (own != NULL)
		map->sectors[0][0].name = own;
	border_free(map);
	*nprints = 0;
	for (p = text; (p = strstr(p, "== ")) != NULL; p += 3)
		if (p == text || p[-1] == '\n')
			(*nprints)++;
	return (text);
}

static void
test_watch_prints(void **state)
{
	size_t	 n;
	char	*text = run_watch(3, 0, &n);

	assert_int_equal(n, 3);
	assert_non_null(strstr(text,
	    "DEMO feed (simulated, no network)  link OK"));
	assert_non_null(strstr(text, "US SDC  San Diego"));
	assert_non_null(strstr(text, "MX TM   Tamaulipas"));
	assert_non_null(strstr(text, "last good poll 0 s ago"));
	assert_non_null(strstr(text,
	    "MX NL   Nuevo Le\xc3\xb3n          19.6"));
	assert_null(strchr(text, '\033'));
	assert_non_null(strstr(text, "units f/s/l US "));
	/* Every line fits an 80-column terminal (counted in characters:
	   UTF-8 continuation bytes take no column). */
	{
		const char	*p;
		int		 cols = 0;

		for (p = text; *p != '\0'; p++) {
			if (*p == '\n') {
				cols = 0;
				continue;
			}
			if (((unsigned char)*p & 0xc0) != 0x80)
				cols++;
			if (cols > 80)
				fail_msg("a line over 80 columns: %.100s",
				    p - cols + 1);
		}
	}
	free(text);
}

/*
 * A sector named with wide characters (a police car emoji and CJK, two
 * columns each): every line of --watch still fits 80 terminal columns
 * and the sector table keeps its columns, the name cut to its 16 (the
 * figures start at column 24 on every row), in UTF-8 and in ASCII.
 * Counting code points, the name took 32 columns and shifted its row.
 */
static void
test_watch_wide_name(void **state)
{
	char		*text, *line, *nl, *p, cut[256];
	size_t		 n, rows;
	double		 km;
	int		 utf8, cols;

	(void)state;
	wide_name = "\xf0\x9f\x9a\x93\xe5\xb7\xa1\xe9\x80\xbb\xe5"
	    "\x8c\xba\xe5\xb7\xa1\xe9\x80\xbb\xe5\x8c\xba\xe5\xb7\xa1"
	    "\xe9\x80\xbb";
	for (utf8 = 1; utf8 >= 0; utf8--) {
		ascii_sink = !utf8;
		text = run_watch(1, 0, &n);
		assert_int_equal(n, 1);
		/* Cut where the next character would pass 15 columns, with
		   the marker, and padded to 16; in ASCII each is one '?'. */
		if (utf8)
			assert_non_null(strstr(text, "US SDC  \xf0\x9f\x9a\x93"
			    "\xe5\xb7\xa1\xe9\x80\xbb\xe5\x8c\xba\xe5\xb7\xa1"
			    "\xe9\x80\xbb\xe5\x8c\xba\xe2\x80\xa6  "));
		else
			assert_non_null(strstr(text, "US SDC  ?????????        "));
		rows = 0;
		for (line = text; *line != '\0'; line = nl + 1) {
			nl = strchr(line, '\n');
			assert_non_null(nl);
			*nl = '\0';
			for (p = line; !utf8 && *p != '\0'; p++)
				if ((unsigned char)*p >= 0x80)
					fail_msg("not ASCII: %s", line);
			if (text_cols(line, 1) > 80)
				fail_msg("over 80 columns: %s", line);
			if (strncmp(line, "US ", 3) != 0 &&
			    strncmp(line, "MX ", 3) != 0)
				continue;
			/* The bytes that take the first 24 columns. */
			for (n = 0, cols = 0; line[n] != '\0' && cols < 24;
			    n++) {
				memcpy(cut, line, n + 1);
				cut[n + 1] = '\0';
				cols = text_cols(cut, 1);
			}
			while (line[n] != '\0' && ((unsigned char)line[n] &
			    0xc0) == 0x80)
				n++;
			if (cols != 24 || line[n] != ' ' ||
			    sscanf(line + n, "%8lf", &km) != 1)
				fail_msg("columns off: %s", line);
			rows++;
		}
		assert_int_equal(rows, 15);	/* 9 US and 6 MX sectors */
		free(text);
	}
	wide_name = NULL;
	ascii_sink = 0;
}

static void
test_watch_signal(void **state)
{
	size_t	 n;
	char	*text = run_watch(0, 12, &n);

	/* Unbounded, but SIGTERM ends it cleanly. */
	assert_true(n >= 1);
	free(text);
}

/*
 * --watch over a feed file of one US unit that reported at 01:55:03Z
 * (with server_time 02:00:00Z when stamped), checked every 0.5 s on the
 * injected clock, until count prints or clock call stop_at (SIGTERM);
 * the file is removed at clock call gone_at (0: never).  The text
 * printed (free it).
 */
static const char *watch_unit_time = "2026-11-28T01:55:03Z";

static char *
run_watch_file(int stamped, unsigned long count, int stop_at, int gone_at)
{
	struct border_map	*map;
	struct source_config	 scfg;
	struct source		*src;
	struct watch_config	 wcfg;
	char			 dir[] = "/tmp/test_watch.XXXXXX", path[64];
	char			 why[256], *text;
	size_t			 len;
	FILE			*f, *out;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/feed.json", dir);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "{\"type\":\"FeatureCollection\",\"api\":"
	    "\"bordercop-coordination/1\",%s\"full\":true,\"features\":["
	    "{\"type\":\"Feature\",\"id\":\"U1\",\"geometry\":"
	    "{\"type\":\"Point\",\"coordinates\":[-110.94,31.33]},"
	    "\"properties\":{\"side\":\"US\","
	    "\"time\":\"%s\"}}]}\n", stamped ?
	    "\"server_time\":\"2026-11-28T02:00:00Z\"," : "", watch_unit_time);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(map_load_file(SRCDIR "/maps/us-mx.geojson", &map,
	    why, sizeof why), BC_OK);
	clk = 5000;
	calls = 0;
	raise_at = stop_at;
	unlink_path = path;
	unlink_at = gone_at;
	source_config_defaults(&scfg);
	scfg.kind = SOURCE_FILE;
	scfg.path = path;
	scfg.file_check_s = 0.5;
	assert_int_equal(source_new(&scfg, map, clk, &src, why, sizeof why),
	    BC_OK);
	watch_config_defaults(&wcfg);
	wcfg.map = map;
	wcfg.count = count;
	wcfg.clock = fake_clock;
	assert_non_null(out = open_memstream(&text, &len));
	wcfg.out = out;
	assert_int_equal(watch_run(src, &wcfg, why, sizeof why), BC_OK);
	fclose(out);
	source_free(src);
	border_free(map);
	unlink_path = NULL;
	unlink_at = 0;
	unlink(path);
	rmdir(dir);
	return (text);
}

/* A feed file that does not change: its units still age on the file's
   clock, so --watch reports the one going stale without a new file. */
static void
test_watch_file_ages(void **state)
{
	char	*text = run_watch_file(1, 2, 0, 0), *second;

	/* Age 297 s at the read (fresh), over 300 s a tick later. */
	assert_non_null(strstr(text, "units f/s/l US 1/0/0"));
	assert_non_null(second = strstr(text, "units f/s/l US 0/1/0"));
	assert_true(second > strstr(text, "units f/s/l US 1/0/0"));
	free(text);
}

/* The feed file goes away for good: one block says so, not one per
   check of the file; the picture stays.  About 30 s on the injected
   clock. */
static void
test_watch_file_gone(void **state)
{
	char	*text = run_watch_file(0, 0, 40, 4), *p;
	size_t	 nfailed = 0;

	for (p = text; (p = strstr(p, " failed: ")) != NULL; p++)
		nfailed++;
	assert_int_equal(nfailed, 1);
	assert_non_null(strstr(text, "link DOWN (1 failed: No such file"));
	/* The picture stays after the failure. */
	p = strstr(text, "link DOWN");
	assert_non_null(strstr(p, "units f/s/l US "));
	free(text);
}

/* The server's clock a day behind: the one feature is rejected, the
   picture is empty, and --watch says why instead of a bare "link OK". */
static void
test_watch_all_rejected(void **state)
{
	char	*text;

	watch_unit_time = "2026-11-29T01:55:03Z";
	text = run_watch_file(1, 1, 0, 0);
	watch_unit_time = "2026-11-28T01:55:03Z";
	if (strstr(text, "WARNING: all 1 features of the answer rejected, "
	    "the first:\n  #0 U1: properties.time: 86103 s ahead of "
	    "server_time\n") == NULL)
		fail_msg("no warning in:\n%s", text);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_watch_prints),
		cmocka_unit_test(test_watch_wide_name),
		cmocka_unit_test(test_watch_signal),
		cmocka_unit_test(test_watch_all_rejected),
		cmocka_unit_test(test_watch_file_ages),
		cmocka_unit_test(test_watch_file_gone),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
