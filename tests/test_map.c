/*
 * test_map.c: loading border maps: the shipped map, a map of an invented
 * border with other side codes, and each bad map's exact error.
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

#include <cmocka.h>

#include "border.h"
#include "map.h"
#include "util.h"

#define MAPS	SRCDIR "/tests/data/maps/"

/* Each side's sectors tile [0, length] exactly. */
static void
assert_tiles(const struct border_map *m)
{
	size_t	i;
	int	side;

	for (side = 0; side < NSIDES; side++) {
		assert_true(m->nsectors[side] > 0);
		assert_true(m->sectors[side][0].start_km == 0);
		for (i = 1; i < m->nsectors[side]; i++) {
			assert_true(m->sectors[side][i].start_km ==
			    m->sectors[side][i - 1].end_km);
			assert_true(m->sectors[side][i].end_km >
			    m->sectors[side][i].start_km);
		}
		assert_true(m->sectors[side][i - 1].end_km == m->length_km);
	}
}

static void
test_shipped(void **state)
{
	static const char *const us[] = {
		"SDC", "ELC", "YUM", "TCA", "EPT", "BBT", "DRT", "LRT", "RGV"
	};
	static const char *const mx[] = { "BC", "SO", "CH", "CA", "NL", "TM" };
	struct border_map	*m;
	char			 why[512];
	size_t			 i;

	if (map_load_file(SRCDIR "/maps/us-mx.geojson", &m, why,
	    sizeof why) != BC_OK)
		fail_msg("%s", why);
	assert_string_equal(m->sides[SIDE_LEFT].code, "US");
	assert_string_equal(m->sides[SIDE_RIGHT].code, "MX");
	assert_string_equal(m->sides[SIDE_RIGHT].name, "Mexico");
	assert_int_equal(m->nsectors[SIDE_LEFT], 9);
	assert_int_equal(m->nsectors[SIDE_RIGHT], 6);
	for (i = 0; i < 9; i++)
		assert_string_equal(m->sectors[SIDE_LEFT][i].code, us[i]);
	for (i = 0; i < 6; i++)
		assert_string_equal(m->sectors[SIDE_RIGHT][i].code, mx[i]);
	assert_int_equal(m->nplaces, 20);
	assert_tiles(m);
	assert_true(fabs(m->accuracy_km - 0.25) < 1e-12);
	assert_non_null(strstr(m->attribution, "OpenStreetMap contributors"));
	assert_non_null(strstr(m->attribution, "ODbL 1.0"));
	assert_non_null(m->path);
	/* Sector ends located on the line agree with the data tables. */
	assert_true(fabs(m->sectors[SIDE_LEFT][3].start_km - 415.102) < 0.002);
	assert_true(fabs(m->sectors[SIDE_LEFT][4].end_km - 1243.902) < 0.002);
	assert_true(fabs(m->sectors[SIDE_RIGHT][4].start_km - 2562.216) <
	    0.002);
	assert_string_equal(m->places[8].label[SIDE_LEFT], "Nogales");
	assert_string_equal(m->places[8].label[SIDE_RIGHT], "Nogales");
	border_free(m);
}

/* A map of another border, with other side codes, works the same way. */
static void
test_invented(void **state)
{
	struct border_map	*m;
	struct placement	 pl;
	char			 why[512], buf[128];

	if (map_load_file(MAPS "small.geojson", &m, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
	assert_string_equal(m->name, "Norland-Sudland boundary (invented)");
	assert_int_equal(m->nverts, 4);
	assert_int_equal(border_side_by_code(m, "NO"), SIDE_LEFT);
	assert_int_equal(border_side_by_code(m, "SU"), SIDE_RIGHT);
	assert_int_equal(border_side_by_code(m, "US"), SIDE_NONE);
	assert_int_equal(m->nsectors[SIDE_LEFT], 2);
	assert_int_equal(m->nsectors[SIDE_RIGHT], 1);
	assert_tiles(m);
	assert_true(fabs(m->sectors[SIDE_LEFT][0].end_km - m->chain_km[2]) <
	    1e-9);

	/* North of the line is Norland's side, in sector N1. */
	border_locate(m, 45.2, 10.3, &pl);
	assert_true(pl.d_km > 0);
	assert_string_equal(m->sectors[SIDE_LEFT][border_sector_at(m,
	    SIDE_LEFT, pl.s_km)].code, "N1");
	border_locate(m, 44.9, 11.3, &pl);
	assert_true(pl.d_km < 0);
	assert_string_equal(m->sectors[SIDE_LEFT][border_sector_at(m,
	    SIDE_LEFT, pl.s_km)].code, "N2");

	/* Labels come from label_<code>. */
	border_near_phrase(m, 45.1, 10.5, SIDE_RIGHT, buf, sizeof buf);
	assert_string_equal(buf, "at Mittelweg");
	border_near_phrase(m, 45.1, 10.5, SIDE_LEFT, buf, sizeof buf);
	assert_string_equal(buf, "at Midway");
	border_free(m);
}

/* Load tests/data/maps/FILE and compare the error after the path. */
static void
bad(const char *file, enum bc_status want, const char *msg)
{
	struct border_map	*m = NULL;
	char			 why[512], path[512], expect[1024];

	snprintf(path, sizeof path, "%s%s", MAPS, file);
	assert_int_equal(map_load_file(path, &m, why, sizeof why), want);
	assert_null(m);
	snprintf(expect, sizeof expect, "%s%s: %s", MAPS, file, msg);
	assert_string_equal(why, expect);
}

static void
test_bad_maps(void **state)
{
	bad("one-vertex.geojson", BC_INVALID, "feature 0 (boundary): "
	    "coordinates: a line needs at least 2 positions, not 1");
	bad("bad-lat.geojson", BC_INVALID, "feature 1 (sector N1): "
	    "coordinates[1]: latitude 95 out of range");
	bad("unknown-side.geojson", BC_INVALID, "feature 3 (sector S1): "
	    "side: unknown side \"XX\" (expected \"NO\" or \"SU\")");
	bad("overlap.geojson", BC_INVALID, "side NO: sectors N1 and N2 "
	    "overlap by 40.927 km (40.927-81.854 km)");
	bad("hole.geojson", BC_INVALID, "side NO: no sector covers "
	    "40.927-81.854 km (between N1 and N2)");
	bad("not-json.geojson", BC_JSON, "not valid JSON at line 7, "
	    "column 21");
	bad("no-line.geojson", BC_INVALID, "no feature with role "
	    "\"boundary\" (the line)");
}

static void
load_text(const char *text, const char *msg)
{
	struct border_map	*m = NULL;
	char			 why[512];
	enum bc_status		 st;

	st = map_load_buffer(text, strlen(text), "t.geojson", &m, why,
	    sizeof why);
	if (msg == NULL) {
		if (st != BC_OK)
			fail_msg("%s", why);
		border_free(m);
		return;
	}
	assert_int_not_equal(st, BC_OK);
	assert_null(m);
	assert_string_equal(why, msg);
}

#define HEAD	"{\"type\":\"FeatureCollection\",\"bordercop_map\":1," \
	"\"attribution\":\"test\",\"sides\":{\"left\":{\"code\":\"A\"," \
	"\"name\":\"Aland\"},\"right\":{\"code\":\"B\",\"name\":\"Bland\"}}," \
	"\"features\":["
#define LINE(c)	"{\"type\":\"Feature\",\"properties\":{\"role\":" \
	"\"boundary\"},\"geometry\":{\"type\":\"LineString\"," \
	"\"coordinates\":" c "}}"
#define SEC(side, code, c) ",{\"type\":\"Feature\",\"properties\":{" \
	"\"role\":\"sector\",\"side\":\"" side "\",\"code\":\"" code "\"," \
	"\"name\":\"x\"},\"geometry\":{\"type\":\"MultiPoint\"," \
	"\"coordinates\":" c "}}"
#define L3	"[[1,1],[1.2,1.1],[1.4,1]]"
#define ALL	"[[1,1],[1.4,1]]"
#define OKSECS	SEC("A", "a", ALL) SEC("B", "b", ALL)

/* Smaller rules, each named by file, feature and member. */
static void
test_bad_details(void **state)
{
	load_text(HEAD LINE(L3) OKSECS "]}", NULL);
	load_text(HEAD LINE("[[1,1],[1.2,1.1],[1.2,1.1]]") OKSECS "]}",
	    "t.geojson: feature 0 (boundary): coordinates[2]: same as "
	    "coordinates[1]");
	load_text(HEAD LINE("[[1,1],[181,1]]") "]}",
	    "t.geojson: feature 0 (boundary): coordinates[1]: longitude 181 "
	    "out of range");
	load_text(HEAD LINE("[[1,1],[1,1e999]]") "]}",
	    "t.geojson: feature 0 (boundary): coordinates[1]: not a finite "
	    "number");
	load_text(HEAD LINE("[[1,1],[1,\"2\"]]") "]}",
	    "t.geojson: feature 0 (boundary): coordinates[1]: expected "
	    "numbers");
	load_text(HEAD LINE(L3) SEC("A", "a", ALL) "]}",
	    "t.geojson: side B has no sectors");
	load_text(HEAD LINE(L3) OKSECS SEC("A", "a", ALL) "]}",
	    "t.geojson: feature 3 (sector a): code: a is already a sector "
	    "of side A");
	load_text(HEAD LINE(L3) OKSECS SEC("A", "c", "[[1,1]]") "]}",
	    "t.geojson: feature 3 (sector c): coordinates: expected two "
	    "positions, start and end");
	load_text(HEAD LINE(L3) SEC("A", "a", "[[1.4,1],[1,1]]") "]}",
	    "t.geojson: feature 1 (sector a): sector a ends (0.000 km) "
	    "before it starts (49.710 km)");
	load_text(HEAD LINE(L3) OKSECS SEC("A", "c", "[[1,1],[1,2]]") "]}",
	    "t.geojson: feature 3 (sector c): coordinates[1]: 102.0 km from "
	    "the line (at most 10 km)");
	load_text(HEAD LINE(L3) "," LINE(L3) "]}",
	    "t.geojson: feature 1 (boundary): a second boundary (feature 0 "
	    "is one)");
	load_text(HEAD LINE(L3) ",{\"type\":\"Feature\",\"properties\":"
	    "{\"role\":\"river\"}}]}",
	    "t.geojson: feature 1: role: expected \"boundary\", \"sector\" or "
	    "\"place\"");
	load_text(HEAD LINE(L3) OKSECS ",{\"type\":\"Feature\",\"properties\":"
	    "{\"role\":\"place\",\"name\":\"P\\u001b[2J\"},\"geometry\":"
	    "{\"type\":\"Point\",\"coordinates\":[1,1]}}]}",
	    "t.geojson: feature 3 (place): name: invalid UTF-8 or control "
	    "characters");
	load_text("{\"type\":\"FeatureCollection\",\"features\":[]}",
	    "t.geojson: bordercop_map: missing (not a bordercop map)");
	load_text("[1] x", "t.geojson: not valid JSON at line 1, column 5");
	load_text("{\"type\":\"FeatureCollection\",\"bordercop_map\":1,"
	    "\"attribution\":\"t\",\"sides\":{\"left\":{\"code\":\"A\","
	    "\"name\":\"a\"},\"right\":{\"code\":\"A\",\"name\":\"b\"}},"
	    "\"features\":[]}",
	    "t.geojson: sides: left and right have the same code");
}

static void
test_default_path(void **state)
{
	char	buf[1024];

	setenv("BORDERCOP_MAP", "/x/y.geojson", 1);
	assert_string_equal(map_default_path(buf, sizeof buf),
	    "/x/y.geojson");
	unsetenv("BORDERCOP_MAP");
	/* Otherwise some file named like the shipped map. */
	assert_non_null(map_default_path(buf, sizeof buf));
	assert_non_null(strstr(buf, MAP_DEFAULT_FILE));
}

/*
 * A place name of 127 bytes, 2-byte characters after the first: the
 * near phrase that cannot hold it is cut at a character, never inside
 * one (it goes into the JSON report).
 */
static void
test_near_phrase_cut(void **state)
{
	struct border_map	*m;
	char			 body[2048], name[128], buf[96], why[256];
	size_t			 i;
	int			 n;

	name[0] = 'x';
	for (i = 0; i < 63; i++)
		memcpy(name + 1 + 2 * i, "\xc3\xa9", 2);
	name[127] = '\0';
	n = snprintf(body, sizeof body, "{\"type\":\"FeatureCollection\","
	    "\"bordercop_map\":1,\"name\":\"t\",\"attribution\":\"t\","
	    "\"accuracy_km\":0.1,\"sides\":{\"left\":{\"code\":\"NO\","
	    "\"name\":\"N\"},\"right\":{\"code\":\"SU\",\"name\":\"S\"}},"
	    "\"features\":[{\"type\":\"Feature\",\"properties\":{\"role\":"
	    "\"boundary\"},\"geometry\":{\"type\":\"LineString\","
	    "\"coordinates\":[[10,45],[11,45]]}},"
	    "{\"type\":\"Feature\",\"properties\":{\"role\":\"sector\","
	    "\"side\":\"NO\",\"code\":\"N1\",\"name\":\"N1\"},\"geometry\":"
	    "{\"type\":\"MultiPoint\",\"coordinates\":[[10,45],[11,45]]}},"
	    "{\"type\":\"Feature\",\"properties\":{\"role\":\"sector\","
	    "\"side\":\"SU\",\"code\":\"S1\",\"name\":\"S1\"},\"geometry\":"
	    "{\"type\":\"MultiPoint\",\"coordinates\":[[10,45],[11,45]]}},"
	    "{\"type\":\"Feature\",\"properties\":{\"role\":\"place\","
	    "\"name\":\"%s\"},\"geometry\":{\"type\":\"Point\","
	    "\"coordinates\":[10.5,45]}}]}", name);
	assert_true(n > 0 && (size_t)n < sizeof body);
	assert_int_equal(map_load_buffer(body, (size_t)n, "map", &m, why,
	    sizeof why), BC_OK);
	/* "12 km N of x" then 2-byte characters: 96 bytes cut one in two
	   at some distance; try a few. */
	for (i = 0; i < 8; i++) {
		border_near_phrase(m, 45.05 + 0.01 * (double)i, 10.5, SIDE_LEFT,
		    buf, sizeof buf);
		assert_true(str_is_clean(buf));
		assert_true(strlen(buf) >= sizeof buf - 2);
	}
	border_free(m);
}

int
main(void)
{
	const struct CMUnitTest	tests[] = {
		cmocka_unit_test(test_shipped),
		cmocka_unit_test(test_invented),
		cmocka_unit_test(test_bad_maps),
		cmocka_unit_test(test_bad_details),
		cmocka_unit_test(test_default_path),
		cmocka_unit_test(test_near_phrase_cut),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
