/*
 * test_journal.c: the journal: round trip of the unit table through
 * keyframes and deltas, a cut or flipped last record (every byte of it),
 * the lock, retention and compression; requests recorded as a client's
 * book holds them, and a cut last REQUEST record.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/time.h>

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "journal.h"
#include "replay.h"
#include "reqbook.h"
#include "scenario.h"
#include "testmap.h"
#include "xmalloc.h"

#define T0	1.9e9		/* 2030-03-17, a picture clock */

struct warns {
	unsigned	n;
	char		last[1200];
};

static void
count_warn(void *arg, const char *msg)
{
	struct warns	*w = arg;

	w->n++;
	snprintf(w->last, sizeof w->last, "%s", msg);
}

static char *
tmpdir(void)
{
	char	tmpl[] = "/tmp/test_journal.XXXXXX", *d;

	d = mkdtemp(tmpl);
	assert_non_null(d);
	return (xstrdup(d));
}

static void
rmtree(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	char		*p;

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		xasprintf(&p, "%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

static struct journal *
open_journal(const char *dir, struct warns *w)
{
	struct journal_config	 cfg;
	struct journal		*j;
	char			 why[512];

	journal_config_defaults(&cfg);
	cfg.dir = dir;
	cfg.nosync = 1;
	cfg.warn = count_warn;
	cfg.warn_arg = w;
	assert_int_equal(journal_open(&cfg, &j, why, sizeof why), BC_OK);
	return (j);
}

static int
same_num(double a, double b)
{
	return (memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b)));
}

/* The two tables hold the same reports, field for field, bit for bit. */
static void
assert_same_table(struct unit_table *a, struct unit_table *b)
{
	const struct report	*x, *y;
	struct unit		*u;
	size_t			 i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		x = &a->v[i].r;
		u = units_find(b, x->id);
		assert_non_null(u);
		y = &u->r;
		assert_int_equal(x->side, y->side);
		assert_string_equal(x->agency, y->agency);
		assert_string_equal(x->callsign, y->callsign);
		assert_string_equal(x->kind_text, y->kind_text);
		assert_string_equal(x->status_text, y->status_text);
		assert_int_equal(x->kind, y->kind);
		assert_int_equal(x->status, y->status);
		assert_true(x->seq == y->seq);
		assert_true(same_num(x->lat, y->lat));
		assert_true(same_num(x->lon, y->lon));
		assert_true(same_num(x->time, y->time));
		assert_true(same_num(x->stale_at, y->stale_at));
		assert_true(same_num(x->heading_deg, y->heading_deg));
		assert_true(same_num(x->speed_kmh, y->speed_kmh));
		assert_true(same_num(x->radius_km, y->radius_km));
		assert_true(same_num(x->ce_m, y->ce_m));
	}
}

/* The scenario's present units as a table. */
static void
scenario_table(struct scenario *sc, struct unit_table *t)
{
	const struct scenario_slot	*s;
	size_t				 n, i;

	units_clear(t);
	s = scenario_slots(sc, &n);
	for (i = 0; i < n; i++)
		if (s[i].present)
			units_set(t, &s[i].r);
}

/*
 * An hour of the scenario recorded every 10 s, then replayed record by
 * record: after each table record the replayed table is the recorded
 * one.  Numbers that are not whole counts (an odd position, an infinite
 * or NaN field) come back exactly too.
 */
static void
test_roundtrip(void **state)
{
	struct scenario		*sc;
	struct unit_table	 rec, *snaps, back;
	struct journal		*j;
	struct journal_reader	 rd;
	struct journal_decoder	 dec;
	struct warns		 w = { 0 };
	struct unit		*u;
	char			*dir = tmpdir(), why[512];
	size_t			 i, k, nsnap = 360, keys = 0, deltas = 0;

	(void)state;
	sc = scenario_new(map, 5, 200, T0);
	units_init(&rec);
	snaps = xcalloc(nsnap, sizeof *snaps);
	j = open_journal(dir, &w);
	for (i = 0; i < nsnap; i++) {
		scenario_advance(sc, T0 + 10.0 * i);
		scenario_table(sc, &rec);
		if (i == 7 && (u = units_find(&rec, rec.v[3].r.id)) != NULL) {
			u->r.lat = 31.123456789012345;
			u->r.speed_kmh = INFINITY;
			u->r.heading_deg = -0.0;
			u->r.seq = INT64_MAX;
		}
		units_init(&snaps[i]);
		for (k = 0; k < rec.n; k++)
			units_set(&snaps[i], &rec.v[k].r);
		assert_int_equal(journal_table(j, T0 + 10.0 * i, &rec, why,
		    sizeof why), BC_OK);
	}
	journal_close(j, T0 + 10.0 * nsnap);

	assert_int_equal(journal_read(dir, NAN, NAN, count_warn, &w, &rd,
	    why, sizeof why), BC_OK);
	assert_int_equal(w.n, 0);
	journal_decoder_init(&dec);
	units_init(&back);
	for (i = 0, k = 0; i < rd.n; i++) {
		if (rd.v[i].type != JOURNAL_KEY &&
		    rd.v[i].type != JOURNAL_DELTA)
			continue;
		keys += rd.v[i].type == JOURNAL_KEY;
		deltas += rd.v[i].type == JOURNAL_DELTA;
		assert_int_equal(journal_apply(&dec, &rd.v[i], &back, why,
		    sizeof why), BC_OK);
		/* A record per snapshot that changed: find its snapshot. */
		while (k < nsnap && T0 + 10.0 * k < rd.v[i].time)
			k++;
		assert_true(T0 + 10.0 * k == rd.v[i].time);
		assert_same_table(&snaps[k], &back);
	}
	/* A keyframe every 600 s of the hour, deltas between. */
	assert_int_equal(keys, 6);
	assert_true(deltas > 300);
	assert_int_equal(rd.v[0].type, JOURNAL_SESSION);
	assert_int_equal(rd.v[rd.n - 1].type, JOURNAL_END);

	journal_decoder_done(&dec);
	journal_reader_done(&rd);
	units_done(&back);
	for (i = 0; i < nsnap; i++)
		units_done(&snaps[i]);
	free(snaps);
	units_done(&rec);
	scenario_free(sc);
	rmtree(dir);
	free(dir);
}

/* A delta is smaller than the keyframe, and both are compressed. */
static void
test_compressed_and_small(void **state)
{
	struct scenario		*sc;
	struct unit_table	 t;
	struct journal		*j;
	struct warns		 w = { 0 };
	char			*dir = tmpdir(), why[512];
	uint64_t		 b0, key, delta;

	(void)state;
	sc = scenario_new(map, 3, 500, T0);
	units_init(&t);
	j = open_journal(dir, &w);
	scenario_table(sc, &t);
	/* The session record first, so that the keyframe is alone. */
	assert_int_equal(journal_append(j, JOURNAL_SESSION, T0, "x", 1, why,
	    sizeof why), BC_OK);
	b0 = journal_bytes(j);
	assert_int_equal(journal_table(j, T0, &t, why, sizeof why), BC_OK);
	key = journal_bytes(j) - b0;
	scenario_advance(sc, T0 + 10);
	scenario_table(sc, &t);
	b0 = journal_bytes(j);
	assert_int_equal(journal_table(j, T0 + 10, &t, why, sizeof why),
	    BC_OK);
	delta = journal_bytes(j) - b0;
	/* 500 units: a keyframe well under 100 bytes a unit, a 10 s delta
	   a small part of it. */
	assert_true(key < 500 * 60);
	assert_true(delta > 0 && delta < key / 4);
	/* Nothing changed: nothing written. */
	b0 = journal_bytes(j);
	assert_int_equal(journal_table(j, T0 + 11, &t, why, sizeof why),
	    BC_OK);
	assert_int_equal(journal_bytes(j), b0);
	journal_close(j, NAN);
	units_done(&t);
	scenario_free(sc);
	rmtree(dir);
	free(dir);
}

/* Write a small journal; return its day file's path, and the offsets of
   the last record (start, end). */
static char *
write_some(const char *dir, size_t *nrec, off_t *start, off_t *end)
{
	struct journal		*j;
	struct warns		 w = { 0 };
	struct event		 e;
	struct link_status	 ls;
	struct stat		 st;
	char			 why[512], *path, name[64];
	int			 i;

	j = open_journal(dir, &w);
	memset(&ls, 0, sizeof ls);
	ls.state = LINK_OK;
	assert_int_equal(journal_link(j, T0, &ls, why, sizeof why), BC_OK);
	for (i = 0; i < 5; i++) {
		memset(&e, 0, sizeof e);
		e.time = T0 + i;
		e.type = EVENT_GAP_OPEN;
		e.side = SIDE_NONE;
		e.km = 100.5 + i;
		e.gap_id = (unsigned)i + 1;
		snprintf(e.text, sizeof e.text, "gap %d opened: a text long "
		    "enough to be compressed, gap %d opened", i, i);
		assert_int_equal(journal_event(j, &e, why, sizeof why),
		    BC_OK);
	}
	assert_int_equal(journal_alert(j, T0 + 6, 9, "border exposed",
	    why, sizeof why), BC_OK);
	snprintf(name, sizeof name, "%s", "2030-03-17.bcj");
	xasprintf(&path, "%s/%s", dir, name);
	assert_int_equal(stat(path, &st), 0);
	*start = st.st_size;
	assert_int_equal(journal_ack(j, T0 + 7, 9, why, sizeof why), BC_OK);
	assert_int_equal(stat(path, &st), 0);
	*end = st.st_size;
	/* session, link, 5 events, alert, ack */
	*nrec = 9;
	journal_close(j, NAN);
	return (path);
}

static unsigned char *
slurp(const char *path, size_t *len)
{
	FILE		*f = fopen(path, "rb");
	unsigned char	*b;
	long		 n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	b = xmalloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return (b);
}

static void
spit(const char *path, const unsigned char *b, size_t len)
{
	FILE	*f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, len, f), len);
	fclose(f);
}

/* Every record before the last is read back whole, the events too. */
static void
assert_earlier(struct journal_reader *rd, size_t want)
{
	struct event		 e;
	struct journal_link_rec	 l;
	struct journal_alert_rec a;
	size_t			 i;

	assert_int_equal(rd->n, want);
	assert_int_equal(rd->v[0].type, JOURNAL_SESSION);
	assert_int_equal(journal_decode_link(&rd->v[1], &l), BC_OK);
	assert_int_equal(l.state, LINK_OK);
	for (i = 0; i < 5; i++) {
		assert_int_equal(journal_decode_event(&rd->v[2 + i], &e),
		    BC_OK);
		assert_true(e.time == T0 + i);
		assert_int_equal(e.gap_id, i + 1);
		assert_true(e.km == 100.5 + i);
		assert_int_equal(e.side, SIDE_NONE);
		assert_non_null(strstr(e.text, "opened"));
	}
	assert_int_equal(journal_decode_alert(&rd->v[7], &a), BC_OK);
	assert_int_equal(a.id, 9);
	assert_string_equal(a.text, "border exposed");
}

/*
 * The last record cut at every byte offset inside it, then flipped at
 * every byte: the reader gets every earlier record and one warning; the
 * writer opening the cut file gets one warning, cuts the tail, and its
 * next record follows the last good one.
 */
static void
test_torn_tail(void **state)
{
	struct journal_reader	 rd;
	struct journal		*j;
	struct warns		 w;
	unsigned char		*whole, *b;
	char			*dir = tmpdir(), *path, why[512];
	size_t			 len, nrec, cut, k;
	off_t			 start, end;

	(void)state;
	path = write_some(dir, &nrec, &start, &end);
	whole = slurp(path, &len);
	assert_int_equal(len, (size_t)end);
	assert_true(end - start > 28);

	/* Whole: all records, no warning. */
	memset(&rd, 0, sizeof rd);
	memset(&w, 0, sizeof w);
	assert_int_equal(journal_read_file(path, count_warn, &w, &rd, why,
	    sizeof why), BC_OK);
	assert_int_equal(rd.n, nrec);
	assert_int_equal(w.n, 0);
	journal_reader_done(&rd);

	for (cut = (size_t)start + 1; cut < (size_t)end; cut++) {
		spit(path, whole, cut);
		memset(&rd, 0, sizeof rd);
		memset(&w, 0, sizeof w);
		assert_int_equal(journal_read_file(path, count_warn, &w, &rd,
		    why, sizeof why), BC_OK);
		assert_earlier(&rd, nrec - 1);
		assert_int_equal(w.n, 1);
		assert_int_equal(rd.warnings, 1);
		assert_non_null(strstr(w.last, "torn or corrupt"));
		journal_reader_done(&rd);
	}

	for (k = (size_t)start; k < (size_t)end; k++) {
		b = xmalloc(len);
		memcpy(b, whole, len);
		b[k] ^= 0x5a;
		spit(path, b, len);
		free(b);
		memset(&rd, 0, sizeof rd);
		memset(&w, 0, sizeof w);
		assert_int_equal(journal_read_file(path, count_warn, &w, &rd,
		    why, sizeof why), BC_OK);
		assert_earlier(&rd, nrec - 1);
		assert_int_equal(w.n, 1);
		journal_reader_done(&rd);
	}

	/* The next run: one warning, the tail cut, appended after it. */
	spit(path, whole, (size_t)start + 11);
	memset(&w, 0, sizeof w);
	j = open_journal(dir, &w);
	assert_int_equal(journal_ack(j, T0 + 8, 10, why, sizeof why), BC_OK);
	journal_close(j, NAN);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.last, "cut off"));
	memset(&rd, 0, sizeof rd);
	memset(&w, 0, sizeof w);
	assert_int_equal(journal_read_file(path, count_warn, &w, &rd, why,
	    sizeof why), BC_OK);
	assert_int_equal(w.n, 0);
	/* the earlier ones, the new session and its ack */
	assert_int_equal(rd.n, nrec - 1 + 2);
	assert_int_equal(rd.v[nrec - 1].type, JOURNAL_SESSION);
	assert_int_equal(rd.v[nrec].type, JOURNAL_ACK);
	assert_true(rd.v[nrec].time == T0 + 8);
	journal_reader_done(&rd);

	free(whole);
	free(path);
	rmtree(dir);
	free(dir);
}

/* A bad stretch in the middle is skipped; the records after it stay. */
static void
test_corrupt_middle(void **state)
{
	struct journal_reader	 rd;
	struct warns		 w = { 0 };
	unsigned char		*b;
	char			*dir = tmpdir(), *path, why[512];
	size_t			 len, nrec;
	off_t			 start, end;

	(void)state;
	path = write_some(dir, &nrec, &start, &end);
	b = slurp(path, &len);
	/* In the third record (the first event): 16 magic + 2 records. */
	b[200] ^= 0xff;
	spit(path, b, len);
	memset(&rd, 0, sizeof rd);
	assert_int_equal(journal_read_file(path, count_warn, &w, &rd, why,
	    sizeof why), BC_OK);
	assert_int_equal(w.n, 1);
	assert_non_null(strstr(w.last, "skipped"));
	assert_int_equal(rd.n, nrec - 1);
	assert_int_equal(rd.v[rd.n - 1].type, JOURNAL_ACK);
	journal_reader_done(&rd);
	free(b);
	free(path);
	rmtree(dir);
	free(dir);
}

/* A second writer on the same directory is refused, naming the pid. */
static void
test_lock(void **state)
{
	struct journal_config	 cfg;
	struct journal		*j, *j2;
	struct warns		 w = { 0 };
	char			*dir = tmpdir(), why[512], pid[32];

	(void)state;
	j = open_journal(dir, &w);
	journal_config_defaults(&cfg);
	cfg.dir = dir;
	assert_int_equal(journal_open(&cfg, &j2, why, sizeof why),
	    BC_USAGE);
	assert_null(j2);
	assert_non_null(strstr(why, "in use by another bordercop"));
	snprintf(pid, sizeof pid, "pid %ld", (long)getpid());
	assert_non_null(strstr(why, pid));
	journal_close(j, NAN);
	/* Released: the next one may. */
	assert_int_equal(journal_open(&cfg, &j2, why, sizeof why),
	    BC_OK);
	journal_close(j2, NAN);
	rmtree(dir);
	free(dir);
}

/*
 * Whole day files older than keep days go, by the picture clock of the
 * first record and by this machine's clock both; newer ones, the day in
 * use and other files stay.  Opening alone deletes nothing: the picture
 * clock may be days from this machine's.
 */
static void
test_keep(void **state)
{
	struct journal_config	 cfg;
	struct journal		*j;
	struct link_status	 ls;
	struct stat		 st;
	struct timeval		 old[2] = { { 1000000000, 0 },
				    { 1000000000, 0 } };
	char			*dir = tmpdir(), why[512], *p;
	const char		*names[] = { "2030-03-01.bcj", "2030-03-02.bcj",
				    "2030-03-03.bcj", "2030-03-16.bcj",
				    "2030-03-17.bcj", "notes.txt" };
	/* 03-02 was written a moment ago by this machine's clock. */
	const int		 fresh[] = { 0, 1, 0, 0, 0, 0 };
	const int		 kept[] = { 0, 1, 1, 1, 1, 1 };
	size_t			 i;

	(void)state;
	for (i = 0; i < 6; i++) {
		xasprintf(&p, "%s/%s", dir, names[i]);
		spit(p, (const unsigned char *)"bordercop-jrnl1\n", 16);
		if (!fresh[i])
			assert_int_equal(utimes(p, old), 0);
		free(p);
	}
	journal_config_defaults(&cfg);
	cfg.dir = dir;
	cfg.nosync = 1;
	assert_int_equal(journal_open(&cfg, &j, why, sizeof why), BC_OK);
	for (i = 0; i < 6; i++) {
		xasprintf(&p, "%s/%s", dir, names[i]);
		assert_int_equal(stat(p, &st), 0);
		free(p);
	}
	/* T0 is 2030-03-17T17:46:40Z: 14 days back ends 03-03 00:00. */
	memset(&ls, 0, sizeof ls);
	ls.state = LINK_OK;
	assert_int_equal(journal_link(j, T0, &ls, why, sizeof why), BC_OK);
	journal_close(j, NAN);
	for (i = 0; i < 6; i++) {
		xasprintf(&p, "%s/%s", dir, names[i]);
		assert_int_equal(stat(p, &st) == 0, kept[i]);
		free(p);
	}
	rmtree(dir);
	free(dir);
}

/* A new day starts a new file, which starts with a keyframe. */
static void
test_daily_files(void **state)
{
	struct scenario		*sc;
	struct unit_table	 t;
	struct journal		*j;
	struct journal_reader	 rd;
	struct warns		 w = { 0 };
	char			*dir = tmpdir(), why[512], *p;
	double			 midnight = floor(T0 / 86400 + 1) * 86400;
	size_t			 i;

	(void)state;
	sc = scenario_new(map, 3, 50, midnight - 30);
	units_init(&t);
	j = open_journal(dir, &w);
	for (i = 0; i < 6; i++) {
		scenario_advance(sc, midnight - 30 + 10.0 * i);
		scenario_table(sc, &t);
		assert_int_equal(journal_table(j, midnight - 30 + 10.0 * i,
		    &t, why, sizeof why), BC_OK);
	}
	journal_close(j, NAN);
	xasprintf(&p, "%s/2030-03-18.bcj", dir);
	memset(&rd, 0, sizeof rd);
	assert_int_equal(journal_read_file(p, count_warn, &w, &rd, why,
	    sizeof why), BC_OK);
	free(p);
	assert_true(rd.n >= 1);
	for (i = 0; i < rd.n; i++)
		if (rd.v[i].type == JOURNAL_KEY ||
		    rd.v[i].type == JOURNAL_DELTA)
			break;
	assert_true(i < rd.n);
	assert_int_equal(rd.v[i].type, JOURNAL_KEY);
	assert_true(rd.v[i].time >= midnight);
	journal_reader_done(&rd);
	/* Read by window: only the second day. */
	assert_int_equal(journal_read(dir, midnight + 1, midnight + 100,
	    count_warn, &w, &rd, why, sizeof why), BC_OK);
	assert_int_equal(rd.files, 1);
	journal_reader_done(&rd);
	assert_int_equal(w.n, 0);
	units_done(&t);
	scenario_free(sc);
	rmtree(dir);
	free(dir);
}

/* A file that is not a journal is refused, never overwritten. */
static void
test_not_a_journal(void **state)
{
	struct journal_config	 cfg;
	struct journal		*j;
	struct journal_reader	 rd;
	struct warns		 w = { 0 };
	struct event		 e;
	char			*dir = tmpdir(), why[512], *p;
	size_t			 len;
	unsigned char		*b;

	(void)state;
	xasprintf(&p, "%s/2030-03-17.bcj", dir);
	spit(p, (const unsigned char *)"my notes, not a journal\n", 24);
	/* Refused at the start, before any screen, naming the file. */
	journal_config_defaults(&cfg);
	cfg.dir = dir;
	cfg.nosync = 1;
	assert_int_equal(journal_open(&cfg, &j, why, sizeof why), BC_IO);
	assert_null(j);
	assert_non_null(strstr(why, "2030-03-17.bcj: not a bordercop "
	    "journal"));
	/* An older file of another kind is found at its first record. */
	unlink(p);
	j = open_journal(dir, &w);
	spit(p, (const unsigned char *)"my notes, not a journal\n", 24);
	memset(&e, 0, sizeof e);
	e.time = T0;
	assert_int_equal(journal_event(j, &e, why, sizeof why), BC_IO);
	assert_non_null(strstr(why, "not a bordercop journal"));
	journal_close(j, NAN);
	b = slurp(p, &len);
	assert_int_equal(len, 24);
	assert_memory_equal(b, "my notes", 8);
	free(b);
	assert_int_equal(journal_read(dir, NAN, NAN, count_warn, &w, &rd,
	    why, sizeof why), BC_FORMAT);
	free(p);
	rmtree(dir);
	free(dir);
}

/*
 * The engine's sink: nothing before the first message (the clock may
 * still be the local one); then the link, the table once per change, the
 * events once each, the alerts raised and acknowledged.
 */
static void
test_step(void **state)
{
	struct journal		*j;
	struct journal_reader	 rd;
	struct warns		 w = { 0 };
	struct unit_table	 t;
	struct link_status	 ls;
	struct event_log	 log;
	struct alert_queue	 aq;
	struct report		 r;
	char			*dir = tmpdir(), why[512];
	size_t			 i, n[JOURNAL_TYPE_MAX] = { 0 };

	(void)state;
	j = open_journal(dir, &w);
	units_init(&t);
	events_init(&log, 16);
	alerts_init(&aq);
	memset(&ls, 0, sizeof ls);
	ls.state = LINK_WAIT;
	journal_step(j, 5, &t, &ls, &log, &aq);
	assert_int_equal(journal_records(j), 0);

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "US-1");
	r.lat = 31.5;
	r.lon = -110.25;
	r.time = T0;
	r.stale_at = r.heading_deg = r.speed_kmh = r.radius_km = r.ce_m = NAN;
	units_set(&t, &r);
	ls.state = LINK_OK;
	events_add(&log, T0, EVENT_GAP_OPEN, "gap 1 opened");
	alerts_raise(&aq, T0, ALERT_EXPOSED, "BORDER EXPOSED #1");
	journal_step(j, T0, &t, &ls, &log, &aq);
	/* The same again: nothing new. */
	journal_step(j, T0 + 1, &t, &ls, &log, &aq);
	alerts_ack(&aq, NULL);
	events_add(&log, T0 + 2, EVENT_ACK, "alert acknowledged");
	journal_step(j, T0 + 2, &t, &ls, &log, &aq);
	assert_null(journal_error(j));
	journal_close(j, NAN);

	assert_int_equal(journal_read(dir, NAN, NAN, count_warn, &w, &rd,
	    why, sizeof why), BC_OK);
	for (i = 0; i < rd.n; i++)
		n[rd.v[i].type]++;
	assert_int_equal(n[JOURNAL_SESSION], 1);
	assert_int_equal(n[JOURNAL_LINK], 1);
	assert_int_equal(n[JOURNAL_KEY], 1);
	assert_int_equal(n[JOURNAL_DELTA], 0);
	assert_int_equal(n[JOURNAL_EVENT], 2);
	assert_int_equal(n[JOURNAL_ALERT], 1);
	assert_int_equal(n[JOURNAL_ACK], 1);
	/* Every record on the picture clock: all in the feed's day. */
	assert_int_equal(rd.files, 1);
	assert_true(rd.v[0].time == T0);
	journal_reader_done(&rd);
	alerts_done(&aq);
	events_done(&log);
	units_done(&t);
	rmtree(dir);
	free(dir);
}


/* A table record, so that journal_requests() may write (its clock is
   the picture's from then on). */
static void
one_table(struct journal *j, struct unit_table *t, struct link_status *ls,
    struct event_log *log, struct alert_queue *aq, double when)
{
	struct report	r;

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "US-1");
	r.lat = 31.5;
	r.lon = -110.25;
	r.time = when;
	r.stale_at = r.heading_deg = r.speed_kmh = r.radius_km = r.ce_m = NAN;
	units_set(t, &r);
	memset(ls, 0, sizeof *ls);
	ls->state = LINK_OK;
	journal_step(j, when, t, ls, log, aq);
}

/* The server's word on request r of the book: in state st at t, by side. */
static void
server_says(struct reqbook *b, const struct request *r, enum req_state st,
    int side, double t, struct event_log *log)
{
	struct reqfeed_msg	m;
	struct request		x = *r;
	struct req_answer	a;

	req_answer_init(&a);
	a.state = st;
	if (st == RS_SENT)
		req_start(&x, t);
	else
		req_apply(&x, &a, side, t);
	x.seq = r->seq + 1;
	memset(&m, 0, sizeof m);
	m.side = b->side;
	m.server_time = t;
	m.reqs = &x;
	m.nreqs = 1;
	reqbook_merge(b, &m, t, log);
}

/*
 * A client's book recorded as it changes: the request composed (queued),
 * taken by the server (sent), accepted by MX, covering, closed, and one
 * of theirs; each change once, nothing when nothing changed, every field
 * back as written.  Before the first table nothing is written.
 */
static void
test_requests(void **state)
{
	struct journal		*j;
	struct journal_reader	 rd;
	struct journal_req_rec	 q, want[8];
	struct warns		 w = { 0 };
	struct unit_table	 t;
	struct link_status	 ls;
	struct event_log	 log;
	struct alert_queue	 aq;
	struct reqbook		 b;
	struct reqbook_config	 bc;
	struct reqbook_entry	*e;
	struct request		 in;
	char			*dir = tmpdir(), why[512], id[REQ_ID_MAX + 1];
	size_t			 i, n = 0;
	double			 t0 = T0 + 10;

	(void)state;
	memset(&bc, 0, sizeof bc);
	bc.side_codes[0] = "US";
	bc.side_codes[1] = "MX";
	bc.side = 0;
	bc.seed = 42;
	assert_int_equal(reqbook_init(&b, &bc, why, sizeof why), BC_OK);
	j = open_journal(dir, &w);
	units_init(&t);
	events_init(&log, 64);
	alerts_init(&aq);

	assert_int_equal(reqbook_compose(&b, REQ_COVER, 2000.5, 2003.25,
	    "17", "TCA", "Please cover \x1b[31mnow", T0 + 3600, T0, 3100,
	    id, why, sizeof why), BC_OK);
	journal_requests(j, T0, &b);
	assert_int_equal(journal_records(j), 0);	/* no picture yet */

	one_table(j, &t, &ls, &log, &aq, t0);
	journal_requests(j, t0, &b);			/* 1: queued */
	journal_requests(j, t0 + 1, &b);		/* the same: nothing */
	e = reqbook_find(&b, id);
	assert_non_null(e);
	assert_int_equal(reqbook_sent(&b, 0, 1, 201, ""), 1);
	server_says(&b, &e->r, RS_SENT, 0, t0 + 2, &log);
	journal_requests(j, t0 + 2, &b);		/* 2: sent */
	server_says(&b, &e->r, RS_ACCEPTED, 1, t0 + 30, &log);
	journal_requests(j, t0 + 30, &b);		/* 3: accepted */
	server_says(&b, &e->r, RS_COVERING, 0, t0 + 90, &log);
	journal_requests(j, t0 + 90, &b);		/* 4: covering */
	server_says(&b, &e->r, RS_CLOSED, 0, t0 + 210, &log);
	journal_requests(j, t0 + 210, &b);		/* 5: closed */
	/* One of theirs, still open. */
	req_init(&in);
	snprintf(in.id, sizeof in.id, "mx-1");
	in.kind = REQ_INFO;
	in.sender = 1;
	in.addressee = 0;
	in.a_km = 10;
	in.b_km = 12;
	in.expires = T0 + 7200;
	server_says(&b, &in, RS_SENT, 1, t0 + 300, &log);
	journal_requests(j, t0 + 300, &b);		/* 6: theirs, sent */
	assert_null(journal_error(j));
	journal_close(j, NAN);

	assert_int_equal(journal_read(dir, NAN, NAN, count_warn, &w, &rd,
	    why, sizeof why), BC_OK);
	assert_int_equal(w.n, 0);
	for (i = 0; i < rd.n; i++) {
		if (rd.v[i].type != JOURNAL_REQUEST)
			continue;
		assert_true(n < 8);
		assert_int_equal(journal_decode_request(&rd.v[i], &want[n]),
		    BC_OK);
		n++;
	}
	assert_int_equal(n, 6);
	q = want[0];
	assert_string_equal(q.id, id);
	assert_true(q.time == t0);
	assert_int_equal(q.dir, JREQ_OURS);
	assert_int_equal(q.sender, 0);
	assert_int_equal(q.addressee, 1);
	assert_int_equal(q.kind, REQ_COVER);
	assert_string_equal(journal_req_state_text(&q), "queued");
	assert_true(q.a_km == 2000.5 && q.b_km == 2003.25);
	assert_string_equal(q.gap, "17");
	assert_string_equal(q.sector, "TCA");
	/* Clean: no escape reaches a reader. */
	assert_null(strchr(q.text, '\x1b'));
	assert_non_null(strstr(q.text, "Please cover"));
	assert_true(isnan(q.counter_a_km));
	assert_true(q.expires == T0 + 3600);
	assert_string_equal(journal_req_state_text(&want[1]), "sent");
	assert_true(want[1].created == t0 + 2);
	assert_true(want[1].stamps[RS_SENT].t == t0 + 2);
	assert_string_equal(journal_req_state_text(&want[2]), "accepted");
	assert_true(want[2].stamps[RS_ACCEPTED].t == t0 + 30);
	assert_int_equal(want[2].stamps[RS_ACCEPTED].side, 1);
	assert_string_equal(journal_req_state_text(&want[3]), "covering");
	assert_string_equal(journal_req_state_text(&want[4]), "closed");
	assert_true(want[4].time == t0 + 210);
	assert_true(want[4].stamps[RS_CLOSED].t == t0 + 210);
	assert_true(want[4].stamps[RS_ACCEPTED].t == t0 + 30);
	for (i = 0; i < 5; i++)
		assert_int_equal(want[i].flags & JREQ_RESTATED, 0);
	assert_string_equal(want[5].id, "mx-1");
	assert_int_equal(want[5].dir, JREQ_THEIRS);
	assert_int_equal(want[5].kind, REQ_INFO);
	journal_reader_done(&rd);

	/* The next day's file states the open one again (and only it), so
	   that the day is complete alone; a record of a later time opens
	   it. */
	j = open_journal(dir, &w);
	one_table(j, &t, &ls, &log, &aq, t0 + 400);
	journal_requests(j, t0 + 400, &b);	/* a new writer: both again */
	one_table(j, &t, &ls, &log, &aq, t0 + 86400);
	journal_requests(j, t0 + 86400, &b);
	journal_close(j, NAN);
	assert_int_equal(journal_read(dir, t0 + 86400, t0 + 86400, count_warn,
	    &w, &rd, why, sizeof why), BC_OK);
	for (i = n = 0; i < rd.n; i++) {
		if (rd.v[i].type != JOURNAL_REQUEST)
			continue;
		assert_int_equal(journal_decode_request(&rd.v[i], &q), BC_OK);
		assert_string_equal(q.id, "mx-1");
		assert_true(q.flags & JREQ_RESTATED);
		n++;
	}
	assert_int_equal(n, 1);
	journal_reader_done(&rd);

	reqbook_done(&b);
	alerts_done(&aq);
	events_done(&log);
	units_done(&t);
	rmtree(dir);
	free(dir);
}

/*
 * The last record a REQUEST: cut at every byte inside it, the reader
 * gets every earlier record, the earlier REQUEST whole, and one warning.
 * A record of a newer version is refused by the decoder, not misread.
 */
static void
test_request_torn(void **state)
{
	struct journal		*j;
	struct journal_reader	 rd;
	struct journal_req_rec	 q, back;
	struct warns		 w = { 0 };
	unsigned char		*whole;
	char			*dir = tmpdir(), *path, why[512], name[32];
	size_t			 len, cut, start, nrec;
	time_t			 s = (time_t)T0;
	struct tm		 tm;
	int			 k;

	(void)state;
	memset(&q, 0, sizeof q);
	snprintf(q.id, sizeof q.id, "us-abc-1");
	q.sender = 0;
	q.addressee = 1;
	q.kind = REQ_COVER;
	q.state = RS_ACCEPTED;
	q.answer = RS_ACCEPTED;
	q.a_km = 100;
	q.b_km = 104.5;
	q.counter_a_km = q.counter_b_km = NAN;
	snprintf(q.text, sizeof q.text, "cubrir");
	q.created = T0;
	q.expires = T0 + 3600;
	for (k = 0; k < REQ_STATE_COUNT; k++) {
		q.stamps[k].t = NAN;
		q.stamps[k].side = REQ_SIDE_SERVER;
	}
	q.stamps[RS_SENT].t = T0;
	q.stamps[RS_SENT].side = 0;
	q.stamps[RS_ACCEPTED].t = T0 + 20;
	q.stamps[RS_ACCEPTED].side = 1;
	j = open_journal(dir, &w);
	assert_int_equal(journal_request(j, T0 + 20, &q, why, sizeof why),
	    BC_OK);
	assert_int_equal(journal_ack(j, T0 + 21, 1, why, sizeof why), BC_OK);
	q.state = RS_CLOSED;
	q.stamps[RS_CLOSED].t = T0 + 300;
	q.stamps[RS_CLOSED].side = 0;
	start = (size_t)journal_bytes(j) + 16;
	assert_int_equal(journal_request(j, T0 + 300, &q, why, sizeof why),
	    BC_OK);
	nrec = journal_records(j);
	journal_close(j, NAN);

	gmtime_r(&s, &tm);
	strftime(name, sizeof name, "%Y-%m-%d.bcj", &tm);
	xasprintf(&path, "%s/%s", dir, name);
	whole = slurp(path, &len);
	assert_true(len > start + 28);
	for (cut = start + 1; cut < len; cut++) {
		spit(path, whole, cut);
		memset(&rd, 0, sizeof rd);
		memset(&w, 0, sizeof w);
		assert_int_equal(journal_read_file(path, count_warn, &w, &rd,
		    why, sizeof why), BC_OK);
		assert_int_equal(rd.n, nrec - 1);
		assert_int_equal(w.n, 1);
		assert_non_null(strstr(w.last, "torn or corrupt"));
		assert_int_equal(rd.v[1].type, JOURNAL_REQUEST);
		assert_int_equal(journal_decode_request(&rd.v[1], &back),
		    BC_OK);
		assert_string_equal(back.id, "us-abc-1");
		assert_int_equal(back.state, RS_ACCEPTED);
		assert_true(back.stamps[RS_ACCEPTED].t == T0 + 20);
		assert_int_equal(back.stamps[RS_ACCEPTED].side, 1);
		assert_true(isnan(back.stamps[RS_CLOSED].t));
		assert_string_equal(back.text, "cubrir");
		assert_int_equal(rd.v[2].type, JOURNAL_ACK);
		journal_reader_done(&rd);
	}
	/* Whole again: the last one reads; a newer version does not. */
	spit(path, whole, len);
	memset(&rd, 0, sizeof rd);
	assert_int_equal(journal_read_file(path, count_warn, &w, &rd, why,
	    sizeof why), BC_OK);
	assert_int_equal(rd.n, nrec);
	assert_int_equal(journal_decode_request(&rd.v[nrec - 1], &back),
	    BC_OK);
	assert_int_equal(back.state, RS_CLOSED);
	rd.v[nrec - 1].p[0] = 2;
	assert_int_equal(journal_decode_request(&rd.v[nrec - 1], &back),
	    BC_FORMAT);
	rd.v[nrec - 1].len = 20;
	rd.v[nrec - 1].p[0] = 1;
	assert_int_equal(journal_decode_request(&rd.v[nrec - 1], &back),
	    BC_FORMAT);
	journal_reader_done(&rd);
	free(whole);
	free(path);
	rmtree(dir);
	free(dir);
}

/*
 * The replay's requests: as recorded up to the replayed time, forward
 * and after going back; the last record of each request is its state.
 */
static void
test_replay_requests(void **state)
{
	static const char *const codes[NSIDES] = { "US", "MX" };
	struct journal		*j;
	struct replay		*rp;
	struct replay_config	 rc;
	struct journal_req_rec	 q;
	const struct reqbook	*b;
	struct warns		 w = { 0 };
	struct unit_table	 t, rt;
	struct link_status	 ls;
	struct event_log	 log;
	struct alert_queue	 aq;
	char			*dir = tmpdir(), why[512];
	int			 k, changed;

	(void)state;
	j = open_journal(dir, &w);
	units_init(&t);
	units_init(&rt);
	events_init(&log, 16);
	alerts_init(&aq);
	one_table(j, &t, &ls, &log, &aq, T0);
	memset(&q, 0, sizeof q);
	snprintf(q.id, sizeof q.id, "us-r-1");
	q.sender = 0;
	q.addressee = 1;
	q.kind = REQ_COVER;
	q.counter_a_km = q.counter_b_km = NAN;
	for (k = 0; k < REQ_STATE_COUNT; k++)
		q.stamps[k].t = NAN;
	q.local = JREQ_QUEUED;
	assert_int_equal(journal_request(j, T0 + 10, &q, why, sizeof why),
	    BC_OK);
	q.local = JREQ_SERVER;
	q.state = RS_SENT;
	assert_int_equal(journal_request(j, T0 + 20, &q, why, sizeof why),
	    BC_OK);
	one_table(j, &t, &ls, &log, &aq, T0 + 30);
	q.state = RS_ACCEPTED;
	assert_int_equal(journal_request(j, T0 + 40, &q, why, sizeof why),
	    BC_OK);
	one_table(j, &t, &ls, &log, &aq, T0 + 50);
	journal_close(j, NAN);

	memset(&rc, 0, sizeof rc);
	rc.dir = dir;
	rc.from = rc.to = rc.start = NAN;
	rc.paused = 1;
	assert_int_equal(replay_new(&rc, 0, &rp, why, sizeof why), BC_OK);
	replay_step(rp, 0, &rt);
	b = replay_requests(rp, codes, &changed);
	assert_int_equal(b->n, 0);		/* at T0: none yet */
	replay_seek(rp, 0, T0 + 15);
	replay_step(rp, 0, &rt);
	b = replay_requests(rp, codes, &changed);
	assert_true(changed);
	assert_int_equal(b->n, 1);
	assert_string_equal(reqbook_state_text(&b->v[0]), "queued");
	assert_int_equal(b->side, 0);		/* ours: we are US */
	replay_seek(rp, 0, T0 + 45);
	replay_step(rp, 0, &rt);
	b = replay_requests(rp, codes, &changed);
	assert_int_equal(b->n, 1);
	assert_string_equal(reqbook_state_text(&b->v[0]), "accepted");
	assert_true(replay_requests(rp, codes, &changed) == b);
	assert_false(changed);			/* nothing new */
	replay_seek(rp, 0, T0 + 25);		/* back */
	replay_step(rp, 0, &rt);
	b = replay_requests(rp, codes, &changed);
	assert_true(changed);
	assert_int_equal(b->n, 1);
	assert_string_equal(reqbook_state_text(&b->v[0]), "sent");
	replay_free(rp);

	alerts_done(&aq);
	events_done(&log);
	units_done(&rt);
	units_done(&t);
	rmtree(dir);
	free(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_compressed_and_small),
		cmocka_unit_test(test_torn_tail),
		cmocka_unit_test(test_corrupt_middle),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_keep),
		cmocka_unit_test(test_daily_files),
		cmocka_unit_test(test_not_a_journal),
		cmocka_unit_test(test_step),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_request_torn),
		cmocka_unit_test(test_replay_requests),
	};

	return (cmocka_run_group_tests(tests, testmap_setup,
	    testmap_teardown));
}
