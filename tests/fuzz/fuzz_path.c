/*
 * fuzz_path.c: libFuzzer harness for the whole path of a polled body.
 *
 * Each input is taken as a poll's body: feed_parse(), feed_apply() into
 * a table that already holds two units, picture_build() on a small map,
 * then both reports, text and JSON, written to memory.  It aborts when
 * what comes out breaks a promise of bordercop(1):
 *
 *   - the JSON report is one valid JSON value, valid UTF-8, and every
 *     string in it is clean (no control, bidirectional or invisible
 *     character);
 *   - the text report is valid UTF-8, each line at most 80 columns and
 *     clean;
 *   - every id kept in the table is clean, and found by its own name.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "feed.h"
#include "map.h"
#include "picture.h"
#include "text.h"
#include "report.h"
#include "unit.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const sides[NSIDES] = { "US", "MX" };

/* A 150 km line near Nogales, one sector per side, two places (one with
   a long name of 2-byte characters, for the near phrase). */
static const char small_map[] =
    "{\"type\":\"FeatureCollection\",\"bordercop_map\":1,"
    "\"name\":\"fuzz line\",\"attribution\":\"test\",\"accuracy_km\":0.1,"
    "\"sides\":{\"left\":{\"code\":\"US\",\"name\":\"North\"},"
    "\"right\":{\"code\":\"MX\",\"name\":\"South\"}},\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"role\":\"boundary\"},"
    "\"geometry\":{\"type\":\"LineString\",\"coordinates\":"
    "[[-111.8,31.4],[-111.2,31.33],[-110.9,31.33],[-110.2,31.34]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"role\":\"sector\","
    "\"side\":\"US\",\"code\":\"TCA\",\"name\":\"Tucson\"},"
    "\"geometry\":{\"type\":\"MultiPoint\",\"coordinates\":"
    "[[-111.8,31.4],[-110.2,31.34]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"role\":\"sector\","
    "\"side\":\"MX\",\"code\":\"SON\",\"name\":\"Sonora\"},"
    "\"geometry\":{\"type\":\"MultiPoint\",\"coordinates\":"
    "[[-111.8,31.4],[-110.2,31.34]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"role\":\"place\","
    "\"name\":\"Nogales\",\"label_us\":\"Nogales\","
    "\"label_mx\":\"Nogales\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-110.94,31.33]}},"
    "{\"type\":\"Feature\",\"properties\":{\"role\":\"place\","
    "\"name\":\"x"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"
    "\"},"
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-111.5,31.37]}}"
    "]}";

/* What the table holds before each input: two good units. */
static const char baseline[] =
    "{\"type\":\"FeatureCollection\",\"api\":\"bordercop-coordination/1\","
    "\"server_time\":\"2026-11-28T02:00:00Z\",\"cursor\":\"c-1\","
    "\"full\":true,\"features\":["
    "{\"type\":\"Feature\",\"id\":\"B-US\",\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[-110.94,31.35]},\"properties\":{\"side\":\"US\","
    "\"time\":\"2026-11-28T01:59:30Z\",\"seq\":10,\"kind\":\"vehicle\"}},"
    "{\"type\":\"Feature\",\"id\":\"B-MX\",\"geometry\":{\"type\":\"Point\","
    "\"coordinates\":[-111.0,31.30]},\"properties\":{\"side\":\"MX\","
    "\"time\":\"2026-11-28T01:59:30Z\",\"seq\":10}}]}";

static struct border_map	*map;

static void
die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_path: %s: \"%.300s\"\n", what, s);
	abort();
}

/* Every string of a parsed JSON report is clean. */
static void
check_tree(const cJSON *j)
{
	for (; j != NULL; j = j->next) {
		if (j->string != NULL && !str_is_clean(j->string))
			die("JSON report: unclean name", j->string);
		if (cJSON_IsString(j) && !str_is_clean(j->valuestring))
			die("JSON report: unclean string", j->valuestring);
		check_tree(j->child);
	}
}

/*
 * The bytes of a report as a whole: valid UTF-8 and no control or
 * invisible character but the line feeds (and the tabs of JSON's
 * indentation).
 */
static void
check_bytes(const char *what, char *buf, size_t len, int tabs)
{
	char	*copy;
	size_t	 i;

	if (memchr(buf, '\0', len) != NULL)
		die(what, "a NUL byte");
	copy = malloc(len + 1);
	if (copy == NULL)
		abort();
	for (i = 0; i < len; i++)
		copy[i] = buf[i] == '\n' || (tabs && buf[i] == '\t') ? ' ' :
		    buf[i];
	copy[len] = '\0';
	if (!str_is_clean(copy))
		die(what, copy);
	free(copy);
}

static void
check_text(char *buf, size_t len)
{
	char	*line, *nl;

	check_bytes("text report", buf, len, 0);
	if (len > 0 && buf[len - 1] != '\n')
		die("text report: no final line feed", buf);
	for (line = buf; line < buf + len; line = nl + 1) {
		nl = memchr(line, '\n', (size_t)(buf + len - line));
		*nl = '\0';
		if (text_cols(line, 1) > REPORT_WIDTH)
			die("text report: a line over 80 columns", line);
		*nl = '\n';
	}
}

static void
check_json(char *buf, size_t len)
{
	cJSON		*root;
	const char	*end = NULL;

	check_bytes("JSON report", buf, len, 1);
	root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (root == NULL)
		die("JSON report: not JSON", buf);
	while (end != NULL && end < buf + len && (*end == '\n' ||
	    *end == ' '))
		end++;
	if (end != buf + len)
		die("JSON report: data after the value", end);
	check_tree(root);
	cJSON_Delete(root);
}

/* Write one report to memory and check it. */
static void
run_report(int json, const struct picture *pic,
    const struct report_meta *meta)
{
	FILE	*f;
	char	*buf = NULL;
	size_t	 len = 0;

	if ((f = open_memstream(&buf, &len)) == NULL)
		abort();
	if ((json ? report_json(f, pic, meta) : report_text(f, pic, meta)) !=
	    BC_OK)
		die("report failed", json ? "json" : "text");
	if (fclose(f) != 0)
		abort();
	if (json)
		check_json(buf, len);
	else
		check_text(buf, len);
	free(buf);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	why[256];

	if (map_load_buffer(small_map, sizeof small_map - 1, "fuzz map", &map,
	    why, sizeof why) != BC_OK) {
		fprintf(stderr, "fuzz_path: %s\n", why);
		abort();
	}
	return (0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct feed_msg		 msg;
	struct unit_table	 t;
	struct picture		 pic;
	struct picture_config	 cfg;
	struct report_meta	 meta;
	char			 why[256];
	size_t			 i;
	double			 now;

	units_init(&t);
	if (feed_parse(baseline, sizeof baseline - 1, sides, &msg, why,
	    sizeof why) != BC_OK)
		die("baseline refused", why);
	feed_apply(&msg, &t);
	feed_msg_done(&msg);

	if (feed_parse((const char *)data, size, sides, &msg, why,
	    sizeof why) != BC_OK) {
		if (!str_is_clean(why))
			die("refusal", why);
		units_done(&t);
		return (0);
	}
	feed_apply(&msg, &t);
	for (i = 0; i < t.n; i++) {
		if (!str_is_clean(t.v[i].r.id) || t.v[i].r.id[0] == '\0')
			die("kept id", t.v[i].r.id);
		if (units_find(&t, t.v[i].r.id) != &t.v[i])
			die("table lookup", t.v[i].r.id);
	}

	picture_config_defaults(&cfg);
	picture_init(&pic);
	now = isfinite(msg.server_time) ? msg.server_time : 1795831200.0;
	picture_build(&pic, map, &t, &cfg, now);
	memset(&meta, 0, sizeof meta);
	meta.program = "bordercop fuzz";
	meta.feed = "fuzz input";
	meta.server_time = msg.server_time;
	meta.clock_source = "server_time";
	meta.rejected = msg.rejected;
	meta.nrejected = msg.nrejected;
	run_report(0, &pic, &meta);
	run_report(1, &pic, &meta);
	picture_done(&pic);

	feed_msg_done(&msg);
	units_done(&t);
	return (0);
}
