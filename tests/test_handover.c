/*
 * test_handover.c: the shift-handover report against an independent
 * recomputation.
 *
 * A seeded scenario is recorded to a journal every 10 s for an hour, as
 * the live program would (report times in whole seconds, as on the wire),
 * with the link down for five minutes in the middle.  The test then reads
 * the journal itself and walks the window second by second: every time at
 * which the picture can change (a record, a report going stale or lost)
 * is a whole second, so a picture built at the middle of each second is
 * the picture of that whole second.  Minutes uncovered per sector must
 * match handover_build()'s within 1 s, and the outage must be unknown.
 */
#include "config.h"

#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "coverage.h"
#include "handover.h"
#include "journal.h"
#include "scenario.h"
#include "text.h"
#include "testmap.h"
#include "xmalloc.h"

#define T0		1900000000.0
#define STEP		10.0
#define HOUR		3600.0
#define DOWN_AT		(T0 + 1200)
#define UP_AT		(T0 + 1500)
#define FROM		(T0 + 300)
#define TO		(T0 + 3300)
#define UNITS		500
#define MIN_GAP		30.0	/* km: sectors partly covered, not never */

static char	*jdir;

static void
rmtree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&p, "%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

/* The scenario's table as the wire carries it: whole-second times. */
static void
wire_table(struct scenario *sc, struct unit_table *t)
{
	const struct scenario_slot	*s;
	struct report			 r;
	size_t				 n, i;

	units_clear(t);
	s = scenario_slots(sc, &n);
	for (i = 0; i < n; i++) {
		if (!s[i].present)
			continue;
		r = s[i].r;
		r.time = floor(r.time);
		if (!isnan(r.stale_at))
			r.stale_at = floor(r.stale_at);
		units_set(t, &r);
	}
}

/* A request as the client knew it: sender side, kind, stretch. */
static void
req_rec(struct journal_req_rec *q, const char *id, int sender,
    enum req_kind kind, double a, double b, double created)
{
	int	k;

	memset(q, 0, sizeof *q);
	snprintf(q->id, sizeof q->id, "%s", id);
	q->sender = sender;
	q->addressee = 1 - sender;
	q->dir = sender == 0 ? JREQ_OURS : JREQ_THEIRS;
	q->kind = kind;
	q->a_km = a;
	q->b_km = b;
	q->counter_a_km = q->counter_b_km = NAN;
	snprintf(q->sector, sizeof q->sector, "%s", sender == 0 ? "SON" :
	    "TCA");
	snprintf(q->text, sizeof q->text, "cover please");
	q->created = created;
	q->expires = created + 7200;
	for (k = 0; k < REQ_STATE_COUNT; k++) {
		q->stamps[k].t = NAN;
		q->stamps[k].side = REQ_SIDE_SERVER;
	}
	if (isfinite(created)) {
		q->state = RS_SENT;
		q->stamps[RS_SENT].t = created;
		q->stamps[RS_SENT].side = sender;
	} else
		q->local = JREQ_QUEUED;
}

/* The request moves to st at t, stamped by side. */
static void
req_to(struct journal *j, struct journal_req_rec *q, enum req_state st,
    int side, double t)
{
	char	why[256];

	q->state = st;
	q->local = JREQ_SERVER;
	q->stamps[st].t = t;
	q->stamps[st].side = side;
	if (journal_request(j, t, q, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
}

#define NTHEIRS		11	/* theirs, open: more than the list shows */

/*
 * Requests of the shift: A (ours) asked and accepted before the window,
 * covering and closed in it; C (ours) declined before it (not counted);
 * D asked after it (not counted); E (ours) queued in it, never sent;
 * NTHEIRS of theirs delivered in it and still open.
 */
static void
record_requests(struct journal *j)
{
	struct journal_req_rec	q;
	char			why[256], id[32];
	int			i;

	req_rec(&q, "us-a-1", 0, REQ_COVER, 2000.5, 2003.25, T0 + 100);
	req_to(j, &q, RS_SENT, 0, T0 + 100);
	req_to(j, &q, RS_ACCEPTED, 1, T0 + 200);
	req_to(j, &q, RS_COVERING, 0, T0 + 600);
	req_to(j, &q, RS_CLOSED, 0, T0 + 800);
	req_rec(&q, "us-c-1", 0, REQ_COVER, 10, 20, T0 + 50);
	req_to(j, &q, RS_SENT, 0, T0 + 50);
	snprintf(q.reason, sizeof q.reason, "no units");
	req_to(j, &q, RS_DECLINED, 1, T0 + 250);
	req_rec(&q, "us-d-1", 0, REQ_INFO, 30, 31, T0 + 3400);
	req_to(j, &q, RS_SENT, 0, T0 + 3400);
	req_rec(&q, "us-e-1", 0, REQ_MESSAGE, 40, 41, NAN);
	if (journal_request(j, T0 + 2000, &q, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
	for (i = 0; i < NTHEIRS; i++) {
		snprintf(id, sizeof id, "mx-b-%d", i + 1);
		req_rec(&q, id, 1, REQ_COVER, 100 + i, 105 + i, T0 + 1000 + i);
		req_to(j, &q, RS_SENT, 1, T0 + 1000 + i);
		req_to(j, &q, RS_DELIVERED, -1, T0 + 1010 + i);
	}
}

static int
record_setup(void **state)
{
	struct journal_config	 cfg;
	struct journal		*j;
	struct scenario		*sc;
	struct unit_table	 t;
	struct link_status	 ls;
	char			 tmpl[] = "/tmp/test_handover.XXXXXX", why[512];
	double			 now;

	if (testmap_setup(state) != 0)
		return (-1);
	if (mkdtemp(tmpl) == NULL)
		return (-1);
	jdir = xstrdup(tmpl);
	journal_config_defaults(&cfg);
	cfg.dir = jdir;
	cfg.nosync = 1;
	if (journal_open(&cfg, &j, why, sizeof why) != BC_OK)
		return (-1);
	sc = scenario_new(map, 7, UNITS, T0);
	units_init(&t);
	memset(&ls, 0, sizeof ls);
	for (now = T0; now <= T0 + HOUR; now += STEP) {
		ls.state = now >= DOWN_AT && now < UP_AT ? LINK_DOWN : LINK_OK;
		snprintf(ls.error, sizeof ls.error, "%s", ls.state ==
		    LINK_DOWN ? "connection timed out" : "");
		if (journal_link(j, now, &ls, why, sizeof why) != BC_OK)
			return (-1);
		if ((now == T0 + 900 && journal_alert(j, now, 1,
		    "border exposed: 14 km", why, sizeof why) != BC_OK) ||
		    (now == T0 + 960 && journal_ack(j, now, 1, why,
		    sizeof why) != BC_OK) ||
		    (now == T0 + 1600 && journal_alert(j, now, 2,
		    "link was down 5 min", why, sizeof why) != BC_OK))
			return (-1);
		if (ls.state == LINK_DOWN)
			continue;	/* no answers: the table stays */
		scenario_advance(sc, now);
		wire_table(sc, &t);
		if (journal_table(j, now, &t, why, sizeof why) != BC_OK)
			return (-1);
	}
	record_requests(j);
	journal_close(j, NAN);
	units_done(&t);
	scenario_free(sc);
	return (0);
}

static int
record_teardown(void **state)
{
	rmtree(jdir);
	free(jdir);
	return (testmap_teardown(state));
}

/* Whether side's uncovered stretches (>= min km) meet [a, b]. */
static int
uncovered_in(const struct ivlist *cov, double len, double min, double a,
    double b)
{
	double	x = 0, y;
	size_t	i;

	/* Walk the holes between the covered intervals by hand. */
	for (i = 0; i <= cov->n; i++) {
		y = i < cov->n ? cov->v[i].a : len;
		if (y - x >= min - 1e-9 && fmin(y, b) - fmax(x, a) > 1e-9)
			return (1);
		if (i < cov->n)
			x = fmax(x, cov->v[i].b);
	}
	return (0);
}

static void
build(struct handover *h, struct journal_reader *rd)
{
	struct handover_config	 cfg;
	char			 why[512];

	memset(rd, 0, sizeof *rd);
	assert_int_equal(journal_read(jdir, FROM, TO, NULL, NULL, rd, why,
	    sizeof why), BC_OK);
	memset(&cfg, 0, sizeof cfg);
	cfg.map = map;
	picture_config_defaults(&cfg.pcfg);
	cfg.pcfg.min_gap_km = MIN_GAP;
	cfg.alert_gap_km = 10;
	cfg.from = FROM;
	cfg.to = TO;
	cfg.journal = jdir;
	assert_int_equal(handover_build(rd, &cfg, h, why, sizeof why), BC_OK);
}

static void
test_minutes_match(void **state)
{
	struct journal_reader	 rd;
	struct journal_decoder	 dec;
	struct journal_link_rec	 l;
	struct handover		 h;
	struct unit_table	 units;
	struct picture		 pic;
	struct picture_config	 pcfg;
	struct ivlist		 both;
	double			*own[NSIDES], *joint[NSIDES], s, unknown = 0;
	double			 known = 0, worst = 0;
	char			 why[512];
	size_t			 i = 0, k, checked = 0;
	int			 side, down = 0;

	(void)state;
	build(&h, &rd);

	picture_config_defaults(&pcfg);
	pcfg.min_gap_km = MIN_GAP;
	journal_decoder_init(&dec);
	units_init(&units);
	picture_init(&pic);
	ivlist_init(&both);
	for (side = 0; side < NSIDES; side++) {
		own[side] = xcalloc(map->nsectors[side], sizeof(double));
		joint[side] = xcalloc(map->nsectors[side], sizeof(double));
	}
	for (s = rd.v[0].time; s < TO; s += 1) {
		for (; i < rd.n && rd.v[i].time <= s; i++) {
			if (rd.v[i].type == JOURNAL_KEY ||
			    rd.v[i].type == JOURNAL_DELTA)
				assert_int_equal(journal_apply(&dec, &rd.v[i],
				    &units, why, sizeof why), BC_OK);
			if (rd.v[i].type == JOURNAL_LINK) {
				assert_int_equal(journal_decode_link(&rd.v[i],
				    &l), BC_OK);
				down = l.state == LINK_DOWN;
			}
		}
		if (s < FROM)
			continue;
		if (down) {
			unknown++;
			continue;
		}
		known++;
		picture_build(&pic, map, &units, &pcfg, s + 0.5);
		both.n = 0;
		for (side = 0; side < NSIDES; side++)
			for (k = 0; k < pic.cov[side].n; k++)
				ivlist_add(&both, pic.cov[side].v[k].a,
				    pic.cov[side].v[k].b);
		ivlist_normalize(&both, 0);
		for (side = 0; side < NSIDES; side++)
			for (k = 0; k < map->nsectors[side]; k++) {
				const struct sector *sec =
				    &map->sectors[side][k];

				own[side][k] += uncovered_in(&pic.cov[side],
				    map->length_km, pcfg.min_gap_km,
				    sec->start_km, sec->end_km);
				joint[side][k] += uncovered_in(&both,
				    map->length_km, pcfg.min_gap_km,
				    sec->start_km, sec->end_km);
			}
	}

	/* The outage is unknown time, all of it, and nothing else is. */
	assert_true(unknown == UP_AT - DOWN_AT);
	assert_true(fabs(h.unknown_s - unknown) <= 1);
	assert_true(fabs(h.known_s - known) <= 1);
	assert_true(fabs(h.outage_s - (UP_AT - DOWN_AT)) <= 1e-6);
	assert_int_equal(h.noutages, 1);
	assert_true(h.outages[0].from == DOWN_AT);
	assert_true(h.outages[0].to == UP_AT);
	assert_string_equal(h.outages[0].error, "connection timed out");

	for (side = 0; side < NSIDES; side++)
		for (k = 0; k < map->nsectors[side]; k++) {
			worst = fmax(worst, fabs(h.own_s[side][k] -
			    own[side][k]));
			worst = fmax(worst, fabs(h.joint_s[side][k] -
			    joint[side][k]));
			assert_true(fabs(h.own_s[side][k] - own[side][k]) <=
			    1);
			assert_true(fabs(h.joint_s[side][k] -
			    joint[side][k]) <= 1);
			assert_true(h.own_s[side][k] <= known + 1);
			if (own[side][k] > 0 && own[side][k] < known)
				checked++;
		}
	/* Not all zero or all full: the figures say something. */
	assert_true(checked >= 3);
	print_message("worst sector difference %.3f s, %zu sectors partly "
	    "uncovered\n", worst, checked);

	/* Alerts: two raised, one acknowledged. */
	assert_int_equal(h.nalerts, 2);
	assert_int_equal(h.nacked, 1);
	assert_true(h.alerts[0].acked == T0 + 960);

	for (side = 0; side < NSIDES; side++) {
		free(own[side]);
		free(joint[side]);
	}
	ivlist_done(&both);
	picture_done(&pic);
	units_done(&units);
	journal_decoder_done(&dec);
	journal_reader_done(&rd);
	handover_done(&h);
}

/* The text fits 80 columns and says what it left out; the JSON holds
   the documented fields with the same figures. */
static void
test_text_and_json(void **state)
{
	struct journal_reader	 rd;
	struct handover		 h;
	char			*text, *line, *save, *wide;
	char			 wname[] = "\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1"
				    "\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac\xe6\x9d\xb1\xe4\xba\xac"
				    "\xe6\x9d\xb1\xe4\xba\xac";
	size_t			 len, k;
	FILE			*f;
	cJSON			*root, *secs, *o, *x;
	int			 side, idx;

	(void)state;
	build(&h, &rd);
	/* A sector name of wide characters (two columns each) is fitted by
	   columns, not by characters. */
	wide = map->sectors[0][0].name;
	map->sectors[0][0].name = wname;
	f = open_memstream(&text, &len);
	assert_int_equal(handover_text(f, &h), BC_OK);
	fclose(f);
	map->sectors[0][0].name = wide;
	assert_non_null(strstr(text, "SHIFT HANDOVER  2030-03-17T17:51:40Z "
	    "to 2030-03-17T18:41:40Z (50 min)"));
	assert_non_null(strstr(text, "LINK OUTAGES (1, 5 min, counted as "
	    "unknown)"));
	assert_non_null(strstr(text, "18:06:40-18:11:40 5 min      "
	    "connection timed out"));
	assert_non_null(strstr(text, "ALERTS  raised 2, acknowledged 1, "
	    "open 1"));
	assert_non_null(strstr(text, "LONGEST GAPS ("));
	if (h.ntimeline > HANDOVER_TIMELINE)
		assert_non_null(strstr(text, "more not shown"));
	k = 0;
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (text_cols(line, 1) > 80)
			fail_msg("line over 80 columns: %s", line);
		/* The wide name's row is as wide as the next sector's. */
		if (k > 0) {
			assert_int_equal(text_cols(line, 1), (int)k);
			k = 0;
		}
		if (strstr(line, "\xe6\x9d\xb1\xe4\xba\xac") != NULL)
			k = (size_t)text_cols(line, 1);
	}
	free(text);

	f = open_memstream(&text, &len);
	assert_int_equal(handover_json(f, &h), BC_OK);
	fclose(f);
	root = cJSON_Parse(text);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "handover")->valuestring,
	    "bordercop-handover/1");
	assert_true(fabs(cJSON_GetObjectItem(root, "unknown_min")->valuedouble
	    - 5) < 0.02);
	secs = cJSON_GetObjectItem(root, "sectors");
	assert_true(cJSON_IsArray(secs));
	idx = 0;
	for (side = 0; side < NSIDES; side++)
		for (k = 0; k < map->nsectors[side]; k++, idx++) {
			o = cJSON_GetArrayItem(secs, idx);
			assert_string_equal(cJSON_GetObjectItem(o, "side")->
			    valuestring, map->sides[side].code);
			x = cJSON_GetObjectItem(o, "own_uncovered_min");
			assert_true(fabs(x->valuedouble - h.own_s[side][k] /
			    60) < 0.001);
		}
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(root, "gaps")));
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(root, "open_at_end")));
	assert_true(cJSON_IsBool(cJSON_GetObjectItem(root, "end_known")));
	o = cJSON_GetObjectItem(root, "alerts");
	assert_int_equal(cJSON_GetObjectItem(o, "raised")->valueint, 2);
	o = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "link_outages"), 0);
	assert_string_equal(cJSON_GetObjectItem(o, "from")->valuestring,
	    "2030-03-17T18:06:40Z");
	cJSON_Delete(root);
	free(text);
	journal_reader_done(&rd);
	handover_done(&h);
}

/* The longest gaps are sorted, within the window, with ids and places;
   the gaps open at the end are those of the last picture. */
static void
test_gaps(void **state)
{
	struct journal_reader	 rd;
	struct handover		 h;
	size_t			 i;

	(void)state;
	build(&h, &rd);
	assert_true(h.ngaps > 0);
	for (i = 0; i < h.ngaps; i++) {
		assert_true(h.gaps[i].id > 0);
		assert_true(h.gaps[i].open_s > 0);
		assert_true(h.gaps[i].open_s <= h.known_s + 1e-6);
		assert_true(h.gaps[i].near[0] != '\0');
		if (i > 0)
			assert_true(h.gaps[i].open_s <= h.gaps[i - 1].open_s);
	}
	assert_true(h.end_known);
	for (i = 0; i < h.nopen; i++)
		assert_true(isnan(h.open[i].closed));
	journal_reader_done(&rd);
	handover_done(&h);
}

/*
 * Two sessions with the program stopped between them, then the journal's
 * end: the stop (from the first session's END to the second's keyframe)
 * is unknown, and so is the time past the last record beyond
 * --stale-after; the rest is known.
 */
static void
test_sessions(void **state)
{
	struct journal_config	 cfg;
	struct journal		*j;
	struct journal_reader	 rd;
	struct handover_config	 hc;
	struct handover		 h;
	struct scenario		*sc;
	struct unit_table	 t;
	char			 tmpl[] = "/tmp/test_handover2.XXXXXX", why[512];
	double			 now, a = T0 + 7200;

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	journal_config_defaults(&cfg);
	cfg.dir = tmpl;
	cfg.nosync = 1;
	sc = scenario_new(map, 3, 100, a);
	units_init(&t);
	assert_int_equal(journal_open(&cfg, &j, why, sizeof why), BC_OK);
	for (now = a; now <= a + 600; now += STEP) {
		scenario_advance(sc, now);
		wire_table(sc, &t);
		assert_int_equal(journal_table(j, now, &t, why, sizeof why),
		    BC_OK);
	}
	journal_close(j, a + 600);
	assert_int_equal(journal_open(&cfg, &j, why, sizeof why), BC_OK);
	for (now = a + 1200; now <= a + 1800; now += STEP) {
		scenario_advance(sc, now);
		wire_table(sc, &t);
		assert_int_equal(journal_table(j, now, &t, why, sizeof why),
		    BC_OK);
	}
	journal_close(j, NAN);		/* as if killed: no END */

	memset(&rd, 0, sizeof rd);
	assert_int_equal(journal_read(tmpl, a, a + 3000, NULL, NULL, &rd,
	    why, sizeof why), BC_OK);
	memset(&hc, 0, sizeof hc);
	hc.map = map;
	picture_config_defaults(&hc.pcfg);
	hc.from = a - 300;
	hc.to = a + 3000;
	hc.alert_gap_km = 10;
	assert_int_equal(handover_build(&rd, &hc, &h, why, sizeof why), BC_OK);
	/* Known: a to a+600, a+1200 to a+1800+300 (stale_after past the
	   last record); unknown: 300 before, 600 between, 900 after. */
	assert_true(fabs(h.known_s - (600 + 900)) < 1e-6);
	assert_true(fabs(h.unknown_s - (300 + 600 + 900)) < 1e-6);
	assert_false(h.end_known);
	assert_true(h.outage_s == 0);
	handover_done(&h);
	journal_reader_done(&rd);
	units_done(&t);
	scenario_free(sc);
	rmtree(tmpl);
}

/*
 * Requests by state: those open at some time in the window, as they
 * stood at its end; counts by state and direction match a count of the
 * records made here; the text names them within 80 columns and says how
 * many it left out; the JSON holds the documented fields.
 */
static void
test_requests(void **state)
{
	struct journal_reader	 rd;
	struct handover		 h;
	const struct handover_req *a = NULL;
	char			*text, *line, *save;
	size_t			 len, i, listed = 0;
	FILE			*f;
	cJSON			*root, *o, *x, *items;
	int			 found = 0;

	(void)state;
	build(&h, &rd);
	assert_int_equal(h.nreqs, 2 + NTHEIRS);
	assert_int_equal(h.req_dir[JREQ_OURS], 2);
	assert_int_equal(h.req_dir[JREQ_THEIRS], NTHEIRS);
	assert_int_equal(h.req_by[RS_CLOSED][JREQ_OURS], 1);
	assert_int_equal(h.req_by[HREQ_QUEUED][JREQ_OURS], 1);
	assert_int_equal(h.req_by[RS_DELIVERED][JREQ_THEIRS], NTHEIRS);
	assert_int_equal(h.req_by[RS_DECLINED][JREQ_OURS], 0);
	assert_int_equal(h.req_open, 1 + NTHEIRS);
	/* Open first: the closed one is last. */
	a = &h.reqs[h.nreqs - 1];
	assert_string_equal(a->q.id, "us-a-1");
	assert_int_equal(a->state, RS_CLOSED);
	assert_true(a->q.stamps[RS_ACCEPTED].t == T0 + 200);
	assert_true(a->q.stamps[RS_COVERING].t == T0 + 600);
	for (i = 0; i < h.ntimeline; i++)
		if (h.timeline[i].kind == HITEM_REQUEST &&
		    strstr(h.timeline[i].text, "us-a-1") != NULL) {
			found++;
			/* Only changes in the window: covering, closed. */
			assert_true(h.timeline[i].time >= FROM);
		}
	assert_int_equal(found, 2);

	f = open_memstream(&text, &len);
	assert_int_equal(handover_text(f, &h), BC_OK);
	fclose(f);
	assert_non_null(strstr(text, "REQUESTS (13: ours 2, theirs 11; open "
	    "at the end 12)"));
	assert_non_null(strstr(text, "  delivered             0      11\n"));
	assert_non_null(strstr(text, "  closed                1       0\n"));
	assert_non_null(strstr(text, "  queued                1       0\n"));
	assert_null(strstr(text, "declined"));
	assert_non_null(strstr(text, "  ... 1 more not shown\n"));
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (text_cols(line, 1) > 80)
			fail_msg("line over 80 columns: %s", line);
		if (strncmp(line, "  mx-b-", 7) == 0 ||
		    strncmp(line, "  us-", 5) == 0)
			listed++;
		if (strncmp(line, "  us-e-1 ", 9) == 0)
			assert_non_null(strstr(line, "US>MX message "
			    "40.0-41.0     SON  queued    "));
	}
	assert_int_equal(listed, HANDOVER_REQS);
	free(text);

	f = open_memstream(&text, &len);
	assert_int_equal(handover_json(f, &h), BC_OK);
	fclose(f);
	root = cJSON_Parse(text);
	assert_non_null(root);
	o = cJSON_GetObjectItem(root, "requests");
	assert_non_null(o);
	assert_int_equal(cJSON_GetObjectItem(o, "total")->valueint, 13);
	assert_int_equal(cJSON_GetObjectItem(o, "ours")->valueint, 2);
	assert_int_equal(cJSON_GetObjectItem(o, "theirs")->valueint, 11);
	assert_int_equal(cJSON_GetObjectItem(o, "open_at_end")->valueint, 12);
	x = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "by_state"),
	    "delivered");
	assert_int_equal(cJSON_GetObjectItem(x, "theirs")->valueint, 11);
	items = cJSON_GetObjectItem(o, "items");
	assert_int_equal(cJSON_GetArraySize(items), 13);
	x = cJSON_GetArrayItem(items, 12);
	assert_string_equal(cJSON_GetObjectItem(x, "id")->valuestring,
	    "us-a-1");
	assert_string_equal(cJSON_GetObjectItem(x, "state")->valuestring,
	    "closed");
	assert_string_equal(cJSON_GetObjectItem(x, "direction")->valuestring,
	    "ours");
	assert_string_equal(cJSON_GetObjectItem(x, "answer")->valuestring,
	    "accepted");
	assert_string_equal(cJSON_GetObjectItem(x, "from_side")->valuestring,
	    "US");
	assert_string_equal(cJSON_GetObjectItem(x, "sector")->valuestring,
	    "SON");
	assert_true(cJSON_GetObjectItem(x, "from_km")->valuedouble == 2000.5);
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(x, "open")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(x, "expired")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(x, "gap")));
	assert_string_equal(cJSON_GetObjectItem(x, "asked")->valuestring,
	    "2030-03-17T17:48:20Z");
	assert_string_equal(cJSON_GetObjectItem(x, "covering")->valuestring,
	    "2030-03-17T17:56:40Z");
	cJSON_Delete(root);
	free(text);
	journal_reader_done(&rd);
	handover_done(&h);
}

/* The report's durations come from the text module. */
static void
test_durations(void **state)
{
	char	buf[32];

	(void)state;
	text_dur(40.4, buf, sizeof buf);
	assert_string_equal(buf, "40 s");
	text_dur(14 * 60 + 59, buf, sizeof buf);
	assert_string_equal(buf, "14 min");
	text_dur(2 * 3600 + 5 * 60 + 10, buf, sizeof buf);
	assert_string_equal(buf, "2 h 05 min");
	text_dur(NAN, buf, sizeof buf);
	assert_string_equal(buf, "0 s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minutes_match),
		cmocka_unit_test(test_text_and_json),
		cmocka_unit_test(test_gaps),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_durations),
	};

	return (cmocka_run_group_tests(tests, record_setup,
	    record_teardown));
}
