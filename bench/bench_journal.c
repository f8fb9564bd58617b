/*
 * bench_journal.c: the journal's figures, each next to its target.
 *
 *   bytes/h   500 units of the seeded scenario polled every 10 s for one
 *             simulated hour, their reports as the wire carries them
 *             (whole-second times), written with journal_table() and
 *             journal_step()'s events; keyframes every 10 min;
 *   write     the time of one poll's record with fdatasync, median;
 *   open      a whole day (24 h, 500 units every 10 s) written, then the
 *             time to read that day's file and decode the table as of
 *             18:09:15 (the last keyframe before it, then the deltas): what
 *             --replay --from and --handover pay before their first
 *             picture.
 *
 * Wall-clock times (the disk counts).  It never fails.
 *
 * Usage: bench_journal [MAP]
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "journal.h"
#include "map.h"
#include "scenario.h"
#include "xmalloc.h"

#define T0		1795824000.0	/* 2026-11-28T00:00:00Z */
#define UNITS		500
#define POLL_S		10.0
#define TARGET_MB_H	2.0
#define TARGET_OPEN_S	1.0

static double
wall(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
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
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&p, "%s/%s", dir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
	rmdir(dir);
}

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

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Record hours of polls into dir; returns the bytes written. */
static uint64_t
record(const struct border_map *map, const char *dir, double hours,
    int sync, double *median_write_s)
{
	struct journal_config	 cfg;
	struct journal		*j;
	struct scenario		*sc;
	struct unit_table	 t;
	char			 why[512];
	double			 now, t0, *w = NULL;
	size_t			 n = 0, cap = 0;
	uint64_t		 bytes;

	journal_config_defaults(&cfg);
	cfg.dir = dir;
	cfg.nosync = !sync;
	if (journal_open(&cfg, &j, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_journal: %s\n", why);
		exit(1);
	}
	sc = scenario_new(map, 11, UNITS, T0);
	units_init(&t);
	for (now = T0; now < T0 + hours * 3600; now += POLL_S) {
		scenario_advance(sc, now);
		wire_table(sc, &t);
		t0 = wall();
		if (journal_table(j, now, &t, why, sizeof why) != BC_OK) {
			fprintf(stderr, "bench_journal: %s\n", why);
			exit(1);
		}
		if (n == cap) {
			cap = cap == 0 ? 512 : cap * 2;
			w = xreallocarray(w, cap, sizeof *w);
		}
		w[n++] = wall() - t0;
	}
	bytes = journal_bytes(j);
	journal_close(j, now);
	qsort(w, n, sizeof *w, cmp_double);
	if (median_write_s != NULL)
		*median_write_s = n > 0 ? w[n / 2] : NAN;
	free(w);
	units_done(&t);
	scenario_free(sc);
	return (bytes);
}

int
main(int argc, char **argv)
{
	struct border_map	*map;
	struct journal_reader	 rd;
	struct journal_decoder	 dec;
	struct unit_table	 t;
	char			 why[512], tmpl[] = "/tmp/bench_journal.XXXXXX";
	const char		*path = argc > 1 ? argv[1] :
				    SRCDIR "/maps/us-mx.geojson";
	double			 wmed, at = T0 + 18 * 3600 + 555, t0, t1, best = 1e9;
	uint64_t		 bytes;
	size_t			 i, k, applied = 0;
	int			 rep;

	if (map_load_file(path, &map, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_journal: %s\n", why);
		return (1);
	}
	if (mkdtemp(tmpl) == NULL)
		return (1);

	bytes = record(map, tmpl, 1, 1, &wmed);
	printf("journal bytes/h      %8.2f MB/h   target <= %.1f MB/h   %s  "
	    "(%u units every %.0f s)\n", bytes / 1e6, TARGET_MB_H,
	    bytes / 1e6 <= TARGET_MB_H ? "ok" : "OVER", UNITS, POLL_S);
	printf("journal write+sync   %8.2f ms/poll (median, fdatasync)\n",
	    wmed * 1e3);
	rmtree(tmpl);
	if (mkdir(tmpl, 0700) != 0)
		return (1);

	bytes = record(map, tmpl, 24, 0, NULL);
	printf("journal day          %8.2f MB    (%u units, 24 h)\n",
	    bytes / 1e6, UNITS);
	for (rep = 0; rep < 3; rep++) {
		t0 = wall();
		if (journal_read(tmpl, at, at, NULL, NULL, &rd, why,
		    sizeof why) != BC_OK) {
			fprintf(stderr, "bench_journal: %s\n", why);
			return (1);
		}
		t1 = wall();
		journal_decoder_init(&dec);
		units_init(&t);
		k = journal_key_before(&rd, at);
		for (i = k, applied = 0; i < rd.n && rd.v[i].time <= at; i++)
			if ((rd.v[i].type == JOURNAL_KEY ||
			    rd.v[i].type == JOURNAL_DELTA) &&
			    journal_apply(&dec, &rd.v[i], &t, why,
			    sizeof why) == BC_OK)
				applied++;
		t1 = wall() - t0;
		if (t1 < best)
			best = t1;
		if (rep == 0)
			printf("journal day records  %8zu      (%zu applied "
			    "to reach 18:09:15, %zu units)\n", rd.n, applied,
			    t.n);
		units_done(&t);
		journal_decoder_done(&dec);
		journal_reader_done(&rd);
	}
	printf("journal open at time %8.0f ms     target <= %.0f ms      %s\n",
	    best * 1e3, TARGET_OPEN_S * 1e3, best <= TARGET_OPEN_S ? "ok" :
	    "OVER");
	rmtree(tmpl);
	border_free(map);
	return (0);
}
