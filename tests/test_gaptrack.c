/*
 * test_gaptrack.c: gap identity across pictures, unit and link events.
 *
 * Pictures are built by hand (gaps and unit states set directly), so the
 * tracker is tested alone, without the map or the coverage code.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "gaptrack.h"

#define NGMAX	8

struct fixture {
	struct gaptrack		gt;
	struct event_log	log;
	struct picture		pic;
	struct gap		gaps[NGMAX];
	struct pic_unit		units[NGMAX];
	struct pic_units	table;
};

static void
fx_init(struct fixture *f)
{
	memset(f, 0, sizeof *f);
	gaptrack_init(&f->gt);
	events_init(&f->log, 64);
	f->pic.gaps = f->gaps;
	f->pic.units = &f->table;
	f->table.v = f->units;
}

static void
fx_done(struct fixture *f)
{
	gaptrack_done(&f->gt);
	events_done(&f->log);
}

/* Set the picture's gaps from pairs of km, then track at time now. */
static void
fx_gaps(struct fixture *f, double now, size_t n, const double *ab)
{
	size_t	i;

	memset(f->gaps, 0, sizeof f->gaps);
	for (i = 0; i < n; i++) {
		f->gaps[i].a = ab[2 * i];
		f->gaps[i].b = ab[2 * i + 1];
		f->gaps[i].sector[0] = f->gaps[i].sector[1] = -1;
		f->gaps[i].open_since = NAN;
	}
	f->pic.ngaps = n;
	f->pic.now = now;
	gaptrack_update(&f->gt, &f->pic, &f->log);
}

static size_t
count_type(const struct event_log *log, unsigned long since,
    enum event_type type)
{
	size_t	i, n = 0;

	for (i = 0; i < log->total - since && i < log->n; i++)
		if (events_get(log, i)->type == type)
			n++;
	return (n);
}

static void
test_baseline_is_quiet(void **state)
{
	struct fixture	f;
	double		g[] = { 10, 20, 50, 52 };

	fx_init(&f);
	fx_gaps(&f, 1000, 2, g);
	assert_int_equal(f.log.total, 0);
	assert_int_not_equal(f.gaps[0].id, 0);
	assert_int_not_equal(f.gaps[1].id, 0);
	assert_int_not_equal(f.gaps[0].id, f.gaps[1].id);
	/* Open before the program saw them: when is not known. */
	assert_true(f.gaps[0].open_before);
	assert_true(f.gaps[0].open_since == 1000);
	fx_done(&f);
}

static void
test_open_change_close(void **state)
{
	struct fixture		f;
	double			g0[] = { 10, 20 };
	double			g1[] = { 10.2, 20.3, 100, 107.6 };
	double			g2[] = { 9, 22, 100, 107.6 };
	double			g3[] = { 100, 107.6 };
	unsigned		id0, id1;
	unsigned long		t;
	const struct event	*e;
	char			want[64];

	fx_init(&f);
	fx_gaps(&f, 990, 0, g0);	/* the baseline: no gap */
	fx_gaps(&f, 1000, 1, g0);
	id0 = f.gaps[0].id;

	/* Small movement: same id, no change event; a new gap opens. */
	t = f.log.total;
	fx_gaps(&f, 1010, 2, g1);
	assert_int_equal(f.gaps[0].id, id0);
	assert_true(f.gaps[0].open_since == 1000);
	id1 = f.gaps[1].id;
	assert_int_not_equal(id1, id0);
	assert_true(f.gaps[1].open_since == 1010);
	assert_int_equal(f.log.total - t, 1);
	e = events_get(&f.log, 0);
	assert_int_equal(e->type, EVENT_GAP_OPEN);
	assert_int_equal(e->gap_id, id1);
	snprintf(want, sizeof want, "gap opened #%u 100.0", id1);
	assert_non_null(strstr(e->text, want));
	assert_non_null(strstr(e->text, "(7.6 km)"));
	assert_true(fabs(e->km - 103.8) < 1e-9);

	/* More than 0.5 km of movement is a change; identity kept. */
	t = f.log.total;
	fx_gaps(&f, 1070, 2, g2);
	assert_int_equal(f.gaps[0].id, id0);
	assert_int_equal(f.gaps[1].id, id1);
	assert_true(f.gaps[0].open_since == 1000);
	assert_int_equal(f.log.total - t, 1);
	assert_int_equal(events_get(&f.log, 0)->type, EVENT_GAP_CHANGE);
	assert_int_equal(events_get(&f.log, 0)->gap_id, id0);

	/* The first closes, with how long it was open. */
	t = f.log.total;
	fx_gaps(&f, 1000 + 3600 + 300, 1, g3);
	assert_int_equal(f.gaps[0].id, id1);
	assert_true(f.gaps[0].open_since == 1010);
	assert_int_equal(f.log.total - t, 1);
	e = events_get(&f.log, 0);
	assert_int_equal(e->type, EVENT_GAP_CLOSE);
	assert_int_equal(e->gap_id, id0);
	assert_non_null(strstr(e->text, "after 1 h 05 min"));
	fx_done(&f);
}

static void
test_identity_needs_overlap(void **state)
{
	struct fixture	f;
	double		g0[] = { 10, 20 };
	double		g1[] = { 21, 30 };
	unsigned	id0;

	fx_init(&f);
	fx_gaps(&f, 0, 1, g0);
	id0 = f.gaps[0].id;
	fx_gaps(&f, 10, 1, g1);
	/* Disjoint: a new gap, the old one closed; ids never reused. */
	assert_int_not_equal(f.gaps[0].id, id0);
	assert_true(f.gaps[0].open_since == 10);
	assert_int_equal(count_type(&f.log, 0, EVENT_GAP_OPEN), 1);
	assert_int_equal(count_type(&f.log, 0, EVENT_GAP_CLOSE), 1);
	fx_done(&f);
}

static void
test_split_and_merge(void **state)
{
	struct fixture	f;
	double		g0[] = { 10, 40 };
	double		g1[] = { 10, 18, 22, 40 };	/* split */
	double		g3[] = { 10, 40, 60, 70 };	/* new at 60 */
	double		g4[] = { 5, 75 };		/* merge */
	unsigned	id0, idsplit;
	unsigned long	t;

	fx_init(&f);
	fx_gaps(&f, 50, 0, g0);
	fx_gaps(&f, 100, 1, g0);
	id0 = f.gaps[0].id;

	t = f.log.total;
	fx_gaps(&f, 200, 2, g1);
	/* The larger piece keeps the id; both keep open-since 100. */
	assert_int_equal(f.gaps[1].id, id0);
	idsplit = f.gaps[0].id;
	assert_int_not_equal(idsplit, id0);
	assert_true(f.gaps[0].open_since == 100);
	assert_true(f.gaps[1].open_since == 100);
	assert_int_equal(count_type(&f.log, t, EVENT_GAP_OPEN), 0);
	assert_int_equal(count_type(&f.log, t, EVENT_GAP_CHANGE), 2);
	fx_done(&f);

	fx_init(&f);
	fx_gaps(&f, 50, 0, g0);
	fx_gaps(&f, 100, 1, g0);
	id0 = f.gaps[0].id;
	fx_gaps(&f, 200, 2, g3);
	assert_int_not_equal(f.gaps[1].id, id0);
	assert_true(f.gaps[1].open_since == 200);
	t = f.log.total;
	fx_gaps(&f, 300, 1, g4);
	/* A merge keeps the oldest (opened at 100, not 200). */
	assert_int_equal(f.gaps[0].id, id0);
	assert_true(f.gaps[0].open_since == 100);
	assert_int_equal(count_type(&f.log, t, EVENT_GAP_CLOSE), 0);
	assert_true(count_type(&f.log, t, EVENT_GAP_CHANGE) >= 1);
	assert_non_null(strstr(events_get(&f.log, f.log.total - t - 1)->text,
	    "merged"));
	fx_done(&f);

	/* Four gaps closing into one: one event that names the three
	   merged into the survivor, not one identical line per gap. */
	{
		double		g5[] = { 10, 20, 30, 60, 70, 80, 90, 95 };
		double		g6[] = { 10, 95 };
		unsigned	ids[4];
		char		want[16];
		const char	*text;
		size_t		i;

		fx_init(&f);
		fx_gaps(&f, 100, 4, g5);
		for (i = 0; i < 4; i++)
			ids[i] = f.gaps[i].id;
		t = f.log.total;
		fx_gaps(&f, 200, 1, g6);
		/* All open at the start: the oldest is the lowest id,
		   not the one with the largest overlap (ids[1]). */
		assert_int_equal(f.gaps[0].id, ids[0]);
		assert_int_equal(count_type(&f.log, t, EVENT_GAP_CHANGE), 1);
		assert_int_equal(count_type(&f.log, t, EVENT_GAP_CLOSE), 0);
		text = events_get(&f.log, 0)->text;
		for (i = 1; i < 4; i++) {
			snprintf(want, sizeof want, "#%u", ids[i]);
			assert_non_null(strstr(text, want));
		}
		assert_non_null(strstr(text, "was 10.0 km"));
		fx_done(&f);
	}
}

/* The newest event's exposed flag, or -1 when no event was added. */
static int
exposed_since(const struct fixture *f, unsigned long t)
{
	size_t	i;
	int	x = -1;

	for (i = 0; i < f->log.total - t; i++)
		if (events_get(&f->log, i)->exposed)
			return (1);
		else
			x = 0;
	return (x);
}

/*
 * Border exposed past the alert length is flagged once per gap: when it
 * opens that long, or grows to it; never for a split piece, for a merge
 * of gaps that had reached it, or for gaps open at the start.
 */
static void
test_exposed(void **state)
{
	struct fixture	f;
	double		g0[] = { 10, 15, 100, 130 };
	double		g1[] = { 10, 22, 100, 130 };	/* grows past 10 */
	double		g2[] = { 10, 30, 100, 130 };	/* grows more */
	double		g3[] = { 10, 18, 20, 30, 100, 130 };	/* split */
	double		g4[] = { 10, 30, 100, 130 };	/* merged again */
	double		g5[] = { 10, 30, 50, 62, 100, 130 };	/* new, long */
	double		g6[] = { 10, 30, 50, 62, 70, 72, 100, 130 };
	unsigned long	t;

	(void)state;
	fx_init(&f);
	fx_gaps(&f, 0, 2, g0);	/* 100-130 is long but was open before */
	t = f.log.total;
	fx_gaps(&f, 100, 2, g1);
	assert_int_equal(exposed_since(&f, t), 1);
	t = f.log.total;
	fx_gaps(&f, 200, 2, g2);
	assert_int_equal(exposed_since(&f, t), 0);
	t = f.log.total;
	fx_gaps(&f, 300, 3, g3);
	assert_int_equal(exposed_since(&f, t), 0);
	t = f.log.total;
	fx_gaps(&f, 400, 2, g4);
	assert_int_equal(exposed_since(&f, t), 0);
	t = f.log.total;
	fx_gaps(&f, 500, 3, g5);
	assert_int_equal(exposed_since(&f, t), 1);
	assert_int_equal(events_get(&f.log, 0)->type, EVENT_GAP_OPEN);
	t = f.log.total;
	fx_gaps(&f, 600, 4, g6);
	assert_int_equal(exposed_since(&f, t), 0);	/* 2 km: too short */
	fx_done(&f);
}

/*
 * "gap changed" is coalesced: a gap creeping 1 km every 10 s for five
 * minutes says so at most once a minute, each time against what was last
 * said; crossing the alert length is said at once.
 */
static void
test_coalesced(void **state)
{
	struct fixture	f;
	double		g[2];
	unsigned long	t;
	size_t		n;
	int		i;

	(void)state;
	fx_init(&f);
	g[0] = 100;
	g[1] = 101;
	fx_gaps(&f, 0, 1, g);
	t = f.log.total;
	for (i = 1; i <= 30; i++) {
		g[1] = 101 + i * 0.8;
		fx_gaps(&f, 10.0 * i, 1, g);
		if (i == 12)		/* 10.6 km at 120 s: crossed */
			assert_int_equal(exposed_since(&f, f.log.total - 1),
			    1);
	}
	n = count_type(&f.log, t, EVENT_GAP_CHANGE);
	assert_true(n >= 4 && n <= 6);
	/* The newest says what it was when last said, not 10 s ago. */
	assert_non_null(strstr(events_get(&f.log, 0)->text, "was "));
	assert_null(strstr(events_get(&f.log, 0)->text, "was 24.2 km"));
	fx_done(&f);
}

static void
fx_unit(struct fixture *f, size_t i, const char *id, enum unit_state st,
    int across)
{
	struct pic_unit	*u = &f->units[i];

	memset(u, 0, sizeof *u);
	snprintf(u->r.id, sizeof u->r.id, "%s", id);
	snprintf(u->r.callsign, sizeof u->r.callsign, "CS-%s", id);
	u->r.side = SIDE_LEFT;
	u->sector[0] = u->sector[1] = -1;
	u->state = st;
	u->across = across;
	u->pl.s_km = 42.0;
	u->pl.d_km = -0.6;
	u->age_s = 400;
}

static void
test_unit_transitions(void **state)
{
	struct fixture		f;
	const struct event	*e;
	unsigned long		t;

	fx_init(&f);
	fx_unit(&f, 0, "a", STATE_FRESH, 0);
	fx_unit(&f, 1, "b", STATE_FRESH, 0);
	fx_unit(&f, 2, "c", STATE_STALE, 0);
	f.table.n = 3;
	gaptrack_update(&f.gt, &f.pic, &f.log);
	assert_int_equal(f.log.total, 0);

	fx_unit(&f, 0, "a", STATE_STALE, 0);
	fx_unit(&f, 1, "b", STATE_FRESH, 1);
	fx_unit(&f, 2, "c", STATE_FRESH, 0);
	fx_unit(&f, 3, "d", STATE_FRESH, 0);	/* new, not across: quiet */
	f.table.n = 4;
	t = f.log.total;
	gaptrack_update(&f.gt, &f.pic, &f.log);
	assert_int_equal(f.log.total - t, 3);
	assert_int_equal(count_type(&f.log, t, EVENT_UNIT_STALE), 1);
	assert_int_equal(count_type(&f.log, t, EVENT_ACROSS), 1);
	assert_int_equal(count_type(&f.log, t, EVENT_UNIT_BACK), 1);
	e = events_get(&f.log, 2);
	assert_int_equal(e->type, EVENT_UNIT_STALE);
	assert_string_equal(e->unit_id, "a");
	assert_int_equal(e->side, SIDE_LEFT);
	assert_non_null(strstr(e->text, "CS-a"));
	assert_non_null(strstr(e->text, "6 min"));
	e = events_get(&f.log, 1);
	assert_int_equal(e->type, EVENT_ACROSS);
	assert_non_null(strstr(e->text, "0.60 km into"));

	/* Stale to lost; across stays across: no repeat. */
	fx_unit(&f, 0, "a", STATE_LOST, 0);
	f.table.n = 3;
	t = f.log.total;
	gaptrack_update(&f.gt, &f.pic, &f.log);
	assert_int_equal(f.log.total - t, 1);
	assert_int_equal(events_get(&f.log, 0)->type, EVENT_UNIT_LOST);

	/* Lost back to fresh. */
	fx_unit(&f, 0, "a", STATE_FRESH, 0);
	t = f.log.total;
	gaptrack_update(&f.gt, &f.pic, &f.log);
	assert_int_equal(f.log.total - t, 1);
	assert_int_equal(events_get(&f.log, 0)->type, EVENT_UNIT_BACK);
	fx_done(&f);
}

static void
test_link_events(void **state)
{
	struct fixture		f;
	struct link_status	ls;

	fx_init(&f);
	memset(&ls, 0, sizeof ls);
	snprintf(ls.source, sizeof ls.source, "api.example");
	ls.state = LINK_WAIT;
	gaptrack_link(&f.gt, &ls, 0, &f.log);
	ls.state = LINK_OK;
	gaptrack_link(&f.gt, &ls, 10, &f.log);
	assert_int_equal(f.log.total, 0);
	ls.state = LINK_DOWN;
	snprintf(ls.error, sizeof ls.error, "HTTP 503");
	gaptrack_link(&f.gt, &ls, 20, &f.log);
	gaptrack_link(&f.gt, &ls, 30, &f.log);
	assert_int_equal(f.log.total, 1);
	assert_int_equal(events_get(&f.log, 0)->type, EVENT_LINK_DOWN);
	assert_non_null(strstr(events_get(&f.log, 0)->text, "HTTP 503"));
	ls.state = LINK_SLOW;
	gaptrack_link(&f.gt, &ls, 140, &f.log);
	assert_int_equal(f.log.total, 2);
	assert_int_equal(events_get(&f.log, 0)->type, EVENT_LINK_UP);
	assert_non_null(strstr(events_get(&f.log, 0)->text, "2 min"));
	fx_done(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_baseline_is_quiet),
		cmocka_unit_test(test_open_change_close),
		cmocka_unit_test(test_identity_needs_overlap),
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_exposed),
		cmocka_unit_test(test_coalesced),
		cmocka_unit_test(test_unit_transitions),
		cmocka_unit_test(test_link_events),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
