/*
 * test_cot.c: --cot output for a scripted gap sequence (open, grow,
 * close) and for units, read back by a real CoT implementation
 * (@tak-ps/node-cot, through tests/cot-check.sh), and checked against
 * the border line: types, uids, time/start/stale order, the drawing's
 * link points on the line over exactly the gap's stretch, the delete by
 * the same uid.  Skipped (77) when node or npm is missing.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

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

#include "cot.h"
#include "map.h"
#include "picture.h"
#include "util.h"
#include "xmalloc.h"

#define T0		1.9e9		/* the scripted picture clock */
#define INTERVAL	10.0
#define ON_LINE_KM	0.002		/* a link point is on the line */

static struct border_map	*map;
static char			 dir[64];

/* Parse the events in path with node-cot: one cJSON object an event. */
static cJSON **
parse_events(const char *path, size_t *n)
{
	char	 cmd[512], out[128], line[1 << 16];
	cJSON	**v = NULL;
	FILE	*f;
	int	 st;

	snprintf(out, sizeof out, "%s/parsed", dir);
	snprintf(cmd, sizeof cmd, "top_srcdir='%s' sh '%s/tests/cot-check.sh' "
	    "'%s' '%s'", SRCDIR, SRCDIR, path, out);
	st = system(cmd);
	assert_true(WIFEXITED(st));
	if (WEXITSTATUS(st) == 77)
		skip();
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_non_null(f = fopen(out, "r"));
	*n = 0;
	while (fgets(line, sizeof line, f) != NULL) {
		v = xreallocarray(v, *n + 1, sizeof *v);
		assert_non_null(v[*n] = cJSON_Parse(line));
		(*n)++;
	}
	fclose(f);
	return (v);
}

static void
free_events(cJSON **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		cJSON_Delete(v[i]);
	free(v);
}

static const char *
str(const cJSON *o, const char *k)
{
	const cJSON	*j = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsString(j));
	return (j->valuestring);
}

static double
num(const cJSON *o, const char *k)
{
	const cJSON	*j = cJSON_GetObjectItemCaseSensitive(o, k);

	assert_true(cJSON_IsNumber(j));
	return (j->valuedouble);
}

static double
when(const cJSON *o, const char *k)
{
	double	t;

	assert_int_equal(time_parse_rfc3339(str(o, k), &t), 0);
	return (t);
}

/* What every event must be: read, time <= start < stale. */
static void
check_times(const cJSON *e, double now, double stale_after)
{
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(e, "ok")));
	assert_true(fabs(when(e, "time") - now) < 0.002);
	assert_true(when(e, "time") <= when(e, "start"));
	assert_true(when(e, "start") < when(e, "stale"));
	if (stale_after > 0)
		assert_true(fabs(when(e, "stale") - now - stale_after) < 0.002);
}

/*
 * A gap drawing: u-d-f, the uid, the centre on the line inside the
 * stretch, links from the stretch's start to its end along the line, and
 * every vertex of the line inside the stretch among them.
 */
static void
check_gap(const cJSON *e, const char *uid, double a, double b, double now)
{
	const cJSON		*links, *p;
	struct placement	 pl;
	double			 lat, lon, prev = -1, s;
	size_t			 inside, i, k, lo;

	check_times(e, now, 3 * INTERVAL);
	assert_string_equal(str(e, "type"), "u-d-f");
	assert_string_equal(str(e, "uid"), uid);
	assert_string_equal(str(e, "geometry"), "LineString");
	border_locate(map, num(e, "lat"), num(e, "lon"), &pl);
	assert_true(pl.s_km > a && pl.s_km < b);
	assert_true(fabs(pl.d_km) < ON_LINE_KM);

	links = cJSON_GetObjectItem(e, "links");
	assert_true(cJSON_IsArray(links));
	for (lo = 0; map->chain_km[lo] <= a; lo++)
		;
	for (inside = 0, i = 0; i < map->nverts; i++)
		if (map->chain_km[i] > a && map->chain_km[i] < b)
			inside++;
	assert_int_equal(cJSON_GetArraySize(links), inside + 2);
	assert_int_equal((size_t)num(e, "geometry_n"), inside + 2);
	k = 0;
	cJSON_ArrayForEach(p, links) {
		lat = cJSON_GetArrayItem(p, 0)->valuedouble;
		lon = cJSON_GetArrayItem(p, 1)->valuedouble;
		border_locate(map, lat, lon, &pl);
		s = pl.s_km;
		assert_true(fabs(pl.d_km) < ON_LINE_KM);
		if (k == 0)
			assert_true(fabs(s - a) < ON_LINE_KM);
		else if (k == inside + 1)
			assert_true(fabs(s - b) < ON_LINE_KM);
		else {
			/* The line's own vertices, in order. */
			assert_true(s > a && s < b);
			assert_true(fabs(lat - map->lat[lo + k - 1]) < 1e-6);
			assert_true(fabs(lon - map->lon[lo + k - 1]) < 1e-6);
		}
		assert_true(s >= prev - ON_LINE_KM);
		prev = s;
		k++;
	}
}

static void
gap_at(struct gap *g, unsigned id, double a, double b)
{
	memset(g, 0, sizeof *g);
	g->id = id;
	g->a = a;
	g->b = b;
	g->sector[SIDE_LEFT] = border_sector_at(map, SIDE_LEFT, (a + b) / 2);
	g->sector[SIDE_RIGHT] = border_sector_at(map, SIDE_RIGHT, (a + b) / 2);
	g->open_since = T0;
	snprintf(g->near, sizeof g->near, "near \"A&B\" <here>");
}

static struct cot *
open_file(const char *path, enum cot_units units, int own)
{
	struct cot_config	 cc;
	struct cot		*cot;
	char			 why[256];

	memset(&cc, 0, sizeof cc);
	cc.dest = path;
	cc.interval_s = INTERVAL;
	cc.units = units;
	cc.own_side = own;
	cc.station = "test";
	if (cot_open(&cc, &cot, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
	return (cot);
}

/* Open, grow, close: the events a CoT parser reads back. */
static void
test_gap_sequence(void **state)
{
	struct picture	 pic;
	struct gap	 g[2];
	struct cot	*cot;
	cJSON		**ev;
	char		 path[128], why[256];
	const cJSON	*lu;
	size_t		 n;
	unsigned	 i;

	(void)state;
	snprintf(path, sizeof path, "%s/gaps.cot", dir);
	cot = open_file(path, COT_UNITS_NONE, SIDE_NONE);
	picture_init(&pic);
	pic.map = map;

	/* Open: gap 7 over 15 km, and gap 9 (untouched later). */
	gap_at(&g[0], 7, 1200, 1215);
	gap_at(&g[1], 9, 300, 420);
	pic.gaps = g;
	pic.ngaps = 2;
	assert_int_equal(cot_update(cot, &pic, T0, 1, why, sizeof why),
	    BC_OK);
	/* Unchanged a second later: nothing sent again. */
	assert_int_equal(cot_update(cot, &pic, T0 + 1, 1, why, sizeof why),
	    BC_OK);
	assert_int_equal(cot_sent(cot), 2);
	/* Grows: 7 sent again; 9 resent only once an interval passed. */
	gap_at(&g[0], 7, 1195, 1240.5);
	assert_int_equal(cot_update(cot, &pic, T0 + 5, 1, why, sizeof why),
	    BC_OK);
	assert_int_equal(cot_sent(cot), 3);
	/* An unknown picture sends nothing, not even gap 9 due again. */
	pic.unknown = 1;
	assert_int_equal(cot_update(cot, &pic, T0 + 11, 1, why, sizeof why),
	    BC_OK);
	assert_int_equal(cot_sent(cot), 3);
	pic.unknown = 0;
	/* Closes: 7 deleted; 9 refreshed (an interval on). */
	pic.gaps = &g[1];
	pic.ngaps = 1;
	assert_int_equal(cot_update(cot, &pic, T0 + 12, 1, why, sizeof why),
	    BC_OK);
	assert_int_equal(cot_sent(cot), 5);
	cot_close(cot);
	pic.gaps = NULL;
	pic.ngaps = 0;
	picture_done(&pic);

	ev = parse_events(path, &n);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		if (!cJSON_IsTrue(cJSON_GetObjectItem(ev[i], "ok")))
			fail_msg("event %u: %s", i, str(ev[i], "error"));
	check_gap(ev[0], "bordercop.test.gap.7", 1200, 1215, T0);
	check_gap(ev[1], "bordercop.test.gap.9", 300, 420, T0);
	check_gap(ev[2], "bordercop.test.gap.7", 1195, 1240.5, T0 + 5);
	assert_non_null(strstr(str(ev[0], "callsign"), "GAP 7 15.0 km "));
	assert_non_null(strstr(str(ev[2], "callsign"), "GAP 7 45.5 km "));
	/* Both languages, and the feed's text escaped and read back. */
	assert_non_null(strstr(str(ev[0], "remarks"), "Uncovered border"));
	assert_non_null(strstr(str(ev[0], "remarks"),
	    "Frontera sin cobertura"));
	assert_non_null(strstr(str(ev[0], "remarks"), "near \"A&B\" <here>"));

	/* The close order depends on nothing but the picture: gap 9's
	   refresh, then gap 7's delete, by the same uid. */
	check_gap(ev[3], "bordercop.test.gap.9", 300, 420, T0 + 12);
	check_times(ev[4], T0 + 12, 0);
	assert_string_equal(str(ev[4], "type"), "t-x-d-d");
	assert_string_equal(str(ev[4], "uid"), "bordercop.test.gap.7");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ev[4], "forcedelete")));
	lu = cJSON_GetObjectItem(ev[4], "link_uids");
	assert_int_equal(cJSON_GetArraySize(lu), 1);
	assert_string_equal(cJSON_GetArrayItem(lu, 0)->valuestring,
	    "bordercop.test.gap.7");
	free_events(ev, n);
}

static struct report
mkreport(const char *id, int side, enum unit_kind kind, double lat,
    double lon, double time)
{
	struct report	r;

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "%s", id);
	snprintf(r.callsign, sizeof r.callsign, "%s-cs", id);
	snprintf(r.agency, sizeof r.agency, side == SIDE_LEFT ? "USBP" : "GN");
	r.side = side;
	r.kind = kind;
	r.status = STATUS_PATROL;
	r.lat = lat;
	r.lon = lon;
	r.seq = 1;
	r.time = time;
	r.stale_at = NAN;
	r.heading_deg = 90;
	r.speed_kmh = 36;
	r.radius_km = NAN;
	r.ce_m = 12;
	return (r);
}

/*
 * Units: none by default; own: this side's fresh units, friendly; all:
 * the other side's too, neutral.  Stale ones are never sent.
 */
static void
test_units(void **state)
{
	struct unit_table	 t;
	struct picture		 pic;
	struct picture_config	 pc;
	struct report		 r;
	struct cot		*cot;
	cJSON			**ev;
	char			 path[128], why[256];
	size_t			 n, i;
	int			 seen_mx = 0;
	enum cot_units		 which;

	(void)state;
	units_init(&t);
	r = mkreport("US-1", SIDE_LEFT, KIND_VEHICLE, 31.40, -110.9, T0 - 30);
	units_merge(&t, &r);
	r = mkreport("MX-1", SIDE_RIGHT, KIND_FOOT, 31.30, -110.9, T0 - 60);
	units_merge(&t, &r);
	r = mkreport("US-OLD", SIDE_LEFT, KIND_DRONE, 31.40, -110.5,
	    T0 - 3600);
	units_merge(&t, &r);
	picture_config_defaults(&pc);
	picture_init(&pic);
	picture_build(&pic, map, &t, &pc, T0);

	for (which = COT_UNITS_NONE; which <= COT_UNITS_ALL; which++) {
		snprintf(path, sizeof path, "%s/units%d.cot", dir, (int)which);
		cot = open_file(path, which, SIDE_LEFT);
		/* Gaps are someone else's business here. */
		pic.ngaps = 0;
		assert_int_equal(cot_update(cot, &pic, T0, 1, why,
		    sizeof why), BC_OK);
		/* Not fresh (no new answer): units are not sent again. */
		assert_int_equal(cot_update(cot, &pic, T0 + 1, 0, why,
		    sizeof why), BC_OK);
		cot_close(cot);
		if (which == COT_UNITS_NONE) {
			struct stat	sb;

			assert_int_equal(stat(path, &sb), 0);
			assert_int_equal(sb.st_size, 0);
			continue;
		}
		ev = parse_events(path, &n);
		assert_int_equal(n, which == COT_UNITS_OWN ? 1 : 2);
		for (i = 0; i < n; i++) {
			check_times(ev[i], T0, 0);
			if (strcmp(str(ev[i], "uid"), "bordercop.unit.US-1")
			    == 0) {
				assert_string_equal(str(ev[i], "type"),
				    "a-f-G-E-V");
				assert_string_equal(str(ev[i], "callsign"),
				    "US-1-cs");
				assert_true(fabs(num(ev[i], "lat") - 31.40) <
				    1e-6);
				/* Fresh until its report is 300 s old, but
				   sent again within 3 intervals. */
				assert_true(fabs(when(ev[i], "stale") - T0 -
				    3 * INTERVAL) < 0.002);
			} else {
				assert_string_equal(str(ev[i], "uid"),
				    "bordercop.unit.MX-1");
				assert_string_equal(str(ev[i], "type"),
				    "a-n-G-U-C-I");
				assert_non_null(strstr(str(ev[i], "remarks"),
				    "a pie"));
				seen_mx = 1;
			}
		}
		free_events(ev, n);
	}
	assert_true(seen_mx);
	picture_done(&pic);
	units_done(&t);
}

/* One event on a socket the test holds: a gap at 500..520 km. */
static void
send_one(const char *dest)
{
	struct cot_config	 cc;
	struct cot		*cot;
	struct picture		 pic;
	struct gap		 g;
	char			 why[256];

	memset(&cc, 0, sizeof cc);
	cc.dest = dest;
	cc.interval_s = INTERVAL;
	cc.station = "test";
	if (cot_open(&cc, &cot, why, sizeof why) != BC_OK)
		fail_msg("%s", why);
	picture_init(&pic);
	pic.map = map;
	gap_at(&g, 3, 500, 520);
	pic.gaps = &g;
	pic.ngaps = 1;
	assert_int_equal(cot_update(cot, &pic, T0, 1, why, sizeof why),
	    BC_OK);
	assert_int_equal(cot_sent(cot), 1);
	assert_int_equal(cot_lost(cot), 0);
	pic.gaps = NULL;
	pic.ngaps = 0;
	picture_done(&pic);
	cot_close(cot);
}

/* TCP: events back to back, one a line; UDP: one a datagram. */
static void
test_sockets(void **state)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof sin;
	char			 dest[64], buf[65536];
	ssize_t			 n, got;
	int			 ls, fd;

	(void)state;
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true((ls = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(listen(ls, 4), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sin, &sl), 0);
	snprintf(dest, sizeof dest, "tcp://127.0.0.1:%u",
	    (unsigned)ntohs(sin.sin_port));
	send_one(dest);
	assert_true((fd = accept(ls, NULL, NULL)) >= 0);
	got = 0;
	while ((n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) > 0)
		got += n;
	buf[got] = '\0';
	close(fd);
	close(ls);
	assert_true(got > 0);
	assert_memory_equal(buf, "<?xml", 5);
	assert_non_null(strstr(buf, "uid=\"bordercop.test.gap.3\""));
	assert_true(strchr(buf, '\n') == buf + got - 1);
	assert_memory_equal(buf + got - 9, "</event>\n", 9);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sl = sizeof sin;
	assert_true((ls = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	assert_int_equal(bind(ls, (struct sockaddr *)&sin, sizeof sin), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sin, &sl), 0);
	snprintf(dest, sizeof dest, "udp://127.0.0.1:%u",
	    (unsigned)ntohs(sin.sin_port));
	send_one(dest);
	got = recv(ls, buf, sizeof buf - 1, MSG_DONTWAIT);
	close(ls);
	assert_true(got > 0);
	buf[got] = '\0';
	assert_memory_equal(buf, "<?xml", 5);
	assert_memory_equal(buf + got - 8, "</event>", 8);
	assert_non_null(strstr(buf, "type=\"u-d-f\""));
}

/* Bad destinations get a clear reason. */
static void
test_bad_dest(void **state)
{
	struct cot_config	 cc;
	struct cot		*cot;
	char			 why[256];

	(void)state;
	memset(&cc, 0, sizeof cc);
	cc.interval_s = 10;
	cc.dest = "tcp://127.0.0.1";
	assert_int_equal(cot_open(&cc, &cot, why, sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "want tcp://HOST:PORT"));
	cc.dest = "udp://239.2.3.1:99999";
	assert_int_equal(cot_open(&cc, &cot, why, sizeof why), BC_USAGE);
	cc.dest = "http://tak:8087";
	assert_int_equal(cot_open(&cc, &cot, why, sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "tcp://HOST:PORT, udp://HOST:PORT or a "
	    "file"));
	cc.dest = "/nonexistent-dir/x.cot";
	assert_int_equal(cot_open(&cc, &cot, why, sizeof why), BC_IO);
	assert_non_null(strstr(why, "No such file"));
	/* Port 1 on loopback: nobody listens. */
	cc.dest = "tcp://127.0.0.1:1";
	assert_int_equal(cot_open(&cc, &cot, why, sizeof why), BC_NET);
	assert_non_null(strstr(why, "refused"));
	cc.dest = "/dev/null";
	cc.units = COT_UNITS_OWN;
	cc.own_side = SIDE_NONE;
	assert_int_equal(cot_open(&cc, &cot, why, sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "--side"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gap_sequence),
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_sockets),
		cmocka_unit_test(test_bad_dest),
	};
	char	why[256], cmd[160];
	int	rc;

	if (system("command -v node >/dev/null 2>&1 && "
	    "command -v npm >/dev/null 2>&1") != 0) {
		printf("SKIP: node and npm are needed to check CoT with "
		    "@tak-ps/node-cot (apt-get install nodejs npm)\n");
		return (77);
	}
	if (map_load_file(SRCDIR "/maps/us-mx.geojson", &map, why,
	    sizeof why) != BC_OK) {
		fprintf(stderr, "%s\n", why);
		return (1);
	}
	snprintf(dir, sizeof dir, "/tmp/test_cot.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return (1);
	/* One npm install for the whole run, unless one is given. */
	if (getenv("BORDERCOP_NODE_COT") == NULL) {
		snprintf(cmd, sizeof cmd, "%s/node", dir);
		if (mkdir(cmd, 0700) != 0 ||
		    setenv("BORDERCOP_NODE_COT", cmd, 1) != 0)
			return (1);
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	(void)system(cmd);
	border_free(map);
	return (rc);
}
