/*
 * fuzz_feed.c: libFuzzer harness for the coordination API v1 parser.
 *
 * Each input goes the way the program takes a polled body: feed_parse(),
 * and only on BC_OK feed_apply() into a unit table that already holds a
 * good message, then picture_build() on a small map.  It aborts when any
 * string that left the parser is unclean, when a refused message changed
 * the table, or when a kept report has coordinates or times the parser
 * promised to reject; the sanitizers catch the rest.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed.h"
#include "map.h"
#include "picture.h"
#include "unit.h"
#include "util.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const sides[NSIDES] = { "US", "MX" };

/* A 150 km line near Nogales, one sector per side, one place. */
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
    "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-110.94,31.33]}}"
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
	fprintf(stderr, "fuzz_feed: %s: \"%s\"\n", what, s);
	abort();
}

static void
check_clean(const char *what, const char *s)
{
	if (!str_is_clean(s))
		die(what, s);
}

/* Everything the parser promised about a report it kept. */
static void
check_report(const struct report *r)
{
	check_clean("id", r->id);
	check_clean("agency", r->agency);
	check_clean("callsign", r->callsign);
	check_clean("kind", r->kind_text);
	check_clean("status", r->status_text);
	if (r->id[0] == '\0' || strlen(r->id) > UNIT_ID_MAX)
		die("id length", r->id);
	if (!isfinite(r->lat) || !isfinite(r->lon) || fabs(r->lat) > 90 ||
	    fabs(r->lon) > 180)
		die("coordinates", r->id);
	if (!isfinite(r->time))
		die("time", r->id);
	if (r->side != SIDE_LEFT && r->side != SIDE_RIGHT)
		die("side", r->id);
	if (!isnan(r->radius_km) && !(r->radius_km > 0 &&
	    r->radius_km <= 200))
		die("radius", r->id);
}

/* A table as a comparable fingerprint: ids, seqs and positions. */
static unsigned long
table_sum(const struct unit_table *t)
{
	unsigned long	 h = 5381;
	const char	*p;
	size_t		 i;

	for (i = 0; i < t->n; i++) {
		for (p = t->v[i].r.id; *p != '\0'; p++)
			h = h * 33 + (unsigned char)*p;
		h = h * 33 + (unsigned long)t->v[i].r.seq;
		h = h * 33 + (unsigned long)(long)(t->v[i].r.lat * 1e5);
		h = h * 33 + (unsigned long)(long)(t->v[i].r.lon * 1e5);
	}
	return (h ^ t->n);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char	why[256];

	if (map_load_buffer(small_map, sizeof small_map - 1, "fuzz map", &map,
	    why, sizeof why) != BC_OK) {
		fprintf(stderr, "fuzz_feed: %s\n", why);
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
	unsigned long		 before;
	char			 why[256];
	size_t			 i, j;
	double			 now;

	units_init(&t);
	if (feed_parse(baseline, sizeof baseline - 1, sides, &msg, why,
	    sizeof why) != BC_OK)
		die("baseline refused", why);
	feed_apply(&msg, &t);
	feed_msg_done(&msg);
	before = table_sum(&t);

	if (feed_parse((const char *)data, size, sides, &msg, why,
	    sizeof why) != BC_OK) {
		/* A refused body leaves nothing behind and changes nothing. */
		if (msg.nreports != 0 || msg.nrejected != 0 ||
		    msg.nremoved != 0 || msg.cursor != NULL)
			die("refused but filled", why);
		if (table_sum(&t) != before)
			die("refused but table changed", why);
		check_clean("why", why);
		units_done(&t);
		return (0);
	}

	check_clean("api", msg.api);
	if (msg.cursor != NULL)
		check_clean("cursor", msg.cursor);
	for (i = 0; i < msg.nremoved; i++)
		check_clean("removed", msg.removed[i]);
	for (i = 0; i < msg.nrejected; i++) {
		check_clean("rejected id", msg.rejected[i].id);
		check_clean("rejected reason", msg.rejected[i].reason);
	}
	for (i = 0; i < msg.nreports; i++) {
		check_report(&msg.reports[i]);
		for (j = 0; j < i; j++)
			if (strcmp(msg.reports[i].id, msg.reports[j].id) == 0)
				die("duplicate id kept", msg.reports[i].id);
	}

	feed_apply(&msg, &t);
	for (i = 0; i < t.n; i++) {
		check_report(&t.v[i].r);
		if (units_find(&t, t.v[i].r.id) != &t.v[i])
			die("table lookup", t.v[i].r.id);
	}

	/* The picture must survive whatever the parser let through. */
	picture_config_defaults(&cfg);
	picture_init(&pic);
	now = isfinite(msg.server_time) ? msg.server_time : 1795831200.0;
	picture_build(&pic, map, &t, &cfg, now);
	for (i = 0; i < pic.ngaps; i++)
		if (!(pic.gaps[i].a <= pic.gaps[i].b))
			die("gap order", pic.gaps[i].near);
	picture_done(&pic);

	feed_msg_done(&msg);
	units_done(&t);
	return (0);
}
