/*
 * bench_core.c: the core figures of issue 5, each next to its target.
 *
 *   locate      border_locate() on 100,000 seeded positions near the line
 *               (chainage uniform, offset within +-30 km), one core;
 *   footprint   locate + border_footprint() at 5 km on the same positions;
 *   far         border_locate() on positions 200 to 8,000 km off the line
 *               and uniform on the globe (with accuracy: their error);
 *   farpoll     a poll of 100,000 far units that all moved;
 *   accuracy    the largest error of border_locate() on 1,000 of them
 *               against a brute-force exact reference (every vertex, every
 *               segment that its distance bound cannot rule out, sampled
 *               every 250 m and refined by golden section to 1 mm);
 *   pipeline    feed_parse + feed_apply + picture_build per poll at 1,000
 *               and 10,000 units, full and incremental messages from the
 *               scenario engine (the same bytes bordercop-sim serves);
 *   parse       feed_parse in MB/s on the 10,000-unit message;
 *   rss         peak RSS of a fresh process that loads the map and polls
 *               the 10,000-unit message (map, unit table, picture).
 *
 * Times are CPU time of this thread (CLOCK_THREAD_CPUTIME_ID), so that
 * other load on the machine weighs less; it never fails.
 *
 * Usage: bench_core [MAP] [locate|accuracy|far|farpoll|pipeline|parse|rss]...
 * (default: the source tree's maps/us-mx.geojson and every section).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <geodesic.h>

#include "apiwrite.h"
#include "border.h"
#include "feed.h"
#include "map.h"
#include "picture.h"
#include "scenario.h"
#include "unit.h"
#include "util.h"
#include "xmalloc.h"

#define NPOS		100000
#define NREF		1000
#define OFFSET_KM	30.0
#define SEED		20261128u
#define T0		1795831200.0	/* 2026-11-28T02:00:00Z */
#define REF_STEP_KM	0.25
#define REF_TOL_KM	1e-6

static const char	*map_path;
static const char	*self;

struct pos {
	double	lat, lon;
};

static double
cpu_now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (ts.tv_sec + ts.tv_nsec * 1e-9);
}

/* xorshift64*: the same positions on every machine. */
static uint64_t	rng_state = SEED;

static double
rng_uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return ((rng_state * 2685821657736338717ull >> 11) * 0x1.0p-53);
}

static const char *
verdict(int ok)
{
	return (ok ? "ok" : "SHORT");
}

static struct border_map *
load_map(void)
{
	struct border_map	*m;
	char			 why[512];

	if (map_load_file(map_path, &m, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_core: %s\n", why);
		exit(1);
	}
	return (m);
}

/* A position at chainage s (km) and signed offset d (km, + left). */
static void
make_pos(const struct border_map *m, double s, double d, struct pos *p)
{
	double	lat0, lon0, lat1, lon1, ds = 0.01, s12, azi1, azi2;

	if (s + ds > m->length_km)
		s = m->length_km - ds;
	border_point_at(m, s, &lat0, &lon0);
	border_point_at(m, s + ds, &lat1, &lon1);
	geod_inverse(m->geod, lat0, lon0, lat1, lon1, &s12, &azi1, &azi2);
	geod_direct(m->geod, lat0, lon0, azi1 - 90, d * 1000, &p->lat,
	    &p->lon, NULL);
}

static double
dist_km(const struct border_map *m, double lat0, double lon0, double lat1,
    double lon1)
{
	double	s12;

	geod_inverse(m->geod, lat0, lon0, lat1, lon1, &s12, NULL, NULL);
	return (s12 / 1000);
}

/* Distance (km) from p to the point t km along segment j. */
static double
seg_dist(const struct border_map *m, const struct geod_geodesicline *l,
    double t, const struct pos *p)
{
	double	lat, lon;

	geod_position(l, t * 1000, &lat, &lon, NULL);
	return (dist_km(m, p->lat, p->lon, lat, lon));
}

/*
 * The exact nearest point of the line, by brute force: a segment can be
 * skipped only when (d(P,A) + d(P,B) - len) / 2, a lower bound of the
 * distance from P to any point of segment AB, is above the best found.
 */
static void
reference(const struct border_map *m, const struct pos *p, double *dv,
    double *best_d, double *best_s)
{
	struct geod_geodesicline l;
	double			 len, lb, t, d, a, b, x1, x2, f1, f2, tk;
	const double		 g = (sqrt(5) - 1) / 2;
	size_t			 i, k, n;

	*best_d = INFINITY;
	*best_s = 0;
	for (i = 0; i < m->nverts; i++) {
		dv[i] = dist_km(m, p->lat, p->lon, m->lat[i], m->lon[i]);
		if (dv[i] < *best_d) {
			*best_d = dv[i];
			*best_s = m->chain_km[i];
		}
	}
	for (i = 0; i + 1 < m->nverts; i++) {
		len = m->chain_km[i + 1] - m->chain_km[i];
		lb = (dv[i] + dv[i + 1] - len) / 2;
		if (lb > *best_d)
			continue;
		geod_lineinit(&l, m->geod, m->lat[i], m->lon[i], m->azi1[i],
		    GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
		n = (size_t)(len / REF_STEP_KM) + 2;
		tk = 0;
		d = INFINITY;
		for (k = 0; k <= n; k++) {
			t = len * k / n;
			if ((f1 = seg_dist(m, &l, t, p)) < d) {
				d = f1;
				tk = t;
			}
		}
		a = fmax(0, tk - len / n);
		b = fmin(len, tk + len / n);
		x1 = b - g * (b - a);
		x2 = a + g * (b - a);
		f1 = seg_dist(m, &l, x1, p);
		f2 = seg_dist(m, &l, x2, p);
		while (b - a > REF_TOL_KM) {
			if (f1 < f2) {
				b = x2;
				x2 = x1;
				f2 = f1;
				x1 = b - g * (b - a);
				f1 = seg_dist(m, &l, x1, p);
			} else {
				a = x1;
				x1 = x2;
				f1 = f2;
				x2 = a + g * (b - a);
				f2 = seg_dist(m, &l, x2, p);
			}
		}
		t = (a + b) / 2;
		if ((d = seg_dist(m, &l, t, p)) < *best_d) {
			*best_d = d;
			*best_s = m->chain_km[i] + t;
		}
	}
}

static void
bench_locate(const struct border_map *m, int accuracy)
{
	struct pos		*pos;
	struct placement	 pl;
	struct interval		*fp;
	double			 t0, t_loc, t_fp, sink = 0, *dv, rd, rs, ed, es,
				 max_ed = 0, max_es = 0;
	size_t			 i, nfp = 0, ties = 0;

	pos = xreallocarray(NULL, NPOS, sizeof *pos);
	for (i = 0; i < NPOS; i++)
		make_pos(m, rng_uniform() * m->length_km,
		    (2 * rng_uniform() - 1) * OFFSET_KM, &pos[i]);

	t0 = cpu_now();
	for (i = 0; i < NPOS; i++) {
		border_locate(m, pos[i].lat, pos[i].lon, &pl);
		sink += pl.s_km;
	}
	t_loc = cpu_now() - t0;

	t0 = cpu_now();
	for (i = 0; i < NPOS; i++) {
		border_locate(m, pos[i].lat, pos[i].lon, &pl);
		nfp += border_footprint(m, pos[i].lat, pos[i].lon, 5.0, &fp);
		free(fp);
	}
	t_fp = cpu_now() - t0;

	printf("map: %s, %.1f km, %zu vertices\n", map_path, m->length_km,
	    m->nverts);
	printf("locate              %10.0f positions/s   target >= 200000/s"
	    "   %s\n", NPOS / t_loc, verdict(NPOS / t_loc >= 200000));
	printf("locate + footprint  %10.0f positions/s   (5 km radius, "
	    "%.2f intervals each)\n", NPOS / t_fp, (double)nfp / NPOS);
	if (!accuracy) {
		free(pos);
		return;
	}

	dv = xreallocarray(NULL, m->nverts, sizeof *dv);
	t0 = cpu_now();
	for (i = 0; i < NREF; i++) {
		reference(m, &pos[i], dv, &rd, &rs);
		border_locate(m, pos[i].lat, pos[i].lon, &pl);
		ed = fabs(fabs(pl.d_km) - rd) * 1000;
		/* The foot is exact only when another stretch of the line
		   is not as near: chainage is compared where it is. */
		es = fabs(pl.s_km - rs) * 1000;
		if (es > 10 && ed < 0.01)
			ties++;
		else if (es > max_es)
			max_es = es;
		if (ed > max_ed)
			max_ed = ed;
	}
	printf("locate max error    %10.3f m offset, %.3f m chainage over "
	    "%d positions   target <= 10 m   %s\n", max_ed, max_es, NREF,
	    verdict(max_ed <= 10 && max_es <= 10));
	printf("                    (%zu equidistant from two stretches; "
	    "reference took %.1f s)\n", ties, cpu_now() - t0);
	free(dv);
	free(pos);
	(void)sink;
}

/*
 * Far units: border_locate() on positions 200, 2,000 and 8,000 km off the
 * line (from a uniform chainage, straight out on either side) and uniform
 * on the globe, NFAR of each.  A hostile feed may hold 200,000 of them.
 * With accuracy, the first NFAR_REF of each against reference().
 */
#define NFAR		2000
#define FAR_TARGET	40000	/* positions/s: 25 us each */
#define NFAR_REF	100	/* of each kind, against reference() */

static void
bench_far(const struct border_map *m, int accuracy)
{
	static const double	 off[] = { 200, 2000, 8000, 0 };
	struct pos		*pos;
	struct placement	 pl;
	double			 t0, t, sink = 0, rate, u, *dv, rd, rs, ed,
				 es, max_ed = 0, max_es = 0;
	size_t			 i, k, nref = 0, ties = 0;

	pos = xreallocarray(NULL, NFAR, sizeof *pos);
	for (k = 0; k < sizeof off / sizeof off[0]; k++) {
		for (i = 0; i < NFAR; i++) {
			if (off[k] > 0) {
				u = rng_uniform();
				make_pos(m, rng_uniform() * m->length_km,
				    u < 0.5 ? off[k] : -off[k], &pos[i]);
			} else {
				pos[i].lat = asin(2 * rng_uniform() - 1) /
				    (M_PI / 180);
				pos[i].lon = 360 * rng_uniform() - 180;
			}
		}
		t0 = cpu_now();
		for (i = 0; i < NFAR; i++) {
			border_locate(m, pos[i].lat, pos[i].lon, &pl);
			sink += pl.s_km;
		}
		t = cpu_now() - t0;
		rate = NFAR / t;
		if (off[k] > 0)
			printf("locate far %5.0f km %10.0f positions/s "
			    "(%6.1f us)   target >= %d/s   %s\n", off[k], rate,
			    1e6 / rate, FAR_TARGET,
			    verdict(rate >= FAR_TARGET));
		else
			printf("locate far globe    %10.0f positions/s "
			    "(%6.1f us)   target >= %d/s   %s\n", rate,
			    1e6 / rate, FAR_TARGET,
			    verdict(rate >= FAR_TARGET));
		if (!accuracy)
			continue;
		dv = xreallocarray(NULL, m->nverts, sizeof *dv);
		for (i = 0; i < NFAR_REF; i++, nref++) {
			reference(m, &pos[i], dv, &rd, &rs);
			border_locate(m, pos[i].lat, pos[i].lon, &pl);
			ed = fabs(fabs(pl.d_km) - rd) * 1000;
			es = fabs(pl.s_km - rs) * 1000;
			if (es > 10 && ed < 0.01)
				ties++;
			else if (es > max_es)
				max_es = es;
			if (ed > max_ed)
				max_ed = ed;
		}
		free(dv);
	}
	if (accuracy)
		printf("locate far error    %10.3f m offset, %.3f m chainage "
		    "over %zu positions   target <= 10 m   %s\n", max_ed,
		    max_es, nref, verdict(max_ed <= 10 && max_es <= 10));
	free(pos);
	(void)sink;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/* Write the scenario's message: full, or what changed since version. */
static void
write_msg(struct scenario *sc, const struct border_map *m, int full,
    uint64_t since, struct apibuf *b)
{
	struct apiwrite_msg	 am;
	char			 cursor[APIWRITE_CURSOR_MAX];

	memset(&am, 0, sizeof am);
	apiwrite_cursor(cursor, sizeof cursor, scenario_version(sc), "bench");
	am.server_time = scenario_time(sc);
	am.cursor = cursor;
	am.full = full;
	am.since = since;
	am.slots = scenario_slots(sc, &am.nslots);
	am.side_codes[0] = m->sides[0].code;
	am.side_codes[1] = m->sides[1].code;
	b->len = 0;
	apibuf_add(b, "", 0);
	apiwrite_positions(b, &am);
}

/* One poll through the program's path; its CPU time (s) in parts. */
static void
poll_once(const struct border_map *m, const char *body, size_t len,
    struct unit_table *t, struct picture *pic, double part[3])
{
	const char *const	 codes[NSIDES] = { m->sides[0].code,
				     m->sides[1].code };
	struct picture_config	 cfg;
	struct feed_msg		 msg;
	char			 why[256];
	double			 t0, t1, t2, t3;

	picture_config_defaults(&cfg);
	t0 = cpu_now();
	if (feed_parse(body, len, codes, &msg, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_core: message refused: %s\n", why);
		exit(1);
	}
	t1 = cpu_now();
	feed_apply(&msg, t);
	t2 = cpu_now();
	picture_build(pic, m, t, &cfg, msg.server_time);
	t3 = cpu_now();
	feed_msg_done(&msg);
	part[0] = t1 - t0;
	part[1] = t2 - t1;
	part[2] = t3 - t2;
}

#define NPOLL	9

/* Median over NPOLL polls of each part and of the whole (ms). */
static void
report_polls(const char *what, size_t nunits, double parts[NPOLL][3],
    size_t bytes, int target)
{
	double	tot[NPOLL], p[3][NPOLL], med;
	int	i, k;

	for (i = 0; i < NPOLL; i++) {
		tot[i] = parts[i][0] + parts[i][1] + parts[i][2];
		for (k = 0; k < 3; k++)
			p[k][i] = parts[i][k];
	}
	qsort(tot, NPOLL, sizeof *tot, cmp_double);
	for (k = 0; k < 3; k++)
		qsort(p[k], NPOLL, sizeof *p[k], cmp_double);
	med = tot[NPOLL / 2] * 1000;
	printf("pipeline %5zu %-8s %8.2f ms/poll (parse %.2f, apply %.2f, "
	    "picture %.2f; %zu bytes)", nunits, what, med,
	    p[0][NPOLL / 2] * 1000, p[1][NPOLL / 2] * 1000,
	    p[2][NPOLL / 2] * 1000, bytes);
	if (target)
		printf("   target <= 50 ms   %s", verdict(med <= 50));
	printf("\n");
}

/* Polls at nunits: NPOLL full answers, then NPOLL incremental ones
   30 s apart.  Returns the last full message when keep is set. */
static void
bench_pipeline(const struct border_map *m, size_t nunits, int target,
    struct apibuf *keep)
{
	struct scenario		*sc;
	struct unit_table	 t;
	struct picture		 pic;
	struct apibuf		 b;
	double			 parts[NPOLL][3];
	uint64_t		 v;
	size_t			 bytes = 0;
	int			 i;

	sc = scenario_new(m, SEED, nunits, T0);
	apibuf_init(&b);
	units_init(&t);
	picture_init(&pic);

	write_msg(sc, m, 1, 0, &b);
	poll_once(m, b.p, b.len, &t, &pic, parts[0]);	/* warm up */
	for (i = 0; i < NPOLL; i++)
		poll_once(m, b.p, b.len, &t, &pic, parts[i]);
	report_polls("full", nunits, parts, b.len, target);
	if (keep != NULL) {
		apibuf_add(keep, b.p, b.len);
	}

	for (i = 0; i < NPOLL; i++) {
		v = scenario_version(sc);
		scenario_advance(sc, scenario_time(sc) + 30);
		write_msg(sc, m, 0, v, &b);
		bytes += b.len;
		poll_once(m, b.p, b.len, &t, &pic, parts[i]);
	}
	report_polls("incr", nunits, parts, bytes / NPOLL, 0);

	/* Full answers 30 s apart: the units that moved are placed again
	   (the first line repeats one answer, so placements are cached). */
	bytes = 0;
	for (i = 0; i < NPOLL; i++) {
		scenario_advance(sc, scenario_time(sc) + 30);
		write_msg(sc, m, 1, 0, &b);
		bytes += b.len;
		poll_once(m, b.p, b.len, &t, &pic, parts[i]);
	}
	report_polls("full+30s", nunits, parts, bytes / NPOLL, target);

	picture_done(&pic);
	units_done(&t);
	apibuf_done(&b);
	scenario_free(sc);
}

static void
bench_parse(const struct border_map *m, const struct apibuf *b)
{
	const char *const	 codes[NSIDES] = { m->sides[0].code,
				     m->sides[1].code };
	struct feed_msg		 msg;
	char			 why[256];
	double			 t0, dt;
	int			 i, n = 10;

	t0 = cpu_now();
	for (i = 0; i < n; i++) {
		if (feed_parse(b->p, b->len, codes, &msg, why, sizeof why) !=
		    BC_OK) {
			fprintf(stderr, "bench_core: refused: %s\n", why);
			exit(1);
		}
		feed_msg_done(&msg);
	}
	dt = cpu_now() - t0;
	printf("JSON parse          %10.1f MB/s   (feed_parse, %.1f MB "
	    "message of 10000 units)\n", n * b->len / dt / 1e6,
	    b->len / 1e6);
}

/*
 * In a fresh process, as bordercop would hold it: the map, the unit table
 * and the picture, polling the 10,000-unit message (written to a
 * temporary file here) three times.
 */
static void
bench_rss(const struct apibuf *b)
{
	struct rusage	 ru;
	char		 tmp[] = "/tmp/bench_core.XXXXXX";
	pid_t		 pid;
	int		 status, fd;

	if ((fd = mkstemp(tmp)) < 0 ||
	    write(fd, b->p, b->len) != (ssize_t)b->len) {
		printf("peak RSS            (no temporary file)\n");
		return;
	}
	close(fd);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		execl(self, self, map_path, "rss-child", tmp, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid ||
	    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		printf("peak RSS            (could not run %s)\n", self);
		unlink(tmp);
		return;
	}
	unlink(tmp);
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("peak RSS            %10.1f MB at 10000 units   target <= 30 MB"
	    "   %s\n", ru.ru_maxrss / 1024.0,
	    verdict(ru.ru_maxrss <= 30 * 1024));
}

static void
rss_child(const char *msgpath)
{
	struct border_map	*m;
	struct unit_table	 t;
	struct picture		 pic;
	char			*buf, why[256];
	size_t			 len;
	double			 part[3];
	int			 i;

	m = load_map();
	if (file_read_all(msgpath, FEED_MAX_BYTES, &buf, &len, why,
	    sizeof why) != BC_OK)
		exit(1);
	units_init(&t);
	picture_init(&pic);
	for (i = 0; i < 3; i++)
		poll_once(m, buf, len, &t, &pic, part);
	picture_done(&pic);
	units_done(&t);
	free(buf);
	border_free(m);
	exit(0);
}

/*
 * Hash flooding: 2^15 ids chosen so that FNV-1a (the hash before the
 * keyed one) gives them all the same low 16 bits, the table's slot at
 * that size, against 2^15 ordinary ids: the table (merge, find, remove)
 * and a parse of one message of them (its duplicate check).  With the
 * keyed hash they cost the same; with FNV-1a they cost 16x.
 */
#define NFLOOD	32768

static char	(*flood_ids)[16];

static void
flood_make(int colliding)
{
	static const char	 hex[] = "0123456789abcdef";
	uint64_t		 h[9];
	size_t			 n = 0;
	uint32_t		 k;
	int			 j;

	flood_ids = xreallocarray(flood_ids, NFLOOD, sizeof *flood_ids);
	h[0] = 0xcbf29ce484222325ULL;
	for (j = 0; j < 6; j++)
		h[0] = (h[0] ^ (unsigned char)"FLOOD-"[j]) * 0x100000001b3ULL;
	for (k = 0; n < NFLOOD; k++) {
		/* The state after each digit, kept while the digits before
		   it do not change. */
		for (j = (k == 0 ? 0 : 7 - (__builtin_ctz(k) / 4)); j < 8;
		    j++)
			h[j + 1] = (h[j] ^ (unsigned char)hex[(k >> (28 - 4 *
			    j)) & 0xf]) * 0x100000001b3ULL;
		if (colliding && (h[8] & 0xffff) != 0)
			continue;
		snprintf(flood_ids[n++], sizeof flood_ids[0], "FLOOD-%08x", k);
	}
}

static double
flood_table(void)
{
	struct unit_table	 t;
	struct report		 r;
	double			 t0;
	size_t			 i;

	memset(&r, 0, sizeof r);
	r.side = SIDE_LEFT;
	r.lat = 31.3;
	r.lon = -110.9;
	r.seq = 1;
	r.time = T0;
	r.stale_at = r.heading_deg = r.speed_kmh = r.radius_km = r.ce_m = NAN;
	t0 = cpu_now();
	units_init(&t);
	for (i = 0; i < NFLOOD; i++) {
		snprintf(r.id, sizeof r.id, "%s", flood_ids[i]);
		units_merge(&t, &r);
	}
	for (i = 0; i < NFLOOD; i++)
		if (units_find(&t, flood_ids[i]) == NULL)
			abort();
	for (i = 0; i < NFLOOD; i++)
		units_remove(&t, flood_ids[i]);
	units_done(&t);
	return (cpu_now() - t0);
}

static double
flood_parse(const struct border_map *m)
{
	const char	*codes[NSIDES] = { m->sides[0].code, m->sides[1].code };
	struct feed_msg	 msg;
	struct apibuf	 b;
	char		 why[256], one[400];
	double		 t0;
	size_t		 i;

	apibuf_init(&b);
	apibuf_add(&b, "{\"type\":\"FeatureCollection\",\"features\":[", 40);
	for (i = 0; i < NFLOOD; i++) {
		snprintf(one, sizeof one, "%s{\"type\":\"Feature\",\"id\":\"%s\","
		    "\"geometry\":{\"type\":\"Point\",\"coordinates\":"
		    "[-110.9,31.3]},\"properties\":{\"side\":\"%s\",\"time\":"
		    "\"2026-11-28T01:59:00Z\"}}", i == 0 ? "" : ",",
		    flood_ids[i], codes[0]);
		apibuf_add(&b, one, strlen(one));
	}
	apibuf_add(&b, "]}", 2);
	t0 = cpu_now();
	if (feed_parse(b.p, b.len, codes, &msg, why, sizeof why) != BC_OK) {
		fprintf(stderr, "bench_core: flood refused: %s\n", why);
		exit(1);
	}
	t0 = cpu_now() - t0;
	feed_msg_done(&msg);
	apibuf_done(&b);
	return (t0);
}

static void
bench_flood(const struct border_map *m)
{
	double	tab[2] = { INFINITY, INFINITY }, par[2] = { INFINITY, INFINITY };
	int	c, round;

	/* The best of three rounds each, the two kinds in turn: the
	   machine may be shared. */
	for (c = 0; c < 2; c++) {
		flood_make(c);
		for (round = 0; round < 3; round++) {
			tab[c] = fmin(tab[c], flood_table());
			par[c] = fmin(par[c], flood_parse(m));
		}
	}
	free(flood_ids);
	flood_ids = NULL;
	printf("flood table %5d   %8.1f ms colliding, %.1f ms ordinary: %.2fx"
	    "   target <= 2x   %s\n", NFLOOD, tab[1] * 1e3, tab[0] * 1e3,
	    tab[1] / tab[0], verdict(tab[1] <= 2 * tab[0]));
	printf("flood parse %5d   %8.1f ms colliding, %.1f ms ordinary: %.2fx"
	    "   target <= 2x   %s\n", NFLOOD, par[1] * 1e3, par[0] * 1e3,
	    par[1] / par[0], verdict(par[1] <= 2 * par[0]));
}

/*
 * A poll of NFARPOLL units far from the line (uniform on the globe), all
 * of which moved since the last poll (the placement cache cannot help):
 * feed_parse + feed_apply + picture_build of the second of two answers.
 */
#define NFARPOLL	100000

static void
far_msg(const struct border_map *m, const char *when, struct apibuf *b)
{
	char	one[400];
	double	lat, lon;
	size_t	i;

	b->len = 0;
	apibuf_add(b, "{\"type\":\"FeatureCollection\",\"features\":[", 40);
	for (i = 0; i < NFARPOLL; i++) {
		lat = asin(2 * rng_uniform() - 1) / (M_PI / 180);
		lon = 360 * rng_uniform() - 180;
		snprintf(one, sizeof one, "%s{\"type\":\"Feature\",\"id\":"
		    "\"FAR-%06zu\",\"geometry\":{\"type\":\"Point\","
		    "\"coordinates\":[%.5f,%.5f]},\"properties\":{\"side\":"
		    "\"%s\",\"time\":\"%s\"}}", i == 0 ? "" : ",", i, lon, lat,
		    m->sides[i % 2].code, when);
		apibuf_add(b, one, strlen(one));
	}
	apibuf_add(b, "]}", 2);
}

static void
bench_farpoll(const struct border_map *m)
{
	struct unit_table	 t;
	struct picture		 pic;
	struct apibuf		 b;
	double			 part[3];

	apibuf_init(&b);
	units_init(&t);
	picture_init(&pic);
	far_msg(m, "2026-11-28T01:58:00Z", &b);
	poll_once(m, b.p, b.len, &t, &pic, part);
	far_msg(m, "2026-11-28T01:59:00Z", &b);
	poll_once(m, b.p, b.len, &t, &pic, part);
	printf("pipeline %6d far  %8.0f ms/poll (parse %.0f, apply %.0f, "
	    "picture %.0f; every unit moved, uniform on the globe)\n",
	    NFARPOLL, (part[0] + part[1] + part[2]) * 1000, part[0] * 1000,
	    part[1] * 1000, part[2] * 1000);
	picture_done(&pic);
	units_done(&t);
	apibuf_done(&b);
}

/*
 * Memory amplification, each in a fresh process: a body at the size cap
 * made of ignored zeros (refused by the parse budget), and the largest
 * "removed" allowed (200000 ids of 64 bytes, accepted).
 */
static void
budget_child(const char *what)
{
	const char	*codes[NSIDES] = { "US", "MX" };
	struct feed_msg	 msg;
	char		*s, why[256];
	size_t		 n, i, len;
	enum bc_status	 st;

	if (strcmp(what, "zeros") == 0) {
		s = xmalloc(FEED_MAX_BYTES + 1);
		len = (size_t)sprintf(s, "{\"type\":\"FeatureCollection\","
		    "\"features\":[],\"junk\":[");
		n = (FEED_MAX_BYTES - len - 2) / 2;
		for (i = 0; i < n; i++) {
			s[len++] = '0';
			s[len++] = ',';
		}
		s[len - 1] = ']';
		s[len++] = '}';
	} else {
		s = xmalloc(128 + (size_t)FEED_MAX_REMOVED * 68);
		len = (size_t)sprintf(s, "{\"type\":\"FeatureCollection\","
		    "\"full\":false,\"features\":[],\"removed\":[");
		for (i = 0; i < FEED_MAX_REMOVED; i++)
			len += (size_t)sprintf(s + len, "%s\"%064zu\"",
			    i == 0 ? "" : ",", i);
		len += (size_t)sprintf(s + len, "]}");
	}
	st = feed_parse(s, len, codes, &msg, why, sizeof why);
	if (st == BC_OK) {
		snprintf(why, sizeof why, "accepted, %zu removed", msg.nremoved);
		feed_msg_done(&msg);
	}
	fprintf(stderr, "%.2f MB: %s\n", len / 1048576.0, why);
	free(s);
	exit(0);
}

static void
bench_budget(void)
{
	static const char *const what[2] = { "zeros", "removed" };
	struct rusage	 ru;
	pid_t		 pid;
	int		 status, i;

	for (i = 0; i < 2; i++) {
		fflush(stdout);
		if ((pid = fork()) == 0) {
			execl(self, self, map_path, "budget-child", what[i],
			    (char *)NULL);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &status, 0, &ru) != pid ||
		    !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			printf("budget %-8s     (could not run %s)\n", what[i],
			    self);
			continue;
		}
		printf("peak RSS %-8s %10.1f MB   target <= 256 MB   %s\n",
		    what[i], ru.ru_maxrss / 1024.0,
		    verdict(ru.ru_maxrss <= 256 * 1024));
	}
}

static int
wanted(int argc, char **argv, const char *what)
{
	int	i, any = 0;

	for (i = 1; i < argc; i++) {
		if (strchr(argv[i], '/') != NULL || strstr(argv[i], ".geo"))
			continue;
		any = 1;
		if (strcmp(argv[i], what) == 0)
			return (1);
	}
	return (!any);
}

int
main(int argc, char **argv)
{
	static char		 path[4096];
	struct border_map	*m;
	struct apibuf		 big;
	int			 i;

	self = argv[0];
	snprintf(path, sizeof path, "%s/maps/%s", SRCDIR, MAP_DEFAULT_FILE);
	map_path = path;
	if (argc == 4 && strcmp(argv[2], "rss-child") == 0) {
		map_path = argv[1];
		rss_child(argv[3]);
	}
	if (argc == 4 && strcmp(argv[2], "budget-child") == 0) {
		map_path = argv[1];
		budget_child(argv[3]);
	}
	for (i = 1; i < argc; i++)
		if (strchr(argv[i], '/') != NULL || strstr(argv[i], ".geo"))
			map_path = argv[i];

	setvbuf(stdout, NULL, _IOLBF, 0);
	m = load_map();
	if (wanted(argc, argv, "locate") || wanted(argc, argv, "accuracy"))
		bench_locate(m, wanted(argc, argv, "accuracy"));
	if (wanted(argc, argv, "far"))
		bench_far(m, wanted(argc, argv, "accuracy"));
	apibuf_init(&big);
	if (wanted(argc, argv, "pipeline") || wanted(argc, argv, "parse") ||
	    wanted(argc, argv, "rss")) {
		bench_pipeline(m, 1000, 0, NULL);
		bench_pipeline(m, 10000, 1, &big);
	}
	if (wanted(argc, argv, "parse") && big.len > 0)
		bench_parse(m, &big);
	if (wanted(argc, argv, "rss") && big.len > 0)
		bench_rss(&big);
	if (wanted(argc, argv, "farpoll"))
		bench_farpoll(m);
	if (wanted(argc, argv, "flood"))
		bench_flood(m);
	if (wanted(argc, argv, "budget"))
		bench_budget();
	apibuf_done(&big);
	border_free(m);
	return (0);
}
