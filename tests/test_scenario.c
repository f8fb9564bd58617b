/*
 * test_scenario.c: the patrol simulation and the API v1 writer.
 *
 * Runs the engine on the shipped map over simulated hours and days and
 * checks what its users rely on: the same seed gives the same bytes, units
 * keep to their own side (but for the rare deliberate crossing), shifts
 * and dropouts make the picture change, seq only grows, and an incremental
 * answer merged onto the previous full one equals the new full one.
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

#include "apiwrite.h"
#include "border.h"
#include "events.h"
#include "feed.h"
#include "gaptrack.h"
#include "map.h"
#include "picture.h"
#include "scenario.h"
#include "testmap.h"
#include "unit.h"
#include "util.h"
#include "xmalloc.h"

#define T0	1795824000.0	/* 2026-11-28T00:00:00Z */

static void
side_codes(const char *codes[NSIDES])
{
	codes[0] = map->sides[0].code;
	codes[1] = map->sides[1].code;
}

/* The scenario's answer as text: full, or since a version. */
static char *
render(const struct scenario *sc, int full, uint64_t since, size_t *len)
{
	struct apiwrite_msg	m;
	struct apibuf		b;
	char			cursor[APIWRITE_CURSOR_MAX];

	memset(&m, 0, sizeof m);
	apiwrite_cursor(cursor, sizeof cursor, scenario_version(sc), "t");
	m.server_time = scenario_time(sc);
	m.cursor = cursor;
	m.full = full;
	m.since = since;
	m.slots = scenario_slots(sc, &m.nslots);
	side_codes(m.side_codes);
	apibuf_init(&b);
	apiwrite_positions(&b, &m);
	if (len != NULL)
		*len = b.len;
	return (b.p);
}

static void
test_same_seed_same_bytes(void **state)
{
	struct scenario	*a, *b, *c;
	char		*ta, *tb, *tc;
	double		 t;

	a = scenario_new(map, 42, 300, T0);
	b = scenario_new(map, 42, 300, T0);
	c = scenario_new(map, 42, 300, T0);
	for (t = T0; t <= T0 + 4 * 3600; t += 30) {
		scenario_advance(a, t);
		scenario_advance(b, t);
	}
	/* Another stepping reaches the same state. */
	scenario_advance(c, T0 + 3600);
	scenario_advance(c, t - 30);
	assert_int_equal(scenario_version(a), scenario_version(b));
	ta = render(a, 1, 0, NULL);
	tb = render(b, 1, 0, NULL);
	assert_string_equal(ta, tb);
	assert_true(strlen(ta) > 300 * 150);
	tc = render(c, 1, 0, NULL);
	/* Only the cursor (the version) may differ. */
	assert_string_equal(strstr(ta, "\"full\""), strstr(tc, "\"full\""));
	free(ta);
	free(tb);
	free(tc);
	scenario_free(a);
	scenario_free(b);
	scenario_free(c);
}

static void
test_other_seed_differs(void **state)
{
	struct scenario	*a, *b;
	char		*ta, *tb;

	a = scenario_new(map, 1, 300, T0);
	b = scenario_new(map, 2, 300, T0);
	scenario_advance(a, T0 + 600);
	scenario_advance(b, T0 + 600);
	ta = render(a, 1, 0, NULL);
	tb = render(b, 1, 0, NULL);
	assert_string_not_equal(ta, tb);
	free(ta);
	free(tb);
	scenario_free(a);
	scenario_free(b);
}

static void
test_roster(void **state)
{
	struct scenario			*sc;
	const struct scenario_slot	*sl;
	size_t				 n, i, nside[NSIDES] = { 0, 0 };
	size_t				 nkind[KIND_COUNT] = { 0 };
	struct placement		 pl;

	sc = scenario_new(map, 7, 0, T0);
	sl = scenario_slots(sc, &n);
	assert_int_equal(n, SCENARIO_DEFAULT_UNITS);
	for (i = 0; i < n; i++) {
		nside[sl[i].r.side]++;
		nkind[sl[i].r.kind]++;
		assert_true(sl[i].present);
		assert_int_equal(sl[i].r.seq, 1);
		assert_true(sl[i].r.time <= T0);
		/* Boats on the rivers, towers on land. */
		border_locate(map, sl[i].r.lat, sl[i].r.lon, &pl);
		if (sl[i].r.kind == KIND_BOAT)
			assert_true(pl.s_km > 220);
		if (sl[i].r.kind == KIND_TOWER)
			assert_true(pl.s_km < 228.420 + 2 ||
			    (pl.s_km > 263.665 - 2 && pl.s_km < 1125 + 2));
	}
	assert_true(nside[0] > 0 && nside[1] > 0);
	assert_true(nside[0] > nside[1]);
	assert_true(nkind[KIND_VEHICLE] > nkind[KIND_AIRCRAFT]);
	assert_true(nkind[KIND_BOAT] > 0);
	assert_true(nkind[KIND_TOWER] > 0);
	assert_true(nkind[KIND_FOOT] > 0);
	/* Ids follow the agencies' patterns. */
	for (i = 0; i < n; i++)
		if (sl[i].r.side == 0)
			assert_memory_equal(sl[i].r.id, "USBP-", 5);
		else
			assert_memory_equal(sl[i].r.id, "MX-GN-", 6);
	scenario_free(sc);

	sc = scenario_new(map, 7, 10000, T0);
	sl = scenario_slots(sc, &n);
	assert_int_equal(n, 10000);
	scenario_free(sc);
}

/*
 * A simulated day at 5-minute steps: side of the line, shift changes,
 * dropouts, responses, crossings, seq order.
 */
static void
test_day(void **state)
{
	struct scenario			*sc;
	const struct scenario_slot	*sl;
	struct placement		 pl;
	int64_t				*seq;
	size_t				 n, i;
	double				 t, age, sign;
	size_t				 off, stale, lost, absent, resp;
	size_t				 off_min = SIZE_MAX, off_max = 0;
	size_t				 stale_min = SIZE_MAX, stale_max = 0;
	size_t				 absent_max = 0, lost_max = 0;
	size_t				 resp_max = 0, across = 0, wrong = 0;

	sc = scenario_new(map, 3, 300, T0);
	sl = scenario_slots(sc, &n);
	seq = xcalloc(n, sizeof *seq);
	for (t = T0 + 300; t <= T0 + 86400; t += 300) {
		scenario_advance(sc, t);
		sl = scenario_slots(sc, &n);
		off = stale = lost = absent = resp = 0;
		for (i = 0; i < n; i++) {
			assert_true(sl[i].r.seq >= seq[i]);
			seq[i] = sl[i].r.seq;
			if (!sl[i].present) {
				absent++;
				continue;
			}
			age = t - sl[i].r.time;
			assert_true(age >= 0);
			if (sl[i].r.status == STATUS_OFF_DUTY)
				off++;
			else if (age > 1800)
				lost++;
			else if (age > 300)
				stale++;
			if (sl[i].r.status == STATUS_RESPONDING)
				resp++;
			border_locate(map, sl[i].r.lat, sl[i].r.lon, &pl);
			sign = sl[i].r.side == 0 ? 1 : -1;
			if (sl[i].across) {
				across++;
				assert_true(pl.d_km * sign < 0);
				assert_true(fabs(pl.d_km) < 2.5);
			} else {
				assert_true(fabs(pl.d_km) < 10.5);
				if (pl.d_km * sign <= 0)
					wrong++;
			}
		}
		if (off < off_min)
			off_min = off;
		if (off > off_max)
			off_max = off;
		if (stale < stale_min)
			stale_min = stale;
		if (stale > stale_max)
			stale_max = stale;
		if (absent > absent_max)
			absent_max = absent;
		if (lost > lost_max)
			lost_max = lost;
		if (resp > resp_max)
			resp_max = resp;
	}
	/* Shift changes: units go off duty and come back, some leave. */
	assert_true(off_max > off_min + 10);
	assert_true(absent_max > 0);
	/* Dropouts: stale and lost units, in changing numbers. */
	assert_true(stale_max > stale_min);
	assert_true(lost_max > 0);
	/* Incidents draw responders. */
	assert_true(resp_max > 0);
	/* Someone strayed across, rarely. */
	assert_true(across > 0);
	assert_true(across < 288 * 5);
	/* Everyone else keeps to the own side of the line. */
	assert_int_equal(wrong, 0);
	free(seq);
	scenario_free(sc);
}

static void
table_from(const char *text, size_t len, struct unit_table *t)
{
	struct feed_msg	 msg;
	const char	*codes[NSIDES];
	char		 why[256];

	side_codes(codes);
	assert_int_equal(feed_parse(text, len, codes, &msg, why, sizeof why),
	    BC_OK);
	assert_int_equal(msg.nrejected, 0);
	feed_apply(&msg, t);
	feed_msg_done(&msg);
}

static void
assert_tables_equal(struct unit_table *a, struct unit_table *b)
{
	struct unit	*u;
	size_t		 i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		u = units_find(b, a->v[i].r.id);
		assert_non_null(u);
		assert_int_equal(u->r.seq, a->v[i].r.seq);
		assert_true(u->r.lat == a->v[i].r.lat);
		assert_true(u->r.lon == a->v[i].r.lon);
		assert_int_equal(u->r.status, a->v[i].r.status);
	}
}

/* The footprints of a table's fresh units, by id, to compare later. */
struct fpcopy {
	char		 id[UNIT_ID_MAX + 1];
	struct interval	*fp;
	size_t		 nfp;
};

static int
gap_over(const struct picture *p, const struct interval *fp, size_t nfp)
{
	size_t	i, j;

	for (i = 0; i < p->ngaps; i++)
		for (j = 0; j < nfp; j++)
			if (p->gaps[i].a < fp[j].b && fp[j].a < p->gaps[i].b)
				return (1);
	return (0);
}

/*
 * Over a simulated day through the real feed path, the coverage report
 * changes because of the scenario: a unit that goes off duty or silent
 * leaves a gap where it covered, and units that come on or come back
 * close gaps.
 */
static void
test_day_gaps(void **state)
{
	struct scenario		*sc;
	struct unit_table	 t;
	struct picture		 p;
	struct picture_config	 cfg;
	struct event_log	 log;
	struct gaptrack		 gt;
	struct fpcopy		*prev = NULL, *cur;
	const struct pic_unit	*u;
	size_t			 nprev = 0, ncur, i, len, opened = 0;
	size_t			 ev_open = 0, ev_close = 0;
	double			 tt;
	char			*text;

	sc = scenario_new(map, 5, 300, T0);
	units_init(&t);
	picture_init(&p);
	picture_config_defaults(&cfg);
	events_init(&log, 100000);
	gaptrack_init(&gt);
	for (tt = T0 + 600; tt <= T0 + 86400; tt += 600) {
		scenario_advance(sc, tt);
		text = render(sc, 1, 0, &len);
		table_from(text, len, &t);
		free(text);
		picture_build(&p, map, &t, &cfg, tt);
		gaptrack_update(&gt, &p, &log);

		/* A unit that covered before and does not now: a gap where
		   its footprint was? */
		for (i = 0; i < nprev; i++) {
			u = picture_unit(&p, prev[i].id);
			if ((u == NULL || u->state != STATE_FRESH) &&
			    gap_over(&p, prev[i].fp, prev[i].nfp))
				opened++;
		}
		for (i = 0; i < nprev; i++)
			free(prev[i].fp);
		free(prev);
		cur = xcalloc(t.n + 1, sizeof *cur);
		for (i = ncur = 0; i < p.units->n; i++) {
			u = &p.units->v[i];
			if (u->state != STATE_FRESH || u->nfp == 0)
				continue;
			memcpy(cur[ncur].id, u->r.id, sizeof cur[ncur].id);
			cur[ncur].fp = xcalloc(u->nfp, sizeof *cur[ncur].fp);
			memcpy(cur[ncur].fp, u->fp, u->nfp *
			    sizeof *cur[ncur].fp);
			cur[ncur].nfp = u->nfp;
			ncur++;
		}
		prev = cur;
		nprev = ncur;
	}
	for (i = 0; i < log.n; i++) {
		if (events_get(&log, i)->type == EVENT_GAP_OPEN)
			ev_open++;
		if (events_get(&log, i)->type == EVENT_GAP_CLOSE)
			ev_close++;
	}
	print_message("opened by dropouts %zu, gap events open %zu close %zu\n",
	    opened, ev_open, ev_close);
	/* Units dropping out really opened gaps where they covered ... */
	assert_true(opened > 10);
	/* ... and the gap tracker saw gaps open and close all day. */
	assert_true(ev_open > 20);
	assert_true(ev_close > 20);

	for (i = 0; i < nprev; i++)
		free(prev[i].fp);
	free(prev);
	gaptrack_done(&gt);
	events_done(&log);
	picture_done(&p);
	units_done(&t);
	scenario_free(sc);
}

static void
test_incremental(void **state)
{
	struct scenario		*sc;
	struct unit_table	 merged, fresh;
	char			*full0, *inc, *full1, *none;
	size_t			 len0, leni, len1, lenn;
	uint64_t		 v0;
	double			 t;
	int			 step;

	sc = scenario_new(map, 11, 300, T0);
	units_init(&merged);
	scenario_advance(sc, T0 + 7 * 3600);
	full0 = render(sc, 1, 0, &len0);
	table_from(full0, len0, &merged);
	for (step = 0, t = T0 + 7 * 3600; step < 40; step++) {
		v0 = scenario_version(sc);
		/* Across a shift change: removals happen in this window. */
		t += step % 2 ? 90 : 600;
		scenario_advance(sc, t);
		inc = render(sc, 0, v0, &leni);
		full1 = render(sc, 1, 0, &len1);
		assert_true(leni < len1);
		assert_non_null(strstr(inc, "\"full\":false"));
		table_from(inc, leni, &merged);
		units_init(&fresh);
		table_from(full1, len1, &fresh);
		assert_tables_equal(&merged, &fresh);
		units_done(&fresh);
		free(inc);
		free(full1);
	}
	/* Nothing changed since the current version: empty answer. */
	none = render(sc, 0, scenario_version(sc), &lenn);
	assert_non_null(strstr(none, "\"features\":[],\"removed\":[]"));
	free(none);
	units_done(&merged);
	free(full0);
	scenario_free(sc);
}

static void
test_numbers(void **state)
{
	struct apibuf	b;

	apibuf_init(&b);
	apibuf_number(&b, -110.940004, 5);
	apibuf_str(&b, " ");
	apibuf_number(&b, 31.33, 5);
	apibuf_str(&b, " ");
	apibuf_number(&b, -0.000001, 5);
	apibuf_str(&b, " ");
	apibuf_number(&b, 1187, 0);
	apibuf_str(&b, " ");
	apibuf_number(&b, 0.5, 0);
	apibuf_str(&b, " ");
	apibuf_number(&b, NAN, 3);
	assert_string_equal(b.p, "-110.94 31.33 0 1187 1 null");
	apibuf_done(&b);

	apibuf_json_string(&b, "a\"b\\c\n\x01\x7f\xc3\xb1");
	assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u0001\\u007f\xc3\xb1\"");
	apibuf_done(&b);
}

static void
test_cursor(void **state)
{
	char		buf[APIWRITE_CURSOR_MAX];
	uint64_t	v;

	apiwrite_cursor(buf, sizeof buf, 36 * 36 + 35, "k3x");
	assert_string_equal(buf, "10z.k3x");
	assert_int_equal(apiwrite_cursor_parse(buf, "k3x", &v), 0);
	assert_int_equal(v, 36 * 36 + 35);
	assert_int_equal(apiwrite_cursor_parse(buf, "other", &v), -1);
	assert_int_equal(apiwrite_cursor_parse("", "k3x", &v), -1);
	assert_int_equal(apiwrite_cursor_parse(".k3x", "k3x", &v), -1);
	assert_int_equal(apiwrite_cursor_parse("1Z.k3x", "k3x", &v), -1);
	assert_int_equal(apiwrite_cursor_parse("zzzzzzzzzzzzz.k3x", "k3x",
	    &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_same_seed_same_bytes),
		cmocka_unit_test(test_other_seed_differs),
		cmocka_unit_test(test_roster),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_day_gaps),
	};

	return (cmocka_run_group_tests(tests, testmap_setup,
	    testmap_teardown));
}
