/*
 * test_report.c: the real bordercop binary, end to end: --report as JSON
 * (parsed back with cJSON) and as text, exit statuses, stderr lines, the
 * config file, --help and --version.
 */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "text.h"
#include "util.h"

#define BIN		BUILDDIR "/src/bordercop"
#define SAMPLE		SRCDIR "/tests/data/sample-feed.json"
#define MAP		SRCDIR "/maps/us-mx.geojson"
#define SMALL_MAP	SRCDIR "/tests/data/maps/small.geojson"
#define NOW		"2026-11-28T02:00:00Z"

static char	 tmpdir[] = "/tmp/bordercop-report-XXXXXX";
static char	 xdg[512];

/* The locale the binary runs under (LC_ALL), or NULL: the tester's. */
static const char	*run_locale;

struct run {
	int	 status;		/* exit status, or -1 */
	char	*out;
	char	*err;
};

static char *
slurp(const char *path)
{
	FILE	*f;
	char	*buf;
	long	 n;

	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

static void
write_file(const char *path, const char *text)
{
	FILE	*f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* Run the binary with argv (NULL-terminated, without argv[0]). */
static void
run(struct run *r, ...)
{
	char	*argv[32], outp[600], errp[600];
	va_list	 ap;
	pid_t	 pid;
	int	 argc = 0, st, fo, fe;

	argv[argc++] = (char *)(uintptr_t)BIN;
	va_start(ap, r);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);

	snprintf(outp, sizeof outp, "%s/stdout", tmpdir);
	snprintf(errp, sizeof errp, "%s/stderr", tmpdir);
	fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fo >= 0 && fe >= 0);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fo, 1);
		dup2(fe, 2);
		/* Never read the tester's own config or map. */
		setenv("XDG_CONFIG_HOME", xdg, 1);
		unsetenv("BORDERCOP_MAP");
		if (run_locale != NULL)
			setenv("LC_ALL", run_locale, 1);
		execv(BIN, argv);
		_exit(127);
	}
	close(fo);
	close(fe);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = slurp(outp);
	r->err = slurp(errp);
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* A failing run: the status, nothing on stdout, one line on stderr. */
static void
check_failure(struct run *r, int status, const char *needle)
{
	if (r->status != status)
		fail_msg("exit %d, expected %d; stderr: %s", r->status, status,
		    r->err);
	assert_string_equal(r->out, "");
	assert_true(strncmp(r->err, "bordercop: ", 11) == 0);
	if (needle != NULL && strstr(r->err, needle) == NULL)
		fail_msg("stderr '%s' lacks '%s'", r->err, needle);
}

static cJSON *
field(const cJSON *o, const char *name, int (*is)(const cJSON *))
{
	cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (v == NULL)
		fail_msg("field '%s' missing", name);
	if (!is(v))
		fail_msg("field '%s' has the wrong type", name);
	return (v);
}

static int
is_str_or_null(const cJSON *v)
{
	return (cJSON_IsString(v) || cJSON_IsNull(v));
}

static int
is_number(const cJSON *v)
{
	return (cJSON_IsNumber(v));
}

static int
is_string(const cJSON *v)
{
	return (cJSON_IsString(v));
}

static int
is_array(const cJSON *v)
{
	return (cJSON_IsArray(v));
}

static int
is_bool(const cJSON *v)
{
	return (cJSON_IsBool(v));
}

static double
num(const cJSON *o, const char *name)
{
	return (field(o, name, is_number)->valuedouble);
}

static void
test_json_report(void **state)
{
	struct run	 r;
	cJSON		*root, *arr, *o, *fp, *iv, *ids;
	const char	*st;
	double		 border;
	int		 n_across = 0, n_stale = 0, n_lost = 0, n_inactive = 0;
	int		 n_fp = 0, n_multi = 0, big_overlap = 0, n_us = 0;
	int		 n_mx = 0;

	run(&r, "--report=json", "--feed", SAMPLE, "--map", MAP, "--now", NOW,
	    NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_string_equal(r.err, "");
	root = cJSON_Parse(r.out);
	assert_non_null(root);

	border = num(root, "border_km");
	assert_true(fabs(border - 3308.513) < 0.01);
	assert_string_equal(field(root, "generated_at", is_string)->valuestring,
	    NOW);
	assert_string_equal(field(root, "clock_source", is_string)->valuestring,
	    "--now");

	arr = field(root, "units", is_array);
	assert_int_equal(cJSON_GetArraySize(arr), 37);
	cJSON_ArrayForEach(o, arr) {
		field(o, "id", is_string);
		st = field(o, "side", is_string)->valuestring;
		if (strcmp(st, "US") == 0)
			n_us++;
		else if (strcmp(st, "MX") == 0)
			n_mx++;
		else
			fail_msg("side %s", st);
		field(o, "callsign", is_string);
		assert_true(num(o, "chainage_km") >= 0 &&
		    num(o, "chainage_km") <= border);
		assert_true(fabs(num(o, "offset_km")) < 10);
		field(o, "us_sector", is_str_or_null);
		field(o, "mx_sector", is_str_or_null);
		st = field(o, "state", is_string)->valuestring;
		if (strcmp(st, "stale") == 0)
			n_stale++;
		else if (strcmp(st, "lost") == 0)
			n_lost++;
		else if (strcmp(st, "inactive") == 0)
			n_inactive++;
		else if (strcmp(st, "fresh") != 0)
			fail_msg("state %s", st);
		if (cJSON_IsTrue(field(o, "across_line", is_bool))) {
			n_across++;
			/* The MX unit north of the line: positive offset. */
			assert_string_equal(cJSON_GetObjectItem(o,
			    "side")->valuestring, "MX");
			assert_true(num(o, "offset_km") > 1);
		}
		fp = field(o, "footprint", is_array);
		if (cJSON_GetArraySize(fp) > 0) {
			n_fp++;
			assert_string_equal(st, "fresh");
		}
		if (cJSON_GetArraySize(fp) > 1)
			n_multi++;
		cJSON_ArrayForEach(iv, fp) {
			assert_true(cJSON_IsArray(iv));
			assert_int_equal(cJSON_GetArraySize(iv), 2);
			assert_true(cJSON_GetArrayItem(iv, 0)->valuedouble <=
			    cJSON_GetArrayItem(iv, 1)->valuedouble);
		}
	}
	assert_true(n_us > 10 && n_mx > 10);
	assert_int_equal(n_across, 1);
	assert_true(n_stale >= 2);
	assert_int_equal(n_lost, 1);
	assert_int_equal(n_inactive, 2);
	assert_true(n_fp >= 20);
	assert_true(n_multi >= 1);	/* a footprint over a meander */

	/* Nogales: Tucson / Sonora. */
	cJSON_ArrayForEach(o, arr) {
		if (strcmp(cJSON_GetObjectItem(o, "id")->valuestring,
		    "USBP-TCA-0042") != 0)
			continue;
		assert_string_equal(cJSON_GetObjectItem(o,
		    "us_sector")->valuestring, "TCA");
		assert_string_equal(cJSON_GetObjectItem(o,
		    "mx_sector")->valuestring, "SO");
	}

	arr = field(root, "sectors", is_array);
	assert_int_equal(cJSON_GetArraySize(arr), 9 + 6);
	cJSON_ArrayForEach(o, arr) {
		field(o, "side", is_string);
		field(o, "code", is_string);
		field(o, "name", is_string);
		assert_true(num(o, "start_km") < num(o, "end_km"));
		assert_true(num(o, "covered_own_pct") >= 0 &&
		    num(o, "covered_own_pct") <= 100);
		assert_true(num(o, "covered_joint_pct") >= 0 &&
		    num(o, "covered_joint_pct") <= num(o, "covered_own_pct"));
		assert_true(num(o, "gaps") >= 0);
		assert_true(num(o, "longest_gap_km") <= num(o, "end_km") -
		    num(o, "start_km") + 0.001);
	}

	arr = field(root, "gaps", is_array);
	assert_true(cJSON_GetArraySize(arr) > 0);
	cJSON_ArrayForEach(o, arr) {
		assert_true(num(o, "start_km") < num(o, "end_km"));
		assert_true(fabs(num(o, "end_km") - num(o, "start_km") -
		    num(o, "length_km")) < 0.002);
		assert_true(num(o, "length_km") >= 1);
		field(o, "us_sector", is_string);
		field(o, "mx_sector", is_string);
		field(o, "near", is_string);
	}

	arr = field(root, "overlaps", is_array);
	cJSON_ArrayForEach(o, arr) {
		field(o, "side", is_string);
		assert_true(num(o, "start_km") < num(o, "end_km"));
		ids = field(o, "units", is_array);
		if (cJSON_GetArraySize(ids) >= 2)
			big_overlap++;
		cJSON_ArrayForEach(iv, ids)
			assert_true(cJSON_IsString(iv));
	}
	assert_true(big_overlap >= 1);

	arr = field(root, "rejected", is_array);
	assert_true(cJSON_GetArraySize(arr) >= 1);
	cJSON_ArrayForEach(o, arr) {
		assert_true(num(o, "index") >= 0);
		field(o, "id", is_string);
		assert_true(strlen(field(o, "reason", is_string)->valuestring) >
		    0);
	}

	/* The joint classes by the map's side codes, the line in four. */
	o = field(field(root, "summary", cJSON_IsObject), "joint_km",
	    cJSON_IsObject);
	assert_true(fabs(num(o, "both") + num(o, "us_only") +
	    num(o, "mx_only") + num(o, "none") - num(root, "border_km")) <
	    0.01);
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "left"));

	cJSON_Delete(root);
	run_free(&r);
}

/* Values from the config file that are wrong only together or against
   the map: the error still names the file and line. */
static void
test_config_where(void **state)
{
	struct run	r;
	char		cfg[600], want[1300];

	snprintf(cfg, sizeof cfg, "%s/config", tmpdir);
	write_file(cfg, "min-gap = 2\npolicy = bogus\n");
	run(&r, "--report", "--feed", SAMPLE, "--map", MAP, "--config", cfg,
	    NULL);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof want, "%s:2: policy: 'bogus' is not", cfg);
	assert_non_null(strstr(r.err, want));
	assert_string_equal(r.out, "");
	run_free(&r);

	write_file(cfg, "feed = a.json\napi = http://127.0.0.1:1\n");
	run(&r, "--report", "--map", MAP, "--config", cfg, NULL);
	assert_int_equal(r.status, 2);
	snprintf(want, sizeof want, "%s:1: feed; %s:2: api", cfg, cfg);
	assert_non_null(strstr(r.err, want));
	run_free(&r);

	write_file(cfg, "stale-after = 4000\n");
	run(&r, "--report", "--feed", SAMPLE, "--map", MAP, "--config", cfg,
	    NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "lost-after (1800 s, the default)"));
	snprintf(want, sizeof want, "%s:1: stale-after (4000 s)", cfg);
	assert_non_null(strstr(r.err, want));
	run_free(&r);
	unlink(cfg);
}

/* Terminal columns of a UTF-8 line (wide characters take two). */
static size_t
cols(const char *s, size_t n)
{
	char	*line = strndup(s, n);
	size_t	 c;

	assert_non_null(line);
	c = (size_t)text_cols(line, 1);
	free(line);
	return (c);
}

/* The head of a full answer stamped NOW, into o; returns its length. */
static int
feed_head(char *o)
{
	return (sprintf(o, "{\"type\": \"FeatureCollection\", \"api\": "
	    "\"bordercop-coordination/1\", \"server_time\": \"" NOW "\", "
	    "\"full\": true, \"features\": ["));
}

/* A feature reported at NOW whose id is also its callsign (JSON text),
   "," before it unless first, and more properties if extra is not "". */
static int
feed_unit(char *o, int first, const char *id, const char *side, double lon,
    double lat, const char *extra)
{
	return (sprintf(o, "%s{\"type\": \"Feature\", \"id\": \"%s\", "
	    "\"geometry\": {\"type\": \"Point\", \"coordinates\": "
	    "[%.4f, %.4f]}, \"properties\": {\"side\": \"%s\", "
	    "\"callsign\": \"%s\", \"time\": \"" NOW "\"%s}}",
	    first ? "" : ",", id, lon, lat, side, id, extra));
}

/* Wide and joined characters in ids and callsigns, and a feed file name
   with escape sequences: the text report still fits 80 terminal columns
   and nothing reaches stdout or stderr raw. */
static void
test_text_report_hostile(void **state)
{
	static const char	*const ids[] = {
		"\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b"
		"\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b"
		"\\u5de1\\u903b\\u5de1\\u903b",
		"\\ud83d\\udc6e\\u200d\\u2640\\ufe0f-W\\u5de1\\u903b\\u5de1\\u903b"
		"\\u5de1\\u903b\\u5de1\\u903b",
		"e\\u0301\\u0301\\u0301-\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b"
		"\\u5de1\\u903b\\u5de1\\u903b",
	};
	static const char	*const sides[] = { "MX", "US", "US" };
	struct run	 r;
	char		 feed[600], body[4096], *o;
	const char	*p, *nl;
	size_t		 i;

	o = body;
	o += feed_head(o);
	for (i = 0; i < 3; i++)
		o += feed_unit(o, i == 0, ids[i], sides[i],
		    -117.0297 + 0.01 * (double)i, 32.5512,
		    ", \"radius_m\": 20000");
	/* Half a world away: 18431 km off the line on Mexico's side. */
	o += sprintf(o, ",{\"type\": \"Feature\", \"id\": \"FAR-0\", "
	    "\"geometry\": {\"type\": \"Point\", \"coordinates\": "
	    "[70, -35]}, \"properties\": {\"side\": \"US\", "
	    "\"time\": \"" NOW "\"}}");
	strcpy(o, "]}\n");
	snprintf(feed, sizeof feed, "%s/f\033]0;pwn\007\033[31m.json",
	    tmpdir);
	write_file(feed, body);

	run(&r, "--report", "--feed", feed, "--map", MAP, NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_null(strchr(r.out, '\033'));
	assert_null(strchr(r.out, '\007'));
	assert_non_null(strstr(r.out, "/f.json"));	/* the name, cleaned */
	assert_non_null(strstr(r.out, "across"));
	/* Its offset keeps to its 8 columns: the near phrase starts at
	   column 48, under "near", as on every row. */
	assert_non_null(p = strstr(r.out, "\nUS   FAR-0 "));
	p++;
	if (strncmp(p + 46, "  no place within 50 km", 23) != 0)
		fail_msg("columns off: %.80s", p);
	for (p = r.out; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (cols(p, (size_t)(nl - p)) > 80)
			fail_msg("line over 80 columns: %.*s", (int)(nl - p),
			    p);
	}
	run_free(&r);
	unlink(feed);

	/* A missing file with such a name: one clean line on stderr. */
	run(&r, "--report", "--feed", feed, "--map", MAP, NULL);
	assert_int_not_equal(r.status, 0);
	assert_non_null(strstr(r.err, "No such file"));
	assert_null(strchr(r.err, '\033'));
	assert_null(strchr(r.err, '\007'));
	run_free(&r);
}

/*
 * Units across the line whose ids are wide (CJK, an emoji): under a
 * UTF-8 locale and under LANG=C, every line of the text report fits 80
 * columns, and the rows of the across table keep their columns (the km
 * figure ends at column 38, "near" starts at 48).  Fitted by UTF-8
 * columns and then turned into ASCII, a 2-column character became one
 * '?' and its row came out short.
 */
static void
test_text_report_wide_ids(void **state)
{
	static const char	*const ids[] = {
		"\\u5de1\\u903b-1",
		"\\ud83d\\ude93\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b"
		"\\u5de1\\u903b\\u5de1\\u903b\\u5de1\\u903b-2",
		"ASCII-3"
	};
	static const char	*const locales[] = { "C.UTF-8", "C" };
	struct run	 r;
	char		 feed[600], body[4096], *o, *line, *nl, pre[256];
	size_t		 i, k, rows;
	int		 utf8, c;

	(void)state;
	o = body;
	o += feed_head(o);
	/* US units 10 km into Mexico, south of Tijuana and Nogales. */
	for (i = 0; i < 3; i++)
		o += feed_unit(o, i == 0, ids[i], "US", i == 1 ? -110.94 :
		    -117.03 + 0.05 * (double)i, i == 1 ? 31.24 : 32.44, "");
	strcpy(o, "]}\n");
	snprintf(feed, sizeof feed, "%s/wide.json", tmpdir);
	write_file(feed, body);
	for (k = 0; k < 2; k++) {
		utf8 = k == 0;
		run_locale = locales[k];
		run(&r, "--report", "--feed", feed, "--map", MAP, NULL);
		run_locale = NULL;
		if (r.status != 0)
			fail_msg("exit %d: %s", r.status, r.err);
		line = strstr(r.out, "\nAcross the line: 3\n");
		if (line == NULL)
			fail_msg("no across table in:\n%s", r.out);
		rows = 0;
		for (line = r.out; *line != '\0'; line = nl + 1) {
			nl = strchr(line, '\n');
			assert_non_null(nl);
			*nl = '\0';
			if (!utf8)
				for (o = line; *o != '\0'; o++)
					if ((unsigned char)*o >= 0x80)
						fail_msg("not ASCII: %s", line);
			if (cols(line, strlen(line)) > 80)
				fail_msg("over 80 columns: %s", line);
			if (strncmp(line, "US   ", 5) != 0)
				continue;
			/* Columns 0-37 end with the km figure; 48 on is the
			   near phrase. */
			for (i = 0, c = 0; line[i] != '\0' && c < 48; i++) {
				if (((unsigned char)line[i + 1] & 0xc0) == 0x80)
					continue;
				snprintf(pre, sizeof pre, "%.*s", (int)i + 1,
				    line);
				c = (int)cols(pre, strlen(pre));
				if (c == 38 && !(line[i] >= '0' &&
				    line[i] <= '9'))
					fail_msg("km not at column 38: %s",
					    line);
			}
			if (c != 48 || strncmp(line + i - 2, "  ", 2) != 0 ||
			    line[i] == ' ')
				fail_msg("near not at column 48: %s", line);
			rows++;
		}
		assert_int_equal(rows, 3);
		run_free(&r);
	}
	unlink(feed);
}

/*
 * The server's clock a day behind: every feature is rejected as ahead
 * of server_time and the picture is empty; the report says so at the
 * top, with the first reason, not only in the list at the end.
 */
static void
test_all_rejected(void **state)
{
	struct run	 r;
	char		 feed[600];

	snprintf(feed, sizeof feed, "%s/ahead.json", tmpdir);
	write_file(feed, "{\"type\":\"FeatureCollection\",\"server_time\":"
	    "\"" NOW "\",\"features\":[{\"type\":\"Feature\",\"id\":\"A1\","
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-110.9,31.3]},"
	    "\"properties\":{\"side\":\"US\",\"time\":"
	    "\"2026-11-29T02:00:00Z\"}},{\"type\":\"Feature\",\"id\":\"A2\","
	    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-110.8,31.3]},"
	    "\"properties\":{\"side\":\"MX\",\"time\":"
	    "\"2026-11-29T02:00:00Z\"}}]}\n");
	run(&r, "--report", "--feed", feed, "--map", MAP, NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	if (strstr(r.out, "\nRejected: WARNING: all 2 features, the first:\n"
	    "          #0 A1: properties.time: 86400 s ahead of server_time\n")
	    == NULL)
		fail_msg("no warning at the top:\n%s", r.out);
	assert_true(strstr(r.out, "Rejected: WARNING") <
	    strstr(r.out, "US sectors"));
	run_free(&r);
	unlink(feed);
}

static void
test_text_report(void **state)
{
	struct run	 r;
	const char	*p, *nl;
	int		 lines = 0;

	run(&r, "--report", "--feed", SAMPLE, "--map", MAP, NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	for (p = r.out; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		assert_non_null(nl);
		if (cols(p, (size_t)(nl - p)) > 80)
			fail_msg("line over 80 columns: %.*s", (int)(nl - p),
			    p);
		if (nl > p && nl[-1] == ' ')
			fail_msg("trailing space: %.*s", (int)(nl - p), p);
		lines++;
	}
	assert_true(lines > 40);
	assert_non_null(strstr(r.out, "US sectors"));
	assert_non_null(strstr(r.out, "MX sectors"));
	assert_non_null(strstr(r.out, "\nGaps: "));
	assert_non_null(strstr(r.out, "Same-side overlaps: "));
	assert_non_null(strstr(r.out, "MX-GN-SON-0007"));
	assert_non_null(strstr(r.out, "Rejected features: 2"));
	/* Without --now the clock is the feed's server_time. */
	assert_non_null(strstr(r.out, NOW " (server_time)"));
	assert_non_null(strstr(r.out, "OpenStreetMap"));
	run_free(&r);
}

static void
test_fail_on_gap(void **state)
{
	struct run	r;
	char		feed[600];

	run(&r, "--report=json", "--feed", SAMPLE, "--map", MAP,
	    "--fail-on-gap", NULL);
	assert_int_equal(r.status, 3);
	assert_true(strlen(r.out) > 0);		/* the report is printed */
	run_free(&r);

	/* No stretch is 10,000 km long: no gap, exit 0. */
	run(&r, "--report=json", "--feed", SAMPLE, "--map", MAP,
	    "--fail-on-gap", "--min-gap", "10000", NULL);
	assert_int_equal(r.status, 0);
	run_free(&r);

	/* A small invented map covered end to end by both sides. */
	snprintf(feed, sizeof feed, "%s/full.json", tmpdir);
	write_file(feed,
	    "{\"type\": \"FeatureCollection\", "
	    "\"api\": \"bordercop-coordination/1\", "
	    "\"server_time\": \"" NOW "\", \"full\": true, \"features\": ["
	    "{\"type\": \"Feature\", \"id\": \"N-1\", \"geometry\": "
	    "{\"type\": \"Point\", \"coordinates\": [10.75, 45.15]}, "
	    "\"properties\": {\"side\": \"NO\", \"kind\": \"aircraft\", "
	    "\"status\": \"patrol\", \"time\": \"" NOW "\", "
	    "\"radius_m\": 100000}},"
	    "{\"type\": \"Feature\", \"id\": \"S-1\", \"geometry\": "
	    "{\"type\": \"Point\", \"coordinates\": [10.75, 44.95]}, "
	    "\"properties\": {\"side\": \"SU\", \"kind\": \"aircraft\", "
	    "\"status\": \"patrol\", \"time\": \"" NOW "\", "
	    "\"radius_m\": 100000}}]}\n");
	run(&r, "--report=json", "--feed", feed, "--map", SMALL_MAP,
	    "--fail-on-gap", "--policy", "both", NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	/* Sector keys come from the map's side codes. */
	assert_non_null(strstr(r.out, "\"no_sector\""));
	assert_non_null(strstr(r.out, "\"su_sector\""));
	assert_null(strstr(r.out, "\"us_sector\""));
	assert_non_null(strstr(r.out, "\"gaps\":\t[]"));
	run_free(&r);

	/* Policy by the map's side code, case-insensitive. */
	run(&r, "--report=json", "--feed", feed, "--map", SMALL_MAP,
	    "--policy", "SU", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"policy\":\t\"su\""));
	run_free(&r);
	run(&r, "--report", "--feed", feed, "--map", SMALL_MAP,
	    "--policy", "us", NULL);
	check_failure(&r, 2, "policy: 'us' is not either, both, NO or SU");
	run_free(&r);
	unlink(feed);
}

static void
test_errors(void **state)
{
	struct run	r;
	char		bad[600];

	/* Unusable map: 4. */
	run(&r, "--report", "--feed", SAMPLE, "--map",
	    SRCDIR "/tests/data/maps/not-json.geojson", NULL);
	check_failure(&r, 4, "not-json.geojson");
	run_free(&r);
	run(&r, "--report", "--feed", SAMPLE, "--map", "/nonexistent/map",
	    NULL);
	check_failure(&r, 4, "/nonexistent/map");
	run_free(&r);

	/* A CA file that is not there: said at once, not as a TLS error
	   at the first poll. */
	run(&r, "--report", "--api", "https://127.0.0.1:9", "--cacert",
	    "/nonexistent/ca.pem", "--map", MAP, NULL);
	check_failure(&r, 2, "--cacert: /nonexistent/ca.pem: No such file");
	run_free(&r);

	/* Unusable feed: 5. */
	run(&r, "--report", "--feed", "/nonexistent/feed.json", "--map", MAP,
	    NULL);
	check_failure(&r, 5, "/nonexistent/feed.json");
	run_free(&r);
	snprintf(bad, sizeof bad, "%s/garbage.json", tmpdir);
	write_file(bad, "this is not json\n");
	run(&r, "--report=json", "--feed", bad, "--map", MAP, NULL);
	check_failure(&r, 5, "garbage.json");
	run_free(&r);
	write_file(bad, "{\"type\": \"Feature\"}\n");
	run(&r, "--report=json", "--feed", bad, "--map", MAP, NULL);
	check_failure(&r, 5, "garbage.json");
	run_free(&r);
	unlink(bad);

	/* Usage: 2. */
	run(&r, "--report", "--feed", SAMPLE, "--bogus", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(r.out, "");
	assert_non_null(strstr(r.err, "--bogus"));
	run_free(&r);
	run(&r, "--report=xml", "--feed", SAMPLE, NULL);
	check_failure(&r, 2, "xml");
	run_free(&r);
	run(&r, "--report", "--feed", SAMPLE, "--min-gap", "-3", NULL);
	check_failure(&r, 2, "min-gap");
	run_free(&r);
	run(&r, "--report", "--feed", SAMPLE, "--now", "noon", NULL);
	check_failure(&r, 2, "now");
	run_free(&r);
	run(&r, "--report", "--feed", SAMPLE, "--map", MAP, "--stale-after",
	    "600", "--lost-after", "300", NULL);
	check_failure(&r, 2, "lost-after");
	run_free(&r);
	run(&r, "--report", "--feed", SAMPLE, "--api", "http://127.0.0.1:1",
	    NULL);
	check_failure(&r, 2, "only one of --feed, --api and --demo");
	run_free(&r);
	run(&r, "--report", "--api", "ftp://example.invalid/", NULL);
	check_failure(&r, 2, "ftp");
	run_free(&r);
	/* Nothing listens on port 1 of loopback: the API is unreachable. */
	run(&r, "--report", "--api", "http://127.0.0.1:1", "--map", MAP,
	    NULL);
	check_failure(&r, 6, "127.0.0.1");
	run_free(&r);
	/* The full-screen picture needs a terminal; the tests have none. */
	run(&r, "--map", MAP, NULL);
	check_failure(&r, 2, "terminal");
	run_free(&r);
}

static void
test_config_file(void **state)
{
	struct run	r;
	char		dir[600], path[700], other[700];

	snprintf(dir, sizeof dir, "%s/bordercop", xdg);
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/config", dir);
	write_file(path, "# test\npolicy = both\nmin-gap = 2.5\n"
	    "map = " MAP "\n");
	/* The file sets policy, min-gap and the map ... */
	run(&r, "--report=json", "--feed", SAMPLE, NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_non_null(strstr(r.out, "\"policy\":\t\"both\""));
	assert_non_null(strstr(r.out, "\"min_gap_km\":\t2.5"));
	run_free(&r);
	/* ... and the command line wins. */
	run(&r, "--report=json", "--feed", SAMPLE, "--policy", "mx", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"policy\":\t\"mx\""));
	run_free(&r);

	/* A source on the command line overrides the file's source. */
	write_file(path, "api = http://127.0.0.1:1\nmap = " MAP "\n");
	run(&r, "--report=json", "--feed", SAMPLE, NULL);
	if (r.status != 0)
		fail_msg("exit %d: %s", r.status, r.err);
	assert_non_null(strstr(r.out, "\"border_km\""));
	run_free(&r);
	/* Two sources on the command line still exclude each other. */
	run(&r, "--report", "--feed", SAMPLE, "--demo", NULL);
	check_failure(&r, 2, "only one of --feed, --api and --demo");
	run_free(&r);

	/* A bad line: file:line on stderr, exit 2. */
	write_file(path, "policy = both\nspeedy = 3\n");
	run(&r, "--report", "--feed", SAMPLE, "--map", MAP, NULL);
	check_failure(&r, 2, "config:2: unknown key 'speedy'");
	run_free(&r);
	unlink(path);

	/* --config names another file, which must exist. */
	snprintf(other, sizeof other, "%s/other.conf", tmpdir);
	run(&r, "--report", "--feed", SAMPLE, "--config", other, NULL);
	check_failure(&r, 2, "other.conf");
	run_free(&r);
	write_file(other, "min-overlap = 50\n");
	run(&r, "--report=json", "--feed", SAMPLE, "--map", MAP, "--config",
	    other, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"overlaps\":\t[]"));
	run_free(&r);
	unlink(other);
	rmdir(dir);
}

static void
test_help_version(void **state)
{
	static const char *const longs[] = {
		"--report", "--feed", "--map", "--now", "--policy",
		"--min-gap", "--min-overlap", "--stale-after", "--lost-after",
		"--across-tolerance", "--fail-on-gap", "--config", "--help",
		"--version"
	};
	struct run	r;
	size_t		i;

	run(&r, "--version", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "bordercop 0.1.0\n");
	run_free(&r);
	run(&r, "--help", NULL);
	assert_int_equal(r.status, 0);
	for (i = 0; i < sizeof longs / sizeof longs[0]; i++)
		assert_non_null(strstr(r.out, longs[i]));
	run_free(&r);
}

static int
setup(void **state)
{
	if (mkdtemp(tmpdir) == NULL)
		return (-1);
	snprintf(xdg, sizeof xdg, "%s/xdg", tmpdir);
	return (mkdir(xdg, 0700));
}

static int
teardown(void **state)
{
	char	path[600];

	snprintf(path, sizeof path, "%s/stdout", tmpdir);
	unlink(path);
	snprintf(path, sizeof path, "%s/stderr", tmpdir);
	unlink(path);
	rmdir(xdg);
	return (rmdir(tmpdir));
}

/*
 * One gap, one id: the text report, the JSON report and --watch name the
 * same gaps with the same ids for the same input, and the JSON lists
 * every sector a gap crosses and null for a gap open at the start.
 */
static void
test_gap_ids_agree(void **state)
{
	struct run	 txt, js, w;
	cJSON		*root, *gaps, *g, *secs;
	char		 want[128];
	int		 i, n, id, crossing = 0;
	double		 a, b;

	(void)state;
	run(&txt, "--report", "--map", MAP, "--feed", SAMPLE, "--now", NOW,
	    NULL);
	run(&js, "--report=json", "--map", MAP, "--feed", SAMPLE, "--now",
	    NOW, NULL);
	run(&w, "--watch", "--count", "1", "--map", MAP, "--feed", SAMPLE,
	    "--now", NOW, NULL);
	assert_int_equal(txt.status, 0);
	assert_int_equal(js.status, 0);
	assert_int_equal(w.status, 0);
	root = cJSON_Parse(js.out);
	assert_non_null(root);
	gaps = cJSON_GetObjectItem(root, "gaps");
	n = cJSON_GetArraySize(gaps);
	assert_true(n > 5);
	for (i = 0; i < n; i++) {
		g = cJSON_GetArrayItem(gaps, i);
		id = cJSON_GetObjectItem(g, "id")->valueint;
		a = cJSON_GetObjectItem(g, "start_km")->valuedouble;
		b = cJSON_GetObjectItem(g, "end_km")->valuedouble;
		assert_true(id > 0);
		assert_true(cJSON_IsNull(cJSON_GetObjectItem(g, "opened_at")));
		snprintf(want, sizeof want, "\n%4d%10.1f%10.1f", id, a, b);
		assert_non_null(strstr(txt.out, want));
		secs = cJSON_GetObjectItem(g, "us_sectors");
		assert_true(cJSON_GetArraySize(secs) >= 1);
		crossing += cJSON_GetArraySize(secs) > 1;
		/* --watch lists the five longest: those at least 100 km. */
		if (b - a >= 300) {
			snprintf(want, sizeof want, "gap #%d %.1f-%.1f km", id,
			    a, b);
			assert_non_null(strstr(w.out, want));
		}
	}
	/* Who can close the first gap (0-4 km): units to its east. */
	g = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetArrayItem(gaps,
	    0), "nearest"), 0);
	assert_non_null(g);
	assert_string_equal(cJSON_GetObjectItem(g, "end")->valuestring,
	    "east");
	assert_non_null(cJSON_GetObjectItem(g, "callsign"));
	assert_true(cJSON_GetObjectItem(g, "distance_km")->valuedouble >= 0);
	assert_non_null(strstr(txt.out, "      nearest E: US "));
	assert_non_null(strstr(w.out, "    nearest W: "));
	/* The 669 km gap is BBT's and DRT's, not its midpoint's alone. */
	assert_true(crossing > 0);
	assert_non_null(strstr(js.out, "\"BBT\", \"DRT\""));
	cJSON_Delete(root);
	run_free(&txt);
	run_free(&js);
	run_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_report),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_text_report_hostile),
		cmocka_unit_test(test_text_report_wide_ids),
		cmocka_unit_test(test_all_rejected),
		cmocka_unit_test(test_config_where),
		cmocka_unit_test(test_fail_on_gap),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_config_file),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_gap_ids_agree),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
