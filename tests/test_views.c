/*
 * test_views.c: every view rendered to a curses screen of fixed size
 * (80x24 and 132x43) from a fixed, hand-built picture, read back from
 * curscr as text and compared with the expected screens kept in
 * tests/screens/.  BORDERCOP_UPDATE_SCREENS=1 rewrites them.
 *
 * The units come through the real parser (feed_parse), one of them with
 * escape sequences in its callsign.  Further tests check that ASCII mode
 * and monochrome still tell gaps and sides apart at the right cells, the
 * "terminal too small" message, search, filters, alerts and the clock.
 */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <wchar.h>
#include <cmocka.h>
#include <geodesic.h>

#include "events.h"
#include "feed.h"
#include "link.h"
#include "picture.h"
#include "reqbook.h"
#include "reqfeed.h"
#include "ui.h"
#include "util.h"
#include "view.h"
#include "xmalloc.h"

#define NOW_TEXT	"2026-11-28T02:00:00Z"

/* A unit of the fixture: what the feed says and what placement derived. */
struct fx_unit {
	const char	*id;
	const char	*side;
	const char	*callsign;	/* JSON text: may hold \u escapes */
	const char	*kind;
	const char	*status;
	double		 s_km, d_km;
	double		 age_s;
	enum unit_state	 state;
	int		 across;
	double		 radius_km;
};

static const struct fx_unit fx_units[] = {
	{ "USBP-A-1", "US", "A-11", "vehicle", "patrol", 50, 1.2, 30,
	    STATE_FRESH, 0, 5 },
	{ "USBP-A-2", "US", "A-12", "foot", "patrol", 262, 0.8, 400,
	    STATE_STALE, 0, 1.5 },
	{ "USBP-B-1", "US", "B-21", "vehicle", "responding", 560, 2.5, 12,
	    STATE_FRESH, 0, 5 },
	{ "USBP-B-2", "US", "B-22", "atv", "patrol", 700, 3.0, 2400,
	    STATE_LOST, 0, 4 },
	{ "MX-X-1", "MX", "X-1 Pe\\u00f1a", "vehicle", "patrol", 100, -2.0,
	    45, STATE_FRESH, 0, 5 },
	{ "MX-X-2", "MX", "X-2", "foot", "patrol", 380, 1.5, 20,
	    STATE_FRESH, 1, 1.5 },
	{ "MX-Y-1", "MX", "EVIL\\u001b[31mRED\\u001b]0;pwn\\u0007", "drone",
	    "patrol", 470, -1.0, 60, STATE_FRESH, 0, 8 },
	{ "MX-Y-2", "MX", "Y-2", "vehicle", "off-duty", 640, -4.0, 90,
	    STATE_INACTIVE, 0, 5 },
};
#define FX_NUNITS	(sizeof fx_units / sizeof fx_units[0])

static const double fx_lon[] = { -112.0, -111.0, -110.0, -109.0, -108.0,
    -107.0, -106.0, -105.0, -104.0 };
static const double fx_lat[] = { 31.9, 31.6, 31.4, 31.4, 31.7, 31.6, 31.1,
    30.4, 29.6 };
#define FX_NV		(sizeof fx_lon / sizeof fx_lon[0])

static const struct joint_run fx_runs[] = {
	{ 0, 40, JOINT_LEFT }, { 40, 120, JOINT_BOTH }, { 120, 176, JOINT_NONE },
	{ 176, 300, JOINT_LEFT }, { 300, 420, JOINT_RIGHT },
	{ 420, 432, JOINT_NONE }, { 432, 600, JOINT_BOTH },
	{ 600, 602, JOINT_NONE }, { 602, 760, JOINT_LEFT },
	{ 760, 760.4, JOINT_NONE }, { 760.4, 1000, JOINT_RIGHT }
};
#define FX_NRUNS	(sizeof fx_runs / sizeof fx_runs[0])

struct fixture {
	struct border_map	 map;
	struct geod_geodesic	 geod;
	double			 lat[FX_NV], lon[FX_NV], chain[FX_NV];
	struct sector		 sect[NSIDES][2];
	struct place		 places[2];
	struct unit_table	 units;
	struct pic_units	 punits;	/* what the picture derives */
	struct picture		 pic;
	struct gap		 gaps[4];
	struct overlap		 ovl;
	char			*ovl_ids[2];
	struct sector_stats	 stats[NSIDES][2];
	struct joint_run	 runs[FX_NRUNS];
	struct link_status	 link;
	struct event_log	 log;
	double			 now;
};

static struct fixture	*fx;

static void
fx_point(double s, double d, double *lat, double *lon)
{
	size_t	i;
	double	t;

	for (i = 0; i + 2 < FX_NV && fx->chain[i + 1] < s; i++)
		;
	t = (s - fx->chain[i]) / (fx->chain[i + 1] - fx->chain[i]);
	*lat = fx->lat[i] + t * (fx->lat[i + 1] - fx->lat[i]) + d / 111.32;
	*lon = fx->lon[i] + t * (fx->lon[i + 1] - fx->lon[i]);
}

static void
fx_map(void)
{
	struct border_map	*m = &fx->map;
	size_t			 i;
	double			 dx, dy, k;
	static char		 aaa[] = "AAA", bbb[] = "BBB", xx[] = "XX",
				 yy[] = "YY", alpha[] = "Alpha",
				 bravo[] = "Bravo Sector Long Name",
				 xray[] = "Xray",
				 yankee[] = "Nuevo Le\xc3\xb3n",
				 twin[] = "Twin Town POE", twl[] = "Twin",
				 twr[] = "Gemela", bc[] = "Border City POE",
				 bcl[] = "Border City", bcr[] = "Cd. Frontera",
				 name[] = "Test boundary",
				 att[] = "Line: \xc2\xa9 Test contributors "
				    "(test licence); more";

	for (i = 0; i < FX_NV; i++) {
		fx->lat[i] = fx_lat[i];
		fx->lon[i] = fx_lon[i];
		if (i == 0) {
			fx->chain[i] = 0;
			continue;
		}
		k = cos((fx_lat[i] + fx_lat[i - 1]) / 2 * M_PI / 180);
		dx = (fx_lon[i] - fx_lon[i - 1]) * 111.32 * k;
		dy = (fx_lat[i] - fx_lat[i - 1]) * 111.32;
		fx->chain[i] = fx->chain[i - 1] + sqrt(dx * dx + dy * dy);
	}
	m->name = name;
	m->attribution = att;
	m->accuracy_km = 0.25;
	m->nverts = FX_NV;
	m->lat = fx->lat;
	m->lon = fx->lon;
	m->chain_km = fx->chain;
	m->length_km = fx->chain[FX_NV - 1];
	snprintf(m->sides[0].code, sizeof m->sides[0].code, "US");
	snprintf(m->sides[0].name, sizeof m->sides[0].name, "United States");
	snprintf(m->sides[1].code, sizeof m->sides[1].code, "MX");
	snprintf(m->sides[1].name, sizeof m->sides[1].name, "Mexico");
	fx->sect[0][0] = (struct sector){ 0, aaa, alpha, 0, 300 };
	fx->sect[0][1] = (struct sector){ 0, bbb, bravo, 300, m->length_km };
	fx->sect[1][0] = (struct sector){ 1, xx, xray, 0, 450 };
	fx->sect[1][1] = (struct sector){ 1, yy, yankee, 450, m->length_km };
	for (i = 0; i < NSIDES; i++) {
		m->sectors[i] = fx->sect[i];
		m->nsectors[i] = 2;
	}
	fx->places[0].name = twin;
	fx->places[0].label[0] = twl;
	fx->places[0].label[1] = twr;
	fx->places[0].chainage_km = 210;
	fx_point(210, 0, &fx->places[0].lat, &fx->places[0].lon);
	fx->places[1].name = bc;
	fx->places[1].label[0] = bcl;
	fx->places[1].label[1] = bcr;
	fx->places[1].chainage_km = 520;
	fx_point(520, 0, &fx->places[1].lat, &fx->places[1].lon);
	m->places = fx->places;
	m->nplaces = 2;
	m->geod = &fx->geod;
	geod_init(m->geod, 6378137, 1 / 298.257223563);
}

/* The units go through the real parser, as the feed would give them. */
static void
fx_feed(void)
{
	const char	*codes[NSIDES] = { "US", "MX" };
	struct feed_msg	 msg;
	char		*buf, tbuf[40], why[256];
	size_t		 i, o = 0, cap = 65536;
	double		 lat, lon;

	buf = xmalloc(cap);
	o += (size_t)snprintf(buf + o, cap - o, "{\"type\":\"FeatureCollection\","
	    "\"api\":\"bordercop-coordination/1\",\"server_time\":\"%s\","
	    "\"full\":true,\"features\":[", NOW_TEXT);
	for (i = 0; i < FX_NUNITS; i++) {
		fx_point(fx_units[i].s_km, fx_units[i].d_km, &lat, &lon);
		time_format_rfc3339(fx->now - fx_units[i].age_s, tbuf,
		    sizeof tbuf);
		o += (size_t)snprintf(buf + o, cap - o, "%s{\"type\":\"Feature\","
		    "\"id\":\"%s\",\"geometry\":{\"type\":\"Point\","
		    "\"coordinates\":[%.5f,%.5f]},\"properties\":{\"side\":"
		    "\"%s\",\"agency\":\"%s\",\"callsign\":\"%s\",\"kind\":"
		    "\"%s\",\"status\":\"%s\",\"seq\":%zu,\"time\":\"%s\","
		    "\"heading_deg\":90,\"speed_kmh\":20,\"ce_m\":10}}",
		    i > 0 ? "," : "", fx_units[i].id, lon, lat,
		    fx_units[i].side, strcmp(fx_units[i].side, "US") == 0 ?
		    "USBP" : "GN", fx_units[i].callsign, fx_units[i].kind,
		    fx_units[i].status, i + 1, tbuf);
	}
	o += (size_t)snprintf(buf + o, cap - o, "]}");
	assert_int_equal(feed_parse(buf, o, codes, &msg, why, sizeof why),
	    BC_OK);
	assert_int_equal(msg.nreports, FX_NUNITS);
	assert_int_equal(msg.nrejected, 0);
	units_init(&fx->units);
	feed_apply(&msg, &fx->units);
	feed_msg_done(&msg);
	free(buf);
	assert_int_equal(fx->units.n, FX_NUNITS);
}

/* What picture_build would derive, fixed by hand. */
static void
fx_derive(void)
{
	struct pic_unit		*u;
	const struct fx_unit	*f;
	size_t			 i, j;
	int			 side;

	fx->punits.v = xcalloc(fx->units.n, sizeof *fx->punits.v);
	fx->punits.n = fx->punits.cap = fx->units.n;
	for (i = 0; i < fx->units.n; i++) {
		u = &fx->punits.v[i];
		u->r = fx->units.v[i].r;
		for (j = 0; j < FX_NUNITS; j++)
			if (strcmp(fx_units[j].id, u->r.id) == 0)
				break;
		assert_true(j < FX_NUNITS);
		f = &fx_units[j];
		u->pl.s_km = f->s_km;
		u->pl.d_km = f->d_km;
		u->state = f->state;
		u->age_s = f->age_s;
		u->across = f->across;
		u->radius_km = f->radius_km;
		for (side = 0; side < NSIDES; side++)
			u->sector[side] = f->s_km < fx->sect[side][0].end_km ?
			    0 : 1;
		free(u->fp);
		u->fp = NULL;
		u->nfp = 0;
		if (f->state == STATE_FRESH) {
			u->fp = xcalloc(2, sizeof *u->fp);
			u->fp[0].a = f->s_km - f->radius_km;
			u->fp[0].b = f->s_km + f->radius_km;
			u->nfp = 1;
			if (f->radius_km >= 8) {
				u->fp[0].b = f->s_km;
				u->fp[1].a = f->s_km + 2;
				u->fp[1].b = f->s_km + f->radius_km;
				u->nfp = 2;
			}
		}
	}
}

/* Who can close gap g, as the picture derives it: the nearest fresh or
   stale unit of each side west and east of the gap's middle. */
static void
fx_nearest(struct gap *g)
{
	const struct pic_unit	*u;
	double			 mid = (g->a + g->b) / 2, d;
	size_t			 i;
	int			 end;

	memset(g->nearest, 0, sizeof g->nearest);
	for (i = 0; i < fx->punits.n; i++) {
		u = &fx->punits.v[i];
		if (u->state != STATE_FRESH && u->state != STATE_STALE)
			continue;
		end = u->pl.s_km <= mid ? GAP_WEST : GAP_EAST;
		d = end == GAP_WEST ? fmax(0, g->a - u->pl.s_km) :
		    fmax(0, u->pl.s_km - g->b);
		if (g->nearest[end][u->r.side].unit == 0 ||
		    d < g->nearest[end][u->r.side].dist_km) {
			g->nearest[end][u->r.side].unit = i + 1;
			g->nearest[end][u->r.side].dist_km = d;
		}
	}
}

static void
fx_picture(void)
{
	struct picture		*p = &fx->pic;
	struct sector_stats	*ss;
	const struct sector	*sc;
	const struct pic_unit	*u;
	double			 a, b;
	size_t			 i, k;
	int			 side;

	memset(p, 0, sizeof *p);
	picture_config_defaults(&p->cfg);
	p->map = &fx->map;
	p->units = &fx->punits;
	p->now = fx->now;
	p->as_of = fx->now - 12;	/* its newest data */
	memcpy(fx->runs, fx_runs, sizeof fx_runs);
	fx->runs[FX_NRUNS - 1].b = fx->map.length_km;
	p->runs = fx->runs;
	p->nruns = FX_NRUNS;
	for (i = 0; i < FX_NRUNS; i++)
		p->joint_km[fx->runs[i].cls] += fx->runs[i].b - fx->runs[i].a;

	fx->gaps[0] = (struct gap){ 120, 176, { 0, 0 }, "", fx->now - 3700,
	    1 };
	fx->gaps[1] = (struct gap){ 420, 432, { 1, 0 }, "", fx->now - 300,
	    2 };
	/* Open when the program started, four minutes ago. */
	fx->gaps[2] = (struct gap){ 600, 602, { 1, 1 }, "", fx->now - 240,
	    3, 1 };
	for (i = 0; i < 3; i++) {
		double	lat, lon;

		/* Each crosses the one sector at its midpoint. */
		for (side = 0; side < NSIDES; side++)
			fx->gaps[i].sec_first[side] =
			    fx->gaps[i].sec_last[side] =
			    fx->gaps[i].sector[side];

		fx_point((fx->gaps[i].a + fx->gaps[i].b) / 2, 0, &lat, &lon);
		border_near_phrase(&fx->map, lat, lon, SIDE_LEFT,
		    fx->gaps[i].near, sizeof fx->gaps[i].near);
	}
	/* Who can close the first: a US unit 3.5 km west, an MX unit
	   12 km east; the others have none. */
	fx->gaps[0].nearest[GAP_WEST][SIDE_LEFT] =
	    (struct gap_unit){ 1, 3.5 };
	fx->gaps[0].nearest[GAP_EAST][SIDE_RIGHT] =
	    (struct gap_unit){ fx->punits.n, 12 };
	for (i = 0; i < 3; i++)
		fx_nearest(&fx->gaps[i]);
	p->gaps = fx->gaps;
	p->ngaps = 3;

	fx->ovl_ids[0] = fx->units.v[0].r.id;
	fx->ovl_ids[1] = fx->units.v[1].r.id;
	fx->ovl = (struct overlap){ SIDE_LEFT, 46, 55, fx->ovl_ids, 2 };
	p->overlaps = &fx->ovl;
	p->noverlaps = 1;

	for (side = 0; side < NSIDES; side++) {
		p->stats[side] = fx->stats[side];
		for (k = 0; k < 2; k++) {
			sc = &fx->sect[side][k];
			ss = &fx->stats[side][k];
			memset(ss, 0, sizeof *ss);
			ss->len_km = sc->end_km - sc->start_km;
			for (i = 0; i < FX_NRUNS; i++) {
				a = fmax(sc->start_km, fx->runs[i].a);
				b = fmin(sc->end_km, fx->runs[i].b);
				if (b <= a)
					continue;
				if (fx->runs[i].cls & (1 << side))
					ss->own_km += b - a;
				if (fx->runs[i].cls == JOINT_BOTH)
					ss->joint_km += b - a;
			}
			for (i = 0; i < p->ngaps; i++) {
				a = fmax(sc->start_km, fx->gaps[i].a);
				b = fmin(sc->end_km, fx->gaps[i].b);
				if (b <= a)
					continue;
				ss->gaps++;
				ss->longest_gap_km = fmax(ss->longest_gap_km,
				    b - a);
			}
		}
	}
	for (i = 0; i < fx->punits.n; i++) {
		u = &fx->punits.v[i];
		p->count[u->r.side][u->state]++;
		fx->stats[u->r.side][u->sector[u->r.side]].units[u->state]++;
		if (u->across)
			p->across++;
	}
}

static void
fx_events(void)
{
	events_init(&fx->log, 16);
	events_add(&fx->log, fx->now - 3700, EVENT_GAP_OPEN,
	    "gap #1 opened: km 120.0-176.0 (56.0 km) US AAA / MX XX");
	events_add(&fx->log, fx->now - 2400, EVENT_UNIT_LOST,
	    "B-22 (USBP-B-2) lost: last report 40m00 ago");
	events_add(&fx->log, fx->now - 400, EVENT_ACROSS,
	    "X-2 (MX-X-2) across the line: +1.50 km, km 380.0");
	events_add(&fx->log, fx->now - 300, EVENT_GAP_OPEN,
	    "gap #2 opened: km 420.0-432.0 (12.0 km) US BBB / MX XX");
	events_add(&fx->log, fx->now - 120, EVENT_LINK_DOWN,
	    "link down: connection refused");
	events_add(&fx->log, fx->now - 60, EVENT_LINK_UP, "link up");
}

static int
setup(void **state)
{
	(void)state;
	fx = xcalloc(1, sizeof *fx);
	assert_int_equal(time_parse_rfc3339(NOW_TEXT, &fx->now), 0);
	fx_map();
	fx_feed();
	fx_derive();
	fx_picture();
	fx_events();
	fx->link.state = LINK_OK;
	snprintf(fx->link.source, sizeof fx->link.source, "api.example.test");
	fx->link.last_good = fx->now - 3;
	return (0);
}

static int
teardown(void **state)
{
	size_t	i;

	(void)state;
	units_done(&fx->units);
	for (i = 0; i < fx->punits.n; i++)
		free(fx->punits.v[i].fp);
	free(fx->punits.v);
	events_done(&fx->log);
	free(fx);
	fx = NULL;
	return (0);
}

/* A ui on a /dev/null terminal of the given size. */
static struct ui *
mk_ui_term(int cols, int rows, int ascii, int mono, const char *term)
{
	struct ui_options	 o;
	struct ui		*ui;
	char			 why[128], buf[16];
	FILE			*out, *in;

	snprintf(buf, sizeof buf, "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof buf, "%d", rows);
	setenv("LINES", buf, 1);
	setenv("TERM", term, 1);
	unsetenv("NO_COLOR");
	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	ui_options_defaults(&o);
	o.ascii = ascii;
	o.no_color = mono;
	ui = ui_new_term(&o, term, out, in, why, sizeof why);
	assert_non_null(ui);
	ui_set_data(ui, &fx->pic, &fx->map, &fx->link, &fx->log);
	ui_tick(ui, fx->now);
	ui_draw(ui);
	return (ui);
}

static struct ui *
mk_ui(int cols, int rows, int ascii, int mono)
{
	return (mk_ui_term(cols, rows, ascii, mono, "xterm-256color"));
}

static void
rm_ui(struct ui *ui)
{
	FILE	*out = ui->out;

	ui_free(ui);
	fclose(out);
}

/* The character at (y, x) of the physical screen, as UTF-8. */
static void
cell_at(int y, int x, char *buf, size_t len, attr_t *attr)
{
	cchar_t		cc;
	wchar_t		wch[CCHARW_MAX + 1];
	attr_t		a;
	short		pair;
	mbstate_t	mbs;
	size_t		n;

	memset(&mbs, 0, sizeof mbs);
	mvwin_wch(curscr, y, x, &cc);
	getcchar(&cc, wch, &a, &pair, NULL);
	if (attr != NULL)
		*attr = a;
	if (wch[0] == L'\0')
		wch[0] = L' ';
	n = wcrtomb(buf, wch[0], &mbs);
	if (n == (size_t)-1 || n >= len)
		n = 0;
	buf[n] = '\0';
}

/* The whole screen as text, trailing blanks trimmed. */
static char *
screen_text(const struct ui *ui)
{
	char	*s, c[8];
	size_t	 o = 0, cap, keep;
	int	 y, x;

	cap = (size_t)ui->rows * ((size_t)ui->cols * 4 + 1) + 1;
	s = xmalloc(cap);
	for (y = 0; y < ui->rows; y++) {
		keep = o;
		for (x = 0; x < ui->cols; x++) {
			cell_at(y, x, c, sizeof c, NULL);
			memcpy(s + o, c, strlen(c));
			o += strlen(c);
			if (strcmp(c, " ") != 0)
				keep = o;
		}
		o = keep;
		s[o++] = '\n';
	}
	s[o] = '\0';
	return (s);
}

static void
check_screen(const struct ui *ui, const char *name)
{
	char	 path[1024], *got, *want = NULL, why[256];
	size_t	 len;
	FILE	*f;
	const char *up = getenv("BORDERCOP_UPDATE_SCREENS");

	got = screen_text(ui);
	snprintf(path, sizeof path, "%s/tests/screens/%s.txt", SRCDIR, name);
	if (up != NULL && strcmp(up, "1") == 0) {
		f = fopen(path, "w");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
		free(got);
		return;
	}
	if (file_read_all(path, 1 << 20, &want, &len, why, sizeof why) !=
	    BC_OK) {
		print_error("%s: %s (BORDERCOP_UPDATE_SCREENS=1 writes it)\n",
		    path, why);
		fail();
	}
	if (strcmp(got, want) != 0) {
		snprintf(path, sizeof path, "%s/tests/%s.got", BUILDDIR, name);
		f = fopen(path, "w");
		if (f != NULL) {
			fputs(got, f);
			fclose(f);
		}
		print_error("screen %s differs from tests/screens/%s.txt; "
		    "what was drawn is in %s\n", name, name, path);
		fail();
	}
	free(got);
	free(want);
}

/* Row of the screen holding s, or -1. */
static int
find_row(const struct ui *ui, const char *s)
{
	char	*text, *line, *nl;
	int	 y, r = -1;

	text = screen_text(ui);
	for (y = 0, line = text; *line != '\0'; y++, line = nl + 1) {
		nl = strchr(line, '\n');
		*nl = '\0';
		if (strstr(line, s) != NULL) {
			r = y;
			break;
		}
	}
	free(text);
	return (r);
}

static int
count_cells(const struct ui *ui, int y0, int y1, const char *g,
    attr_t need)
{
	char	c[8];
	attr_t	a;
	int	y, x, n = 0;

	for (y = y0; y < y1; y++)
		for (x = 0; x < ui->cols; x++) {
			cell_at(y, x, c, sizeof c, &a);
			if ((g == NULL || strcmp(c, g) == 0) &&
			    (a & need) == need)
				n++;
		}
	return (n);
}

static void
screens_at(int cols, int rows)
{
	struct ui	*ui;
	char		 name[64];

	ui = mk_ui(cols, rows, 0, 0);
#define SHOT(what) do {							\
	snprintf(name, sizeof name, "%s-%dx%d", what, cols, rows);	\
	ui_draw(ui);							\
	check_screen(ui, name);						\
} while (0)
	SHOT("map");
	ui_key(ui, '2');
	SHOT("sectors");
	ui_key(ui, '3');
	SHOT("units");
	ui_key(ui, '\r');
	SHOT("details");
	ui_key(ui, 27);
	ui_key(ui, '4');
	SHOT("gaps");
	ui_key(ui, '?');
	SHOT("help");
	ui_key(ui, '1');
	ui_key(ui, 'n');
	SHOT("map-gap1");
	ui_key(ui, '0');
	ui_key(ui, 'a');
	ui_key(ui, '\t');
	assert_int_equal(ui_view(ui), VIEW_SECTORS);
#undef SHOT
	rm_ui(ui);
}

static void
test_screens_80x24(void **state)
{
	(void)state;
	screens_at(80, 24);
}

static void
test_screens_132x43(void **state)
{
	(void)state;
	screens_at(132, 43);
}

/* The status line: source, link, counts, coverage, gaps, clock. */
static void
test_status(void **state)
{
	struct ui	*ui;
	char		*text;

	(void)state;
	ui = mk_ui(80, 24, 0, 0);
	text = screen_text(ui);
	assert_non_null(strstr(text, "api.example"));
	assert_non_null(strstr(text, "OK"));
	assert_non_null(strstr(text, "US 2/1/1"));
	assert_non_null(strstr(text, "MX 3/0/0"));
	/* Data 12 s old: the link's age says enough. */
	assert_non_null(strstr(text, "gaps 3 max 56km AAA/XX"));
	assert_null(strstr(text, "age 12s"));
	assert_non_null(strstr(text, "02:00:00Z"));
	assert_int_equal(find_row(ui, "02:00:00Z"), 0);
	free(text);

	/* A tick moves the clock and the link age, and nothing else. */
	ui_tick(ui, fx->now + 1);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "02:00:01Z"), 0);
	assert_int_equal(find_row(ui, "4s"), 0);
	/* A minute on, with no new data (a server clock standing still):
	   the picture's age shows, on the picture clock. */
	ui_tick(ui, fx->now + 60);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "age 1m12"), 0);
	assert_int_equal(find_row(ui, "02:01:00Z"), 0);
	rm_ui(ui);

	/* The local clock 5 days behind the server's: the clock shown is
	   the server's, and the status line says the local one is off. */
	fx->link.server_skew_s = 5 * 86400 + 30;
	ui = mk_ui(132, 43, 0, 0);
	ui_set_offset(ui, fx->link.server_skew_s);
	ui_tick(ui, fx->now - fx->link.server_skew_s);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "CLOCK -5d"), 0);
	assert_int_equal(find_row(ui, "02:00:00Z"), 0);
	rm_ui(ui);
	fx->link.server_skew_s = 0;

	/* An unknown picture says so, and shows no coverage figure. */
	fx->pic.unknown = 1;
	fx->pic.unknown_since = fx->now - 600;
	ui = mk_ui(132, 43, 0, 0);
	assert_int_equal(find_row(ui, "UNKNOWN since 01:50Z"), 0);
	assert_int_equal(find_row(ui, "cov ?"), 0);
	assert_int_equal(find_row(ui, "cov 92%"), -1);
	rm_ui(ui);
	fx->pic.unknown = 0;

	/* A link that is down says why, on the footer, cleaned and cut
	   with a marker; the tabs come back when it is up. */
	fx->link.state = LINK_DOWN;
	snprintf(fx->link.error, sizeof fx->link.error, "HTTP 503 Service "
	    "Unavailable, retry after 30 s, and a long tail to be cut off");
	ui = mk_ui(80, 24, 0, 0);
	assert_int_equal(find_row(ui, "link DOWN: HTTP 503 Service"), 23);
	assert_int_equal(find_row(ui, "q quit"), 23);
	assert_int_equal(find_row(ui, "2 Sectors"), -1);
	assert_int_equal(find_row(ui, "cut off"), -1);
	fx->link.state = LINK_OK;
	fx->link.error[0] = '\0';
	ui_link_changed(ui);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "2 Sectors"), 23);
	assert_int_equal(find_row(ui, "link DOWN"), -1);
	rm_ui(ui);

	/* Rejected features: their count on the status line, the first
	   reason on the footer; all of a full answer rejected in red. */
	fx->link.last_rejected = 2;
	fx->link.all_rejected = 1;
	snprintf(fx->link.reject_note, sizeof fx->link.reject_note,
	    "#0 U1: properties.time: 86103 s ahead of server_time");
	ui = mk_ui(80, 24, 0, 0);
	assert_int_equal(find_row(ui, "rej 2"), 0);
	assert_int_equal(find_row(ui, "all 2 rejected: #0 U1: properties.time"),
	    23);
	assert_int_equal(find_row(ui, "q quit"), 23);
	assert_int_equal(find_row(ui, "api.example"), 0);
	assert_int_equal(find_row(ui, "02:00:00Z"), 0);
	rm_ui(ui);
	fx->link.last_rejected = 0;
	fx->link.all_rejected = 0;
	fx->link.reject_note[0] = '\0';

	/* Thousands of units at 80 columns: brief counts, the longest gap
	   whole (never a number cut short), the clock still there. */
	{
		size_t	saved[NSIDES][STATE_COUNT], k;
		int	side;

		memcpy(saved, fx->pic.count, sizeof saved);
		for (side = 0; side < NSIDES; side++)
			for (k = 0; k < 3; k++)
				fx->pic.count[side][k] = 1999 + 777 * k +
				    11 * (size_t)side;
		ui = mk_ui(80, 24, 0, 0);
		text = screen_text(ui);
		assert_non_null(strstr(text, "api.exam"));
		assert_non_null(strstr(text, "US 2k/3k/4k"));
		assert_non_null(strstr(text, "MX 2k/3k/4k"));
		assert_non_null(strstr(text, "gaps 3 max 56km"));
		assert_int_equal(find_row(ui, "gaps 3 max 56km"), 0);
		assert_int_equal(find_row(ui, "02:00:00Z"), 0);
		free(text);
		rm_ui(ui);
		memcpy(fx->pic.count, saved, sizeof saved);
	}
}

/* The status line's row, as text. */
static char *
status_row(const struct ui *ui)
{
	char	*text, *nl;

	text = screen_text(ui);
	if ((nl = strchr(text, '\n')) != NULL)
		*nl = '\0';
	return (text);
}

/*
 * A replay at 80 columns with everything to say (a skewed clock,
 * alerts, requests): the banner whole with its time and "paused", the
 * replayed clock at the right end, and what the man page keeps (the link
 * and its age, cov, gaps); what goes, goes by rank, not by position.
 */
static void
test_status_narrow(void **state)
{
	const char *const	 codes[NSIDES] = { "US", "MX" };
	struct reqbook_config	 c;
	struct reqbook		 b;
	struct alert_queue	 q;
	struct ui		*ui;
	char			*row, why[256], id[REQ_ID_MAX + 1];
	double			 at = fx->now - 3 * 3600 + 12 * 60;
	int			 i;

	(void)state;
	memset(&c, 0, sizeof c);
	c.side_codes[0] = codes[0];
	c.side_codes[1] = codes[1];
	c.side = 0;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	for (i = 0; i < 4; i++)
		assert_int_equal(reqbook_compose(&b, REQ_COVER, 100 + i,
		    110 + i, NULL, NULL, "x", NAN, fx->now, 2000, id, why,
		    sizeof why), BC_OK);
	for (i = 0; i < 4; i++) {
		b.v[i].pending_new = 0;
		b.v[i].on_server = 1;
		b.v[i].r.state = RS_SENT;
	}
	alerts_init(&q);
	for (i = 0; i < 5; i++)
		alerts_raise(&q, fx->now, ALERT_LINK, "LINK DOWN for 2 min");
	fx->link.server_skew_s = -(5 * 86400.0 + 30);

	/* Live first: the clock skew, alerts and requests at 80 columns
	   leave gaps, cov and the link in place. */
	ui = mk_ui(80, 24, 0, 0);
	ui_set_requests(ui, &b);
	ui_set_alerts(ui, &q);
	ui_link_changed(ui);
	ui_draw(ui);
	row = status_row(ui);
	assert_non_null(strstr(row, "CLOCK +5d"));
	assert_non_null(strstr(row, "OK 3s"));
	assert_non_null(strstr(row, "cov 92%"));
	assert_non_null(strstr(row, "gaps 3 max 56km"));
	assert_non_null(strstr(row, "02:00:00Z"));
	free(row);

	/* A replay, paused at 23:12:00: its banner is never cut, and the
	   right-end clock is the replayed one, not the live one. */
	fx->link.replay_at = at;
	snprintf(fx->link.source, sizeof fx->link.source,
	    "REPLAY 23:12:00Z paused");
	ui_link_changed(ui);
	ui_draw(ui);
	row = status_row(ui);
	assert_memory_equal(row, "REPLAY 23:12:00Z paused", 23);
	assert_non_null(strstr(row, "OK 3s"));
	assert_non_null(strstr(row, "cov 92%"));
	assert_non_null(strstr(row, "gaps 3 max 56km"));
	assert_non_null(strstr(row, "CLOCK +5d"));
	assert_null(strstr(row, "~"));
	assert_null(strstr(row, "02:00:00Z"));
	assert_non_null(strstr(row, "23:12:00Z"));
	assert_string_equal(row + 80 - 9, "23:12:00Z");
	/* Left out by rank: ALERTS (the footer has them) before the
	   requests' brief form. */
	assert_null(strstr(row, "ALERTS"));
	free(row);
	/* The clock tick rewrites the replayed clock, not the live one. */
	ui_tick(ui, fx->now + 1);
	ui_draw(ui);
	row = status_row(ui);
	assert_string_equal(row + 80 - 9, "23:12:00Z");
	free(row);
	/* Wider, everything is there, whole. */
	rm_ui(ui);
	ui = mk_ui(132, 43, 0, 0);
	ui_set_requests(ui, &b);
	ui_set_alerts(ui, &q);
	ui_link_changed(ui);
	ui_draw(ui);
	row = status_row(ui);
	assert_non_null(strstr(row, "REPLAY 23:12:00Z paused"));
	assert_non_null(strstr(row, "ALERTS 5"));
	assert_non_null(strstr(row, "REQ in 0 out 4"));
	assert_non_null(strstr(row, "US 2/1/1"));
	free(row);
	rm_ui(ui);

	fx->link.replay_at = 0;
	fx->link.server_skew_s = 0;
	snprintf(fx->link.source, sizeof fx->link.source, "api.example.test");
	alerts_done(&q);
	reqbook_done(&b);
}

static const char *
fx_voice(void *arg, int side, const char *sector)
{
	(void)arg;
	return (side == 1 && strcmp(sector, "BC") == 0 ?
	    "+52 686 555 0100" : NULL);
}

/*
 * An unanswered cover request escalated, at 80x24 behind five other
 * alerts: the footer keeps the number to call, and the request's
 * detail in view 6 names the line and the number.
 */
static void
test_escalation_footer(void **state)
{
	const char *const	 codes[NSIDES] = { "US", "MX" };
	struct reqbook_config	 c;
	struct reqbook		 b;
	struct event_log	 log;
	struct alert_queue	 q;
	struct ui		*ui;
	char			 why[256], id[REQ_ID_MAX + 1], text[256];
	int			 i, y;

	(void)state;
	memset(&c, 0, sizeof c);
	c.side_codes[0] = codes[0];
	c.side_codes[1] = codes[1];
	c.side = 0;
	c.escalate_s = 600;
	c.voice = fx_voice;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	assert_int_equal(reqbook_compose(&b, REQ_COVER, 100, 110, NULL, "BC",
	    "x", NAN, fx->now, 2000, id, why, sizeof why), BC_OK);
	b.v[0].pending_new = 0;
	b.v[0].on_server = 1;
	b.v[0].r.state = RS_SENT;
	b.v[0].r.created = fx->now - 600;
	events_init(&log, 8);
	reqbook_measure(&b, NULL, fx->now, &log);
	assert_int_equal(log.total, 1);
	assert_int_equal(events_get(&log, 0)->type, EVENT_REQ_ESCALATE);
	/* As the engine makes the alert of the event (cop.c). */
	snprintf(text, sizeof text, "%s %s", alert_kind_texts[ALERT_ESCALATE],
	    events_get(&log, 0)->text);
	alerts_init(&q);
	alerts_raise(&q, fx->now, ALERT_ESCALATE, text);
	for (i = 0; i < 5; i++)
		alerts_raise(&q, fx->now, ALERT_LINK, "LINK DOWN for 2 min");

	ui = mk_ui(80, 24, 0, 0);
	ui_set_requests(ui, &b);
	ui_set_alerts(ui, &q);
	ui_link_changed(ui);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "[1/6] NO ANSWER: CALL +52 686 555 0100 "
	    "(BC)"), 23);
	assert_int_equal(find_row(ui, "a: ack"), 23);
	ui_key(ui, '6');
	ui_draw(ui);
	y = find_row(ui, "unanswered: call +52 686 555 0100, the voice line "
	    "of MX BC");
	assert_true(y > 2 && y < 23);
	rm_ui(ui);
	alerts_done(&q);
	events_done(&log);
	reqbook_done(&b);
}

/* Type s into the open prompt and press Enter. */
static void
type_enter(struct ui *ui, const char *s)
{
	for (; *s != '\0'; s++)
		ui_key(ui, *s);
	ui_key(ui, '\n');
}

/*
 * The V prompt: a stretch or an id typed wrong is refused, said, and
 * nothing is sent -- never the preselected gap with the typo as its
 * text; a canned number alone still takes the preselected gap.
 */
static void
test_cover_prompt(void **state)
{
	struct reqbook_config	 c;
	struct reqbook		 b;
	struct ui_reqact	 act[UI_REQACT_MAX];
	struct ui		*ui;
	char			 why[256];
	size_t			 ngaps = fx->pic.ngaps;

	(void)state;
	memset(&c, 0, sizeof c);
	c.side_codes[0] = "US";
	c.side_codes[1] = "MX";
	c.side = 0;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	ui = mk_ui(80, 24, 0, 0);
	ui_set_requests(ui, &b);
	ui_key(ui, '4');

	ui_key(ui, 'V');
	type_enter(ui, "130-120");
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	assert_int_equal(find_row(ui, "130-120: FROM must be less than TO"),
	    23);
	ui_key(ui, 'V');
	type_enter(ui, "12x-20 please");
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	assert_int_equal(find_row(ui, "12x-20: not a stretch in km"), 23);
	ui_key(ui, 'V');
	type_enter(ui, "120-13o");
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	assert_int_equal(find_row(ui, "120-13o: not a stretch in km"), 23);
	ui_key(ui, 'V');
	type_enter(ui, "#2x");
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	assert_int_equal(find_row(ui, "#2x: not a gap id"), 23);

	/* What parses is what is asked for. */
	ui_key(ui, 'V');
	type_enter(ui, "120-130 hi");
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	assert_true(act[0].a_km == 120 && act[0].b_km == 130);
	assert_string_equal(act[0].gap, "");
	assert_string_equal(act[0].text,
	    "Please cover this stretch / Favor de cubrir este tramo - hi");
	/* A canned number alone: the preselected gap. */
	ui_key(ui, 'V');
	type_enter(ui, "3");
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	assert_memory_equal(act[0].gap, "G", 1);
	assert_memory_equal(act[0].text, "Our unit had to leave", 21);

	/* No open gap to fall back on: the same specific refusals. */
	fx->pic.ngaps = 0;
	ui_picture_changed(ui);
	ui_key(ui, 'V');
	type_enter(ui, "500-400");
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	assert_int_equal(find_row(ui, "500-400: FROM must be less than TO"),
	    23);
	ui_key(ui, 'V');
	type_enter(ui, "abc");
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	assert_int_equal(find_row(ui, "no open gap: give FROM-TO km"), 23);
	fx->pic.ngaps = ngaps;
	rm_ui(ui);
	reqbook_done(&b);
}

/* The text of row y of the screen. */
static char *
row_of(const struct ui *ui, int y)
{
	char	*text, *line, *nl;
	int	 i;

	text = screen_text(ui);
	for (i = 0, line = text; i < y && (nl = strchr(line, '\n')) != NULL;
	    i++)
		line = nl + 1;
	if ((nl = strchr(line, '\n')) != NULL)
		*nl = '\0';
	memmove(text, line, strlen(line) + 1);
	return (text);
}

/*
 * The requests view at 80x24: the step ages in their columns (the
 * answer and covering too), the text in what is left; the selected
 * request in full below -- 280 bytes of text and five steps of history
 * wrapped, nothing cut -- and a longer detail scrolls.
 */
static void
test_requests_80x24(void **state)
{
	const char *const	 codes[NSIDES] = { "US", "MX" };
	struct reqbook_config	 c;
	struct reqbook		 b;
	struct reqfeed_msg	 m;
	struct event_log	 log;
	struct ui		*ui;
	char			 body[4096], text[300], why[256], *row;
	size_t			 i;
	int			 y, hy;

	(void)state;
	/* 280 bytes: "w001 w002 ... " and a last word to find. */
	text[0] = '\0';
	for (i = 1; strlen(text) + 5 + 8 <= 280; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text),
		    "w%03zu ", i);
	snprintf(text + strlen(text), sizeof text - strlen(text), "LASTWORD");
	assert_true(strlen(text) <= 280);
	snprintf(body, sizeof body, "{\"api\":\"bordercop-coordination/1.1\","
	    "\"side\":\"MX\",\"requests\":[{\"id\":\"us-46c12703-1\","
	    "\"sender\":\"US\",\"addressee\":\"MX\",\"kind\":\"cover\","
	    "\"from_km\":620.5,\"to_km\":633.25,\"sector\":\"XX\",\"text\":"
	    "\"%s\",\"expires\":\"2026-11-28T03:00:00Z\",\"state\":"
	    "\"covering\",\"history\":[[\"sent\",\"2026-11-28T01:50:00Z\","
	    "\"US\"],[\"delivered\",\"2026-11-28T01:50:02Z\",\"server\"],"
	    "[\"seen\",\"2026-11-28T01:52:00Z\",\"MX\"],[\"accepted\","
	    "\"2026-11-28T01:55:00Z\",\"MX\"],[\"covering\","
	    "\"2026-11-28T01:58:30Z\",\"MX\"]]}]}", text);
	memset(&c, 0, sizeof c);
	c.side_codes[0] = codes[0];
	c.side_codes[1] = codes[1];
	c.side = -1;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	events_init(&log, 8);
	assert_int_equal(reqfeed_parse_list(body, strlen(body), codes, &m,
	    why, sizeof why), BC_OK);
	reqbook_set_side(&b, m.side);
	reqbook_merge(&b, &m, fx->now, &log);
	reqfeed_msg_done(&m);

	ui = mk_ui(80, 24, 0, 0);
	ui_set_requests(ui, &b);
	ui_key(ui, '6');
	ui_draw(ui);
	hy = find_row(ui, "snt dlv sen ans cov text");
	assert_true(hy > 0);
	row = row_of(ui, hy);
	assert_non_null(strstr(row, "state"));
	assert_non_null(strstr(row, "stretch km"));
	free(row);
	/* The list's row: every step's age whole, then the text. */
	y = find_row(ui, "us-46c12703-1  cover");
	assert_true(y > hy);
	row = row_of(ui, y);
	assert_non_null(strstr(row, "covering"));
	assert_non_null(strstr(row, "620.5-633.2"));
	assert_non_null(strstr(row, "10m  9m  8m  5m  1m w001"));
	free(row);
	/* The detail: the whole text and history, wrapped, no cut. */
	assert_true(find_row(ui, "LASTWORD") > y);
	assert_true(find_row(ui, "text: w001") > y);
	assert_true(find_row(ui, "01:58:30Z (1m30 ago, MX)") > y);
	assert_true(find_row(ui, "sent 01:50:00Z") > y);
	for (i = (size_t)y + 1; i < 23; i++) {
		row = row_of(ui, (int)i);
		assert_null(strstr(row, "\xe2\x80\xa6"));
		assert_null(strstr(row, "more lines"));
		free(row);
	}

	/* A reason and a refusal on top: too long for the rows left, the
	   detail scrolls with ] and [ and says so. */
	for (i = 0; i < 10; i++)
		assert_int_equal(reqbook_compose(&b, REQ_COVER, 100 + i,
		    110 + i, NULL, NULL, "x", NAN, fx->now, 2000, why + 128,
		    why, 128), BC_OK);
	snprintf(b.v[0].r.reason, sizeof b.v[0].r.reason, "%s", text);
	snprintf(b.v[0].error, sizeof b.v[0].error, "%s", text);
	b.v[0].escalated = 1;
	b.v[0].r.counter_a_km = 600;
	b.v[0].r.counter_b_km = 610;
	snprintf(b.v[0].voice, sizeof b.v[0].voice, "+1 520 555 0100");
	ui_picture_changed(ui);
	ui_draw(ui);
	assert_true(find_row(ui, "more lines: ] and [ scroll") > y);
	assert_int_equal(find_row(ui, "unanswered: call +1 520"), -1);
	for (i = 0; i < 20; i++)
		ui_key(ui, ']');
	ui_draw(ui);
	assert_true(find_row(ui, "unanswered: call +1 520") > y);
	assert_int_equal(find_row(ui, "more lines"), -1);
	ui_key(ui, '[');
	ui_draw(ui);
	assert_true(find_row(ui, "more lines") > y);
	/* Another selection starts at the top of its own detail. */
	ui_key(ui, KEY_DOWN);
	ui_key(ui, KEY_UP);
	ui_draw(ui);
	assert_true(find_row(ui, "us-46c12703-1 US->MX") > y);
	rm_ui(ui);
	events_done(&log);
	reqbook_done(&b);
}

/*
 * "nan-nan" after a restart: an answer queued while the link was down
 * keeps what was known of its request (kind, stretch, sides), read back
 * from the queue; an old queue line without it shows "-", never "nan".
 */
static void
test_requests_restored(void **state)
{
	static const char	 body[] = "{\"api\":\"bordercop-coordination/"
	    "1.1\",\"side\":\"MX\",\"requests\":[{\"id\":\"us-77\","
	    "\"sender\":\"US\",\"addressee\":\"MX\",\"kind\":\"cover\","
	    "\"from_km\":420,\"to_km\":432,\"sector\":\"XX\",\"text\":"
	    "\"cubrir\",\"expires\":\"2026-11-28T03:00:00Z\",\"state\":"
	    "\"delivered\",\"history\":[[\"sent\",\"2026-11-28T01:58:00Z\","
	    "\"US\"]]}]}";
	const char *const	 codes[NSIDES] = { "US", "MX" };
	struct reqbook_config	 c;
	struct reqbook		 b;
	struct reqfeed_msg	 m;
	struct event_log	 log;
	struct req_answer	 a;
	struct ui		*ui;
	char			 dir[] = "/tmp/test_views.XXXXXX", path[64];
	char			 why[256], cmd[96], *t, *row;
	FILE			*f;
	int			 y;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/requests.queue", dir);
	memset(&c, 0, sizeof c);
	c.side_codes[0] = codes[0];
	c.side_codes[1] = codes[1];
	c.side = -1;
	c.queue_path = path;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	events_init(&log, 8);
	assert_int_equal(reqfeed_parse_list(body, strlen(body), codes, &m,
	    why, sizeof why), BC_OK);
	reqbook_set_side(&b, m.side);
	reqbook_merge(&b, &m, fx->now, &log);
	reqfeed_msg_done(&m);
	/* Accepted while the link is down: queued, written. */
	req_answer_init(&a);
	a.state = RS_ACCEPTED;
	assert_int_equal(reqbook_answer(&b, "us-77", &a, why, sizeof why),
	    BC_OK);
	reqbook_done(&b);

	/* The restart: the queue alone, the side not known yet. */
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	assert_int_equal(b.n, 1);
	assert_true(b.v[0].r.a_km == 420 && b.v[0].r.b_km == 432);
	assert_int_equal(b.v[0].r.sender, 0);
	assert_int_equal(b.v[0].r.addressee, 1);
	assert_true(b.v[0].pending_answer);
	ui = mk_ui(80, 24, 0, 0);
	ui_set_requests(ui, &b);
	ui_key(ui, '6');
	ui_draw(ui);
	y = find_row(ui, "us-77");
	assert_true(y > 0);
	row = row_of(ui, y);
	assert_non_null(strstr(row, "queued"));
	assert_non_null(strstr(row, "cover"));
	assert_non_null(strstr(row, "420.0-432.0"));
	assert_non_null(strstr(row, "XX"));
	free(row);
	t = screen_text(ui);
	assert_null(strstr(t, "nan-"));
	assert_null(strstr(t, " nan"));
	assert_non_null(strstr(t, "US->MX cover 420.000-432.000 km"));
	free(t);
	rm_ui(ui);
	reqbook_done(&b);

	/* A queue written before: the answer alone; "-" where unknown. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"op\":\"answer\",\"id\":\"us-88\",\"state\":\"accepted\"}\n",
	    f);
	fclose(f);
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	ui = mk_ui(80, 24, 0, 0);
	ui_set_requests(ui, &b);
	ui_key(ui, '6');
	ui_draw(ui);
	y = find_row(ui, "us-88");
	assert_true(y > 0);
	t = screen_text(ui);
	assert_null(strstr(t, "nan-"));
	assert_null(strstr(t, " nan"));
	assert_non_null(strstr(t, "stretch not known yet"));
	free(t);
	rm_ui(ui);
	reqbook_done(&b);
	events_done(&log);
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A terminal the picture cannot use is refused with a reason: unset,
   unknown to terminfo, or unable to move the cursor. */
static void
test_term_check(void **state)
{
	char	why[256];

	(void)state;
	assert_int_equal(ui_term_check("xterm", why, sizeof why), BC_OK);
	assert_int_equal(ui_term_check("dumb", why, sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "TERM=dumb: the terminal cannot move"));
	assert_int_equal(ui_term_check("no-such-terminal-xyz", why,
	    sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "not a terminal known to terminfo"));
	assert_int_equal(ui_term_check("", why, sizeof why), BC_USAGE);
	assert_non_null(strstr(why, "TERM is not set"));
}

/* A report without seq shows "seq -" in the details, as every other
   missing field does, not the -1 that stands for it. */
static void
test_details_no_seq(void **state)
{
	struct pic_unit	*u;
	size_t		 i;
	struct ui	*ui;
	int64_t		 was;

	(void)state;
	for (u = NULL, i = 0; i < fx->punits.n; i++)
		if (strcmp(fx->punits.v[i].r.id, fx_units[0].id) == 0)
			u = &fx->punits.v[i];
	assert_non_null(u);
	was = u->r.seq;
	u->r.seq = -1;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '3');
	ui_key(ui, '\r');
	ui_draw(ui);
	assert_true(find_row(ui, "seq -   stale at") > 0);
	assert_int_equal(find_row(ui, "seq -1"), -1);
	rm_ui(ui);
	u->r.seq = was;

	/* An offset of a thousand km fits its column whole. */
	{
		double	d = u->pl.d_km;

		u->pl.d_km = 1082.5;
		ui = mk_ui(80, 24, 0, 0);
		ui_key(ui, '3');
		ui_draw(ui);
		assert_true(find_row(ui, " +1082") > 0);
		assert_int_equal(find_row(ui, "+1082."), -1);
		rm_ui(ui);
		u->pl.d_km = d;
	}
}

/* The callsign's escape sequences were removed by the parser; the
   screen shows the clean text and never an ESC. */
static void
test_escape_callsign(void **state)
{
	const struct pic_unit	*u;
	struct ui		*ui;
	char			*text;

	(void)state;
	u = picture_unit(&fx->pic, "MX-Y-1");
	assert_non_null(u);
	assert_null(strchr(u->r.callsign, 0x1b));
	assert_null(strchr(u->r.callsign, 0x07));
	assert_true(str_is_clean(u->r.callsign));
	assert_non_null(strstr(u->r.callsign, "EVIL"));
	assert_non_null(strstr(u->r.callsign, "RED"));

	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '3');
	ui_draw(ui);
	text = screen_text(ui);
	assert_non_null(strstr(text, u->r.callsign));
	assert_null(strchr(text, 0x1b));
	assert_null(strstr(text, "[31m"));
	assert_null(strstr(text, "pwn"));
	free(text);
	rm_ui(ui);
}

/* Bar column of chainage s in the sector row, at 80 columns: the name
   column is as wide as the longest name, at most 18. */
static int
strip_col(double s, const struct sector *sc)
{
	int	barw = 80 - (4 + 1 + 18 + 1 + 6 + 1 + 5 + 5 + 6 + 6);

	return (4 + 1 + 18 + 1 + 7 +
	    (int)((s - sc->start_km) / (sc->end_km - sc->start_km) * barw));
}

/* The text of row y from column x0 to x1 (excluded), as UTF-8. */
static char *
row_text(int y, int x0, int x1)
{
	char	*s, c[8];
	size_t	 o = 0;
	int	 x;

	s = xmalloc((size_t)(x1 - x0) * 8 + 1);
	for (x = x0; x < x1; x++) {
		cell_at(y, x, c, sizeof c, NULL);
		memcpy(s + o, c, strlen(c));
		o += strlen(c);
	}
	s[o] = '\0';
	return (s);
}

/* Screen column where the ASCII text s starts on row y, or -1. */
static int
col_of(const struct ui *ui, int y, const char *s)
{
	char	c[8];
	size_t	i, n = strlen(s);
	int	x;

	for (x = 0; x + (int)n <= ui->cols; x++) {
		for (i = 0; i < n; i++) {
			cell_at(y, x + (int)i, c, sizeof c, NULL);
			if (c[0] != s[i] || c[1] != '\0')
				break;
		}
		if (i == n)
			return (x);
	}
	return (-1);
}

/* Runs of blanks and newlines as one space. */
static void
squeeze(char *s)
{
	char	*o = s;
	int	 blank = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '\n') {
			blank = 1;
			continue;
		}
		if (blank)
			*o++ = ' ';
		blank = 0;
		*o++ = *s;
	}
	*o = '\0';
}

/* Only ASCII bytes anywhere on the screen. */
static void
assert_ascii_screen(const struct ui *ui, const char *what)
{
	char	*text, *p;

	text = screen_text(ui);
	for (p = text; *p != '\0'; p++)
		if ((unsigned char)*p >= 0x80) {
			print_error("%s: non-ASCII byte 0x%02x in \"%.40s\"\n",
			    what, (unsigned char)*p, p > text + 20 ? p - 20 :
			    text);
			fail();
		}
	free(text);
}

/* ASCII and monochrome: sides and gaps by shape and attribute alone. */
static void
test_ascii_mono(void **state)
{
	struct ui	*ui;
	char		 c[8];
	attr_t		 a;
	int		 y, x;

	(void)state;
	ui = mk_ui(80, 24, 1, 1);
	check_screen(ui, "map-ascii-80x24");
	/* Units: 2 US (^), 3 MX (v, one across), 1 lost (x). */
	assert_true(count_cells(ui, 1, 22, "^", 0) >= 1);
	assert_true(count_cells(ui, 1, 22, "v", 0) >= 2);
	assert_int_equal(count_cells(ui, 1, 22, "x", 0), 1);
	assert_int_equal(count_cells(ui, 1, 22, "!", A_REVERSE | A_BOLD), 1);
	/* Line cells over the 56 km and 12 km gaps (at least --alert-gap
	   long): '@', reversed and underlined. */
	assert_true(count_cells(ui, 1, 22, "@", A_REVERSE) >= 3);
	assert_int_equal(count_cells(ui, 1, 22, "@", 0),
	    count_cells(ui, 1, 22, "@", A_REVERSE | A_UNDERLINE));
	/* No Braille in ASCII mode. */
	for (y = 0; y < 24; y++)
		for (x = 0; x < 80; x++) {
			cell_at(y, x, c, sizeof c, NULL);
			assert_false((unsigned char)c[0] == 0xe2 &&
			    (unsigned char)c[1] >= 0xa0 &&
			    (unsigned char)c[1] <= 0xa3);
		}

	ui_key(ui, '2');
	ui_draw(ui);
	check_screen(ui, "sectors-ascii-80x24");
	y = find_row(ui, "Alpha");
	assert_true(y > 0);
	/* Gap 1 (km 120-176 of AAA 0-300): reversed '!' there. */
	cell_at(y, strip_col(150, &fx->sect[0][0]), c, sizeof c, &a);
	assert_string_equal(c, "!");
	assert_true(a & A_REVERSE);
	/* km 10 is US only: 'u'; km 80 both: '='. */
	cell_at(y, strip_col(10, &fx->sect[0][0]), c, sizeof c, &a);
	assert_string_equal(c, "u");
	cell_at(y, strip_col(80, &fx->sect[0][0]), c, sizeof c, &a);
	assert_string_equal(c, "=");
	/* MX row XX (0-450): km 350 MX only: 'm'. */
	y = find_row(ui, "Xray");
	assert_true(y > 0);
	cell_at(y, strip_col(350, &fx->sect[1][0]), c, sizeof c, &a);
	assert_string_equal(c, "m");
	/* The 0.4 km hole at km 760 is under the minimum gap: no '!'. */
	rm_ui(ui);
}

/* UTF-8 monochrome: Braille line, gaps reversed, half blocks by side. */
static void
test_utf8_mono(void **state)
{
	struct ui	*ui;
	char		 c[8];
	attr_t		 a;
	int		 y;

	(void)state;
	ui = mk_ui(80, 24, 0, 1);
	assert_true(count_cells(ui, 1, 22, "\xe2\x96\xb2", 0) >= 1);
	assert_true(count_cells(ui, 1, 22, "\xe2\x96\xbc", 0) >= 2);
	assert_int_equal(count_cells(ui, 1, 22, "\xc3\x97", 0), 1);
	assert_true(count_cells(ui, 1, 22, NULL, A_REVERSE | A_BOLD) >= 4);
	ui_key(ui, '2');
	ui_draw(ui);
	y = find_row(ui, "Alpha");
	cell_at(y, strip_col(150, &fx->sect[0][0]), c, sizeof c, &a);
	assert_string_equal(c, "!");
	assert_true(a & A_BOLD);
	cell_at(y, strip_col(10, &fx->sect[0][0]), c, sizeof c, &a);
	assert_string_equal(c, "\xe2\x96\x80");
	cell_at(y, strip_col(80, &fx->sect[0][0]), c, sizeof c, &a);
	assert_string_equal(c, "\xe2\x96\x88");
	y = find_row(ui, "Xray");
	cell_at(y, strip_col(350, &fx->sect[1][0]), c, sizeof c, &a);
	assert_string_equal(c, "\xe2\x96\x84");
	rm_ui(ui);
}

static void
test_too_small(void **state)
{
	struct ui	*ui;

	(void)state;
	ui = mk_ui(60, 20, 0, 0);
	assert_true(find_row(ui,
	    "terminal too small (need 80x24, have 60x20)") >= 0);
	ui_resize(ui, 80, 24);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "terminal too small"), -1);
	assert_int_equal(find_row(ui, "02:00:00Z"), 0);
	ui_resize(ui, 79, 24);
	ui_draw(ui);
	assert_true(find_row(ui, "have 79x24") >= 0);
	assert_true(ui_key(ui, 'q') & UI_QUIT);
	rm_ui(ui);
}

/* Search as you type, Enter keeps, Esc restores; filters and sort. */
static void
test_units_keys(void **state)
{
	struct ui	*ui;
	const char	*p;
	int		 y;

	(void)state;
	ui = mk_ui(80, 24, 0, 1);
	ui_key(ui, '3');
	for (p = "/y-2"; *p != '\0'; p++)
		ui_key(ui, *p);
	ui_draw(ui);
	assert_true(find_row(ui, "search callsign/id: y-2") >= 0);
	y = find_row(ui, "Y-2 ");
	assert_true(y > 0);
	assert_int_equal(count_cells(ui, y, y + 1, NULL, A_REVERSE), 80);
	ui_key(ui, 27);
	ui_draw(ui);
	y = find_row(ui, "A-11 ");
	assert_int_equal(count_cells(ui, y, y + 1, NULL, A_REVERSE), 80);
	for (p = "/evil\r"; *p != '\0'; p++)
		ui_key(ui, *p);
	ui_draw(ui);
	y = find_row(ui, "EVILRED");
	assert_int_equal(count_cells(ui, y, y + 1, NULL, A_REVERSE), 80);

	ui_key(ui, 'f');		/* side US */
	ui_draw(ui);
	assert_true(find_row(ui, "4 of 8 units") >= 0);
	assert_int_equal(find_row(ui, "X-1 "), -1);
	ui_key(ui, 't');		/* and fresh */
	ui_draw(ui);
	assert_true(find_row(ui, "2 of 8 units") >= 0);
	ui_key(ui, 'r');
	ui_key(ui, 'o');		/* sort by side */
	ui_key(ui, 'o');		/* by age */
	ui_draw(ui);
	assert_true(find_row(ui, "sort age") >= 0);
	/* Youngest first: B-21 (12 s) above X-2 (20 s) above A-11. */
	assert_true(find_row(ui, "B-21 ") < find_row(ui, "X-2 "));
	assert_true(find_row(ui, "X-2 ") < find_row(ui, "A-11 "));
	ui_key(ui, 'O');
	ui_draw(ui);
	assert_true(find_row(ui, "B-21 ") > find_row(ui, "A-11 "));
	rm_ui(ui);
}

static void
text_add(char **all, size_t *len, char *t)
{
	size_t	n = strlen(t);

	*all = xreallocarray(*all, *len + n + 2, 1);
	memcpy(*all + *len, t, n);
	*len += n;
	(*all)[(*len)++] = '\n';
	(*all)[*len] = '\0';
	free(t);
}

/*
 * The help as a reader sees it, blanks squeezed: one column scrolled a
 * line at a time (the first line at each position, then the last page),
 * or two columns read one after the other.
 */
static char *
help_read(struct ui *ui, int ncol)
{
	char	*all, *t;
	size_t	 len = 0;
	int	 y, c, n;

	all = xcalloc(1, 1);
	ui_key(ui, '?');
	ui_draw(ui);
	t = row_text(1, 0, ui->cols);
	if (ncol == 2)
		assert_null(strstr(t, "scroll"));
	free(t);
	if (ncol == 1) {
		for (n = 0; n < 500; n++) {
			text_add(&all, &len, row_text(2, 0, ui->cols));
			if ((ui_key(ui, KEY_DOWN) & UI_DRAW) == 0)
				break;
			ui_draw(ui);
		}
		for (y = 3; y < ui->rows - 1; y++)
			text_add(&all, &len, row_text(y, 0, ui->cols));
	} else {
		for (c = 0; c < 2; c++)
			for (y = 2; y < ui->rows - 1; y++)
				text_add(&all, &len, row_text(y,
				    c * (ui->cols / 2), c == 0 ? ui->cols / 2 :
				    ui->cols));
	}
	squeeze(all);
	all = xreallocarray(all, strlen(all) + 2, 1);
	strcat(all, " ");
	return (all);
}

/* Every key, its label and its whole text, and the legends, readable at
   each size: nothing cut at the right edge. */
static void
help_check(int cols, int rows, int ascii, int ncol)
{
	struct ui	*ui;
	char		*all, want[256];
	size_t		 i;

	ui = mk_ui(cols, rows, ascii, 0);
	all = help_read(ui, ncol);
	for (i = 0; i < UK_COUNT; i++) {
		snprintf(want, sizeof want, " %s %s ", ui_keys[i].label,
		    ui_keys[i].help);
		squeeze(want);
		if (strstr(all, want) == NULL) {
			print_error("%dx%d: \"%s\" not in the help:\n%s\n",
			    cols, rows, want, all);
			fail();
		}
	}
	assert_non_null(strstr(all, " across the line (reversed) "));
	assert_non_null(strstr(all, " open gap (reversed) "));
	assert_non_null(strstr(all,
	    " US sector codes above the line, MX below. "));
	assert_non_null(strstr(all, " MX only "));
	assert_non_null(strstr(all, " uncovered, under the gap minimum "));
	if (ncol == 2)
		assert_non_null(strstr(all, " Units o cycle the sort column "));
	free(all);
	rm_ui(ui);
}

static void
test_help_fits(void **state)
{
	(void)state;
	help_check(80, 24, 0, 1);
	help_check(80, 24, 1, 1);
	help_check(100, 30, 0, 1);
	/* With the requests' keys the help takes two pages at 120x40. */
	help_check(120, 40, 0, 1);
	help_check(132, 43, 0, 2);
}

/* ASCII mode puts only ASCII on the screen: the one text helper
   transliterates names, the attribution and signs. */
static void
ascii_views(struct ui *ui)
{
	const char	*p;
	int		 i;

	assert_ascii_screen(ui, "map");
	assert_true(find_row(ui, "(c) Test contributors") > 0);
	ui_key(ui, '2');
	ui_draw(ui);
	assert_ascii_screen(ui, "sectors");
	assert_true(find_row(ui, "YY   Nuevo Leon ") > 0);
	ui_key(ui, '3');
	ui_draw(ui);
	assert_ascii_screen(ui, "units");
	assert_true(find_row(ui, "X-1 Pena ") > 0);
	for (p = "/x-1\r\r"; *p != '\0'; p++)
		ui_key(ui, *p);
	ui_draw(ui);
	assert_ascii_screen(ui, "details");
	assert_true(find_row(ui, "callsign  X-1 Pena ") > 0);
	ui_key(ui, 27);
	ui_key(ui, '4');
	ui_draw(ui);
	assert_ascii_screen(ui, "gaps");
	ui_key(ui, '?');
	for (i = 0; i < 4; i++) {
		ui_draw(ui);
		assert_ascii_screen(ui, "help");
		ui_key(ui, KEY_NPAGE);
	}
	ui_key(ui, '1');
	for (i = 0; i < 6; i++)
		ui_key(ui, '+');
	ui_draw(ui);
	assert_ascii_screen(ui, "map zoomed");
}

static void
test_ascii_text(void **state)
{
	struct ui	*ui;
	char		 buf[256];

	(void)state;
	ui = mk_ui(80, 24, 1, 0);
	assert_int_equal(ui_text(ui, "Nuevo Le\xc3\xb3n \xc2\xa9 a\xe2\x80\x93"
	    "b\xe2\x80\x94" "c \xe2\x80\x98q\xe2\x80\x99 \xe2\x80\x9c" "d"
	    "\xe2\x80\x9d 3\xc3\x97" "4 20\xc2\xb0 \xc3\xb1\xc3\x91\xc3\xbc"
	    "\xc3\x9c\xc3\xa1\xc3\xa9\xc3\xad\xc3\xb3\xc3\xba\xc3\x81\xc3\x89"
	    "\xc3\x8d\xc3\x93\xc3\x9a \xe4\xb8\xad\xf0\x9f\x98\x80", 200, buf,
	    sizeof buf), 56);
	assert_string_equal(buf, "Nuevo Leon (c) a-b-c 'q' \"d\" 3x4 20deg "
	    "nNuUaeiouAEIOU ??");
	/* A stand-in is never cut: all of "(c)" or none. */
	assert_int_equal(ui_text(ui, "x\xc2\xa9", 3, buf, sizeof buf), 1);
	assert_string_equal(buf, "x");
	ascii_views(ui);
	rm_ui(ui);

	/* A locale without UTF-8 means ASCII even without --ascii. */
	assert_non_null(setlocale(LC_CTYPE, "C"));
	ui = mk_ui(80, 24, 0, 0);
	assert_false(ui->utf8);
	ascii_views(ui);
	rm_ui(ui);
	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "C.utf8");
}

/* In UTF-8, a name or callsign with a 2-byte character keeps its row's
   columns: widths are display columns, not bytes. */
static void
test_utf8_columns(void **state)
{
	struct ui	*ui;
	char		 c[8], buf[64];
	attr_t		 a;
	int		 y, yx;

	(void)state;
	ui = mk_ui(80, 24, 0, 1);
	assert_int_equal(ui_text(ui, "Le\xc3\xb3n \xe4\xb8\xad", 80, buf,
	    sizeof buf), 7);
	assert_string_equal(buf, "Le\xc3\xb3n \xe4\xb8\xad");
	/* A wide character that does not fit whole is left out. */
	assert_int_equal(ui_text(ui, "ab\xe4\xb8\xad", 3, buf, sizeof buf),
	    2);
	/* Joiners and selectors (from an id: ids are not cleaned) are left
	   out, flags become '?', a combining mark opening a field goes. */
	assert_int_equal(ui_text(ui, "\xf0\x9f\x91\xae\xe2\x80\x8d"
	    "\xe2\x99\x80\xef\xb8\x8f" "A", 80, buf, sizeof buf), 4);
	assert_string_equal(buf, "\xf0\x9f\x91\xae\xe2\x99\x80" "A");
	assert_int_equal(ui_text(ui, "\xf0\x9f\x87\xba\xf0\x9f\x87\xb8" "B",
	    80, buf, sizeof buf), 3);
	assert_string_equal(buf, "??B");
	assert_int_equal(ui_text(ui, "\xcc\x81" "C", 80, buf, sizeof buf), 1);
	assert_string_equal(buf, "C");
	ui_key(ui, '2');
	ui_draw(ui);
	y = find_row(ui, "YY   Nuevo Le\xc3\xb3n ");
	yx = find_row(ui, "XX   Xray ");
	assert_true(y > 0 && yx > 0);
	cell_at(y, strip_col(500, &fx->sect[1][1]), c, sizeof c, &a);
	assert_string_equal(c, "\xe2\x96\x88");		/* both */
	cell_at(y, strip_col(700, &fx->sect[1][1]), c, sizeof c, &a);
	assert_string_equal(c, "\xe2\x96\x80");		/* US only */
	cell_at(y, strip_col(780, &fx->sect[1][1]), c, sizeof c, &a);
	assert_string_equal(c, "\xe2\x96\x84");		/* MX only */
	assert_int_equal(col_of(ui, y, "%"), col_of(ui, yx, "%"));
	assert_true(col_of(ui, y, "%") > 0);

	ui_key(ui, '3');
	ui_draw(ui);
	y = find_row(ui, "X-1 Pe\xc3\xb1" "a ");
	assert_true(y > 0);
	assert_int_equal(col_of(ui, y, "patrol"), col_of(ui, 1, "status"));
	assert_int_equal(col_of(ui, y, "fresh"), col_of(ui, 1, "state"));
	rm_ui(ui);
}

/* Gap ids past 99 keep their own column: "#1042 BBB/XX", never
   "#104BBB/XX"; the sector column lines up under its heading. */
static void
test_gaps_ids(void **state)
{
	struct ui	*ui;
	unsigned	 saved[3];
	int		 i, yh, y;

	(void)state;
	for (i = 0; i < 3; i++)
		saved[i] = fx->gaps[i].id;
	fx->gaps[0].id = 107;
	fx->gaps[1].id = 1042;
	fx->gaps[2].id = 9;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '4');
	ui_draw(ui);
	yh = find_row(ui, "from km");
	assert_true(yh > 0);
	y = find_row(ui, "#1042 ");
	assert_true(y > 0);
	assert_int_equal(col_of(ui, y, "BBB/XX"), col_of(ui, yh, "sectors"));
	y = find_row(ui, "#107 ");
	assert_true(y > 0);
	assert_int_equal(col_of(ui, y, "AAA/XX"), col_of(ui, yh, "sectors"));
	assert_int_equal(col_of(ui, y, "176.0"), col_of(ui, yh, "to km"));
	y = find_row(ui, "#9 ");
	assert_true(y > 0);
	assert_int_equal(col_of(ui, y, "BBB/YY"), col_of(ui, yh, "sectors"));
	rm_ui(ui);
	for (i = 0; i < 3; i++)
		fx->gaps[i].id = saved[i];
}

/* More gaps than rows: PgDn pages the gap list, longest first. */
static void
test_gaps_paging(void **state)
{
	struct gap	 many[20];
	struct ui	*ui;
	int		 i;

	(void)state;
	memset(many, 0, sizeof many);
	for (i = 0; i < 20; i++) {
		many[i].a = 30.0 * i;
		many[i].b = many[i].a + 20 - i;	/* longest first: by i */
		many[i].open_since = fx->now - 60;
		many[i].id = 200 + (unsigned)i;
	}
	fx->pic.gaps = many;
	fx->pic.ngaps = 20;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '4');
	ui_draw(ui);
	/* Two rows a gap (who can close it under each), and the events
	   keep a third of the rest: 4 gaps at 24 rows. */
	assert_true(find_row(ui, "Open gaps, longest first: 20 (1-4 shown; "
	    "PgUp/PgDn)") > 0);
	assert_true(find_row(ui, "#203 ") > 0);
	assert_int_equal(find_row(ui, "#204 "), -1);
	ui_key(ui, KEY_NPAGE);
	ui_draw(ui);
	assert_true(find_row(ui, "(5-8 shown") > 0);
	assert_int_equal(find_row(ui, "#200 "), -1);
	assert_true(find_row(ui, "#204 ") > 0);
	for (i = 0; i < 5; i++)
		ui_key(ui, KEY_NPAGE);
	ui_draw(ui);
	assert_true(find_row(ui, "(17-20 shown") > 0);
	assert_true(find_row(ui, "#219 ") > 0);
	ui_key(ui, KEY_HOME);
	ui_draw(ui);
	assert_true(find_row(ui, "(1-4 shown") > 0);
	rm_ui(ui);
	/* A taller terminal shows them all, and every event still. */
	ui = mk_ui(80, 60, 0, 0);
	ui_key(ui, '4');
	ui_draw(ui);
	assert_true(find_row(ui, "#219 ") > 0);
	assert_int_equal(find_row(ui, " shown"), -1);
	assert_true(find_row(ui, "gap #1 opened") > 0);
	rm_ui(ui);
	fx->pic.gaps = fx->gaps;
	fx->pic.ngaps = 3;
}

/* The events list grows with the terminal, however many gaps are open:
   more rows, more events (a long shift has a hundred gaps). */
static void
test_events_grow(void **state)
{
	static struct gap	 many[100];
	struct event_log	 log;
	struct ui		*ui;
	int			 i, rows[2], h;
	char			 want[32];

	(void)state;
	memset(many, 0, sizeof many);
	for (i = 0; i < 100; i++) {
		many[i].a = 9.0 * i;
		many[i].b = many[i].a + 2;
		many[i].id = 300 + (unsigned)i;
	}
	fx->pic.gaps = many;
	fx->pic.ngaps = 100;
	events_init(&log, 100);
	for (i = 0; i < 60; i++)
		events_add(&log, fx->now - 600 + i, EVENT_GAP_CHANGE,
		    "gap changed #%d", 100 + i);
	for (h = 0; h < 2; h++) {
		ui = mk_ui(80, h == 0 ? 24 : 60, 0, 0);
		ui_set_data(ui, &fx->pic, &fx->map, &fx->link, &log);
		ui_key(ui, '4');
		ui_draw(ui);
		/* The newest is #159; count how many show. */
		for (rows[h] = 0; rows[h] < 60; rows[h]++) {
			snprintf(want, sizeof want, "#%d", 159 - rows[h]);
			if (find_row(ui, want) < 0)
				break;
		}
		rm_ui(ui);
	}
	fx->pic.gaps = fx->gaps;
	fx->pic.ngaps = 3;
	assert_true(rows[0] >= 5);
	assert_true(rows[1] >= 15);
	events_done(&log);
}

/* A new gap past the threshold alerts; a short one does not. */
/*
 * The ui shows the engine's alert queue and never detects alerts itself:
 * a new picture alone raises nothing; queued alerts show the oldest in
 * the footer with how many wait, and their count in the status line; 'a'
 * asks the engine to acknowledge (UI_ACK, ui_acks), which the ui shows
 * once the queue moved on.
 */
static void
test_alert(void **state)
{
	struct ui		*ui;
	struct alert_queue	 q;
	struct gap		 saved = fx->gaps[3];

	(void)state;
	alerts_init(&q);
	ui = mk_ui(80, 24, 0, 0);
	ui_set_alerts(ui, &q);
	fx->gaps[3] = (struct gap){ 680, 704, { 1, 1 }, "near there",
	    fx->now, 8 };
	fx->pic.ngaps = 4;
	ui_picture_changed(ui);
	assert_false(ui_alerting(ui));	/* not an engine event: nothing */

	alerts_raise(&q, fx->now, ALERT_EXPOSED,
	    "BORDER EXPOSED: gap opened #8 680.0-704.0 km (24.0 km)");
	alerts_raise(&q, fx->now, ALERT_LINK, "LINK DOWN for 2 min");
	ui_picture_changed(ui);
	assert_true(ui_alerting(ui));
	ui_draw(ui);
	assert_int_equal(find_row(ui, "[1/2] BORDER EXPOSED: gap opened #8"),
	    23);
	assert_int_equal(find_row(ui, "a: ack"), 23);
	assert_int_equal(find_row(ui, "ALERTS 2"), 0);
	assert_int_equal(ui_key(ui, 'a') & UI_ACK, UI_ACK);
	assert_int_equal(ui_acks(ui), 1);
	assert_int_equal(ui_acks(ui), 0);
	alerts_ack(&q, NULL);		/* what the engine does */
	ui_link_changed(ui);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "BORDER EXPOSED"), -1);
	assert_int_equal(find_row(ui, "LINK DOWN for 2 min"), 23);
	assert_int_equal(find_row(ui, "ALERTS 1"), 0);
	ui_key(ui, 'a');
	assert_int_equal(ui_acks(ui), 1);
	alerts_ack(&q, NULL);
	ui_link_changed(ui);
	ui_draw(ui);
	assert_false(ui_alerting(ui));
	assert_int_equal(find_row(ui, "LINK DOWN"), -1);
	assert_int_equal(ui_key(ui, 'a') & UI_ACK, 0);	/* none left */
	fx->pic.ngaps = 3;
	fx->gaps[3] = saved;
	rm_ui(ui);
	alerts_done(&q);
}

/* The map's keys: zoom shows callsigns, sector jump, centre on a unit. */
static void
test_map_keys(void **state)
{
	struct ui	*ui;
	const char	*p;

	(void)state;
	ui = mk_ui(80, 24, 0, 0);
	assert_int_equal(find_row(ui, "B-21"), -1);
	for (p = "sbbb\r"; *p != '\0'; p++)
		ui_key(ui, *p);
	ui_draw(ui);
	assert_true(find_row(ui, "US BBB Bravo") >= 0);
	ui_key(ui, '3');
	ui_key(ui, KEY_DOWN);
	ui_key(ui, KEY_DOWN);
	ui_key(ui, 'c');
	assert_int_equal(ui_view(ui), VIEW_MAP);
	ui_draw(ui);
	assert_true(find_row(ui, "B-21") > 0);
	for (p = "sZZ\r"; *p != '\0'; p++)
		ui_key(ui, *p);
	ui_draw(ui);
	assert_true(find_row(ui, "no sector \"ZZ\"") >= 0);
	rm_ui(ui);
}

/* List movement keys: a window's top stays within a full last page, a
   selection within the rows; other keys are not movement. */
static void
test_scroll(void **state)
{
	int	top = 0, sel = 0;

	assert_int_equal(ui_scroll(UK_UP, &top, 50, 10, 0), 0);
	assert_int_equal(ui_scroll(UK_PGDN, &top, 50, 10, 0), 1);
	assert_int_equal(top, 10);
	assert_int_equal(ui_scroll(UK_END, &top, 50, 10, 0), 1);
	assert_int_equal(top, 40);
	assert_int_equal(ui_scroll(UK_DOWN, &top, 50, 10, 0), 0);
	assert_int_equal(top, 40);
	assert_int_equal(ui_scroll(UK_HOME, &top, 50, 10, 0), 1);
	assert_int_equal(top, 0);
	/* Fewer rows than a page: the top stays at 0. */
	assert_int_equal(ui_scroll(UK_PGDN, &top, 5, 10, 0), 0);
	/* A selection reaches the last row. */
	assert_int_equal(ui_scroll(UK_END, &sel, 50, 10, 1), 1);
	assert_int_equal(sel, 49);
	assert_int_equal(ui_scroll(UK_PGUP, &sel, 50, 10, 1), 1);
	assert_int_equal(sel, 39);
	assert_int_equal(ui_scroll(UK_SORT, &sel, 50, 10, 1), -1);
	assert_int_equal(sel, 39);
}

/* Where the text s (one cell a character) starts on screen, between rows
   y0 and y1 (excluded): its row, with its column in *col; -1 if not. */
static int
find_at(const struct ui *ui, const char *s, int y0, int y1, int *col)
{
	char	c[8], one[8];
	size_t	i, n;
	int	y, x, k;

	for (y = y0; y < y1; y++)
		for (x = 0; x < ui->cols; x++) {
			for (i = 0, k = 0; s[i] != '\0'; i += n, k++) {
				n = 1;
				while ((s[i + n] & 0xc0) == 0x80)
					n++;
				memcpy(one, s + i, n);
				one[n] = '\0';
				if (x + k >= ui->cols)
					break;
				cell_at(y, x + k, c, sizeof c, NULL);
				if (strcmp(c, one) != 0)
					break;
			}
			if (s[i] == '\0') {
				*col = x;
				return (y);
			}
		}
	return (-1);
}

static int
cell_is(int y, int x, const char *g)
{
	char	c[8];

	if (y < 0 || x < 0)
		return (0);
	cell_at(y, x, c, sizeof c, NULL);
	return (strcmp(c, g) == 0);
}

/*
 * A mix of gaps: 1 km (ids 11-15, under --alert-gap's 10 km), 80 km (21,
 * 22), and alerted gaps narrower than two columns at the 80x24 overview
 * (10.2 km a column): 12 and 15 km in neighbouring columns (31, 32), 25
 * km (33) and 11 km (34).
 */
#define MIX_N		11
#define MIX_SHORT	5	/* the first 5 are the 1 km gaps */
static const unsigned mix_alerted[] = { 21, 22, 31, 32, 33, 34 };
#define MIX_NALERTED	(sizeof mix_alerted / sizeof mix_alerted[0])

static void
mix_gaps(struct gap *g)
{
	static const double	 one[] = { 30, 260, 480, 600, 800 };
	static const struct {
		double		a, b;
		unsigned	id;
	} alerted[] = { { 140, 220, 21 }, { 650, 730, 22 }, { 330, 342, 31 },
	    { 352, 367, 32 }, { 770, 795, 33 }, { 820, 831, 34 } };
	size_t			 i;
	double			 lat, lon;

	for (i = 0; i < MIX_SHORT; i++)
		g[i] = (struct gap){ one[i], one[i] + 1, { one[i] < 300 ? 0 :
		    1, one[i] < 450 ? 0 : 1 }, "", fx->now - 60,
		    11 + (unsigned)i, 0, { -1, -1 }, { -1, -1 } };
	for (i = 0; i < MIX_NALERTED; i++)
		g[MIX_SHORT + i] = (struct gap){ alerted[i].a, alerted[i].b,
		    { alerted[i].a < 300 ? 0 : 1, alerted[i].a < 450 ? 0 : 1 },
		    "", fx->now - 600, alerted[i].id, 0, { -1, -1 },
		    { -1, -1 } };
	for (i = 0; i < MIX_N; i++) {
		fx_point((g[i].a + g[i].b) / 2, 0, &lat, &lon);
		border_near_phrase(&fx->map, lat, lon, SIDE_LEFT, g[i].near,
		    sizeof g[i].near);
	}
}

/* Alerted gaps the legend says are not labelled ("+2 unlabelled"). */
static int
mix_unlabelled(const struct ui *ui)
{
	char	line[512], c[8];
	int	x, n = 0;
	char	*p;

	line[0] = '\0';
	for (x = 0; x < ui->cols && strlen(line) + 8 < sizeof line; x++) {
		cell_at(ui->rows - 2, x, c, sizeof c, NULL);
		strcat(line, c);
	}
	if ((p = strstr(line, " unlabelled")) != NULL) {
		while (p > line && p[-1] >= '0' && p[-1] <= '9')
			p--;
		assert_int_equal(p[-1], '+');
		n = atoi(p);
	}
	return (n);
}

/*
 * The overview with the mix, 80x24 mono ASCII and 120x40 UTF-8: every
 * gap of --alert-gap or more is labelled with its id and length or
 * counted in the legend as unlabelled, however narrow; the 1 km ones are
 * "partly" cells with no label; every sector code of both sides shows.
 * In ASCII mono each alerted gap, drawn alone, marks its cells '@'
 * (reversed and underlined), which the 1 km gaps never do.
 */
static void
test_gap_levels(void **state)
{
	struct gap	 mix[MIX_N], one[MIX_SHORT + 1];
	struct ui	*ui;
	char		 lab[16];
	int		 i, x, sizes, labelled;
	size_t		 k;

	(void)state;
	mix_gaps(mix);
	fx->pic.gaps = mix;
	fx->pic.ngaps = MIX_N;
	for (sizes = 0; sizes < 2; sizes++) {
		if (sizes == 0) {
			ui = mk_ui(80, 24, 1, 1);
			check_screen(ui, "overview-mix-ascii-80x24");
			/* Alerted: '@', reversed and underlined; mostly gap:
			   '#', reversed; partly: '+', underlined. */
			assert_true(count_cells(ui, 1, 22, "@", A_REVERSE) >=
			    14);
			assert_int_equal(count_cells(ui, 1, 22, "@", 0),
			    count_cells(ui, 1, 22, "@", A_REVERSE |
			    A_UNDERLINE));
			assert_int_equal(count_cells(ui, 1, 22, "#", 0),
			    count_cells(ui, 1, 22, "#", A_REVERSE));
			assert_true(count_cells(ui, 1, 22, "+", A_UNDERLINE)
			    >= 4);
		} else {
			ui = mk_ui(120, 40, 0, 0);
			check_screen(ui, "overview-mix-120x40");
			assert_true(count_cells(ui, 1, 38, NULL, A_REVERSE) >=
			    12);
			assert_true(count_cells(ui, 1, 38, NULL, A_UNDERLINE)
			    >= 4);
		}
		for (k = 0, labelled = 0; k < MIX_NALERTED; k++) {
			snprintf(lab, sizeof lab, "#%u ", mix_alerted[k]);
			labelled += find_at(ui, lab, 1, ui->rows - 2, &x) > 0;
		}
		/* The 80 km ones always find room here. */
		assert_true(find_at(ui, "#21 80km", 1, ui->rows - 2, &x) > 0);
		assert_true(find_at(ui, "#22 80km", 1, ui->rows - 2, &x) > 0);
		if (labelled + mix_unlabelled(ui) != (int)MIX_NALERTED)
			fail_msg("%d labelled, %d said unlabelled, of %zu",
			    labelled, mix_unlabelled(ui), MIX_NALERTED);
		for (i = 11; i <= 15; i++) {
			snprintf(lab, sizeof lab, "#%d", i);
			assert_int_equal(find_at(ui, lab, 1, ui->rows - 2, &x),
			    -1);
		}
		assert_true(find_at(ui, "AAA", 1, ui->rows - 2, &x) > 0);
		assert_true(find_at(ui, "BBB", 1, ui->rows - 2, &x) > 0);
		assert_true(find_at(ui, "XX", 1, ui->rows - 2, &x) > 0);
		assert_true(find_at(ui, "YY", 1, ui->rows - 2, &x) > 0);
		/* The sector strips read the same three levels. */
		ui_key(ui, '2');
		ui_draw(ui);
		assert_true(count_cells(ui, 1, ui->rows - 2, "!",
		    A_REVERSE) >= 4);
		assert_true(count_cells(ui, 1, ui->rows - 2,
		    sizes == 0 ? ":" : "\xe2\x96\x91", 0) >= 4);
		rm_ui(ui);
	}

	/* Each alerted gap alone among the 1 km ones: marked and labelled
	   at the overview, narrow or not; the 1 km ones alone mark none. */
	memcpy(one, mix, MIX_SHORT * sizeof *one);
	fx->pic.gaps = one;
	for (k = 0; k <= MIX_NALERTED; k++) {
		fx->pic.ngaps = MIX_SHORT + (k < MIX_NALERTED);
		if (k < MIX_NALERTED)
			one[MIX_SHORT] = mix[MIX_SHORT + k];
		ui = mk_ui(80, 24, 1, 1);
		if (k == MIX_NALERTED)
			assert_int_equal(count_cells(ui, 1, 22, "@", 0), 0);
		else {
			assert_true(count_cells(ui, 1, 22, "@", A_REVERSE) >=
			    1);
			snprintf(lab, sizeof lab, "#%u %.0fkm",
			    mix_alerted[k], one[MIX_SHORT].b -
			    one[MIX_SHORT].a);
			if (find_at(ui, lab, 1, 22, &x) < 0)
				fail_msg("%s not on the overview", lab);
			assert_int_equal(mix_unlabelled(ui), 0);
		}
		rm_ui(ui);
	}

	/* Eleven alerted gaps of 11 km in a row, a column apart: those
	   that find no room are counted in the legend, none is dropped
	   unsaid. */
	for (k = 0; k < MIX_N; k++) {
		mix[k] = mix[MIX_SHORT + 2];
		mix[k].a = 380 + 12 * (double)k;
		mix[k].b = mix[k].a + 11;
		mix[k].id = 41 + (unsigned)k;
	}
	fx->pic.gaps = mix;
	fx->pic.ngaps = MIX_N;
	for (sizes = 0; sizes < 2; sizes++) {
		ui = sizes == 0 ? mk_ui(80, 24, 1, 1) : mk_ui(120, 40, 0, 0);
		for (k = 0, labelled = 0; k < MIX_N; k++) {
			snprintf(lab, sizeof lab, "#%u 11km", 41 + (unsigned)k);
			labelled += find_at(ui, lab, 1, ui->rows - 2, &x) > 0;
		}
		i = mix_unlabelled(ui);
		rm_ui(ui);
		if (i == 0 || labelled == 0 || labelled + i != MIX_N) {
			fx->pic.gaps = fx->gaps;
			fx->pic.ngaps = 3;
			fail_msg("%d labelled, %d said unlabelled, of %d",
			    labelled, i, MIX_N);
		}
	}
	fx->pic.gaps = fx->gaps;
	fx->pic.ngaps = 3;
}

/* A pic_unit of the fixture by id. */
static struct pic_unit *
fx_unit(const char *id)
{
	size_t	i;

	for (i = 0; i < fx->punits.n; i++)
		if (strcmp(fx->punits.v[i].r.id, id) == 0)
			return (&fx->punits.v[i]);
	fail();
	return (NULL);
}

/*
 * Labels: four US units and one MX unit a few hundred metres apart.
 * Every glyph stays on screen (no label covers one), the selected unit
 * carries its own callsign, at overview and zoomed in, and a callsign
 * beside a glyph is beside its own unit's kind of glyph.
 */
static void
test_labels(void **state)
{
	static const char *const ids[] = { "USBP-A-1", "USBP-A-2",
	    "USBP-B-1", "USBP-B-2", "MX-X-1" };
	struct pic_unit	*u;
	double		 saved[5][2], lat, lon;
	struct ui	*ui;
	int		 i, y, x, zoom, ok;

	(void)state;
	fx_point(50, 0.6, &lat, &lon);
	for (i = 0; i < 5; i++) {
		u = fx_unit(ids[i]);
		saved[i][0] = u->r.lat;
		saved[i][1] = u->r.lon;
		u->r.lat = lat + (i == 4 ? -0.012 : 0);
		u->r.lon = lon + 0.02 * (i == 4 ? 1.5 : i);
	}
	ui = mk_ui(80, 24, 1, 1);
	ui_key(ui, '3');
	ui_key(ui, KEY_DOWN);		/* A-12, stale: "'" */
	ui_key(ui, 'c');
	for (zoom = 0; zoom < 2; zoom++) {
		if (zoom == 1)
			ui_key(ui, '0');	/* the overview */
		ui_draw(ui);
		assert_int_equal(ui_view(ui), VIEW_MAP);
		y = find_at(ui, "A-12", 1, 22, &x);
		assert_true(y > 0);
		ok = cell_is(y, x - 2, "'") || cell_is(y, x + 5, "'") ||
		    cell_is(y - 1, x, "'") || cell_is(y + 1, x, "'") ||
		    cell_is(y - 1, x + 3, "'") || cell_is(y + 1, x + 3, "'");
		if (!ok) {
			print_error("A-12 at %d,%d not beside its glyph\n", y,
			    x);
			fail();
		}
		if (zoom == 1)
			break;
		/* Zoomed in, every unit's glyph is there. */
		assert_int_equal(count_cells(ui, 1, 22, "^", 0), 2);
		assert_int_equal(count_cells(ui, 1, 22, "'", 0), 1);
		assert_int_equal(count_cells(ui, 1, 22, "x", 0), 1);
		assert_true(count_cells(ui, 1, 22, "v", 0) >= 1);
		/* Another callsign, if shown, is beside a glyph of its own
		   kind, never beside the selected unit's. */
		if ((y = find_at(ui, "A-11", 1, 22, &x)) > 0)
			assert_true(cell_is(y, x - 2, "^") ||
			    cell_is(y, x + 5, "^"));
		if ((y = find_at(ui, "B-22", 1, 22, &x)) > 0)
			assert_true(cell_is(y, x - 2, "x") ||
			    cell_is(y, x + 5, "x"));
	}
	rm_ui(ui);
	for (i = 0; i < 5; i++) {
		u = fx_unit(ids[i]);
		u->r.lat = saved[i][0];
		u->r.lon = saved[i][1];
	}
}

/* Go to a gap: Enter on the gaps view's third row, L from any view, n
   and ] with their order said, and the sectors view's Enter. */
static void
test_goto_gap(void **state)
{
	struct ui	*ui;

	(void)state;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '4');
	ui_key(ui, KEY_DOWN);
	ui_key(ui, KEY_DOWN);
	ui_key(ui, '\r');
	ui_draw(ui);
	assert_int_equal(ui_view(ui), VIEW_MAP);
	/* The third row is gap #3 (2 km, km 600-602). */
	assert_int_equal(find_row(ui, "gap #3 2.0 km"), 23);
	/* Zoomed to fit it: well under a km a column. */
	assert_true(find_row(ui, "0.") == 22);

	ui_key(ui, '3');
	ui_key(ui, 'L');
	ui_draw(ui);
	assert_int_equal(ui_view(ui), VIEW_MAP);
	assert_int_equal(find_row(ui, "longest: gap #1 56.0 km"), 23);
	/* Its label and the nearest units of both sides are shown. */
	assert_true(find_row(ui, "#1 56km") > 0);
	assert_true(find_row(ui, "A-11") > 0);
	assert_true(find_row(ui, "X-1 Pe") > 0);

	ui_key(ui, 'n');
	ui_draw(ui);
	assert_int_equal(find_row(ui, "2/3 by length: gap #2 12.0 km"), 23);
	ui_key(ui, ']');
	ui_draw(ui);
	assert_int_equal(find_row(ui, "3/3 west to east: gap #3"), 23);
	ui_key(ui, ']');
	ui_draw(ui);
	assert_int_equal(find_row(ui, "1/3 west to east: gap #1"), 23);

	ui_key(ui, '2');
	ui_key(ui, KEY_END);		/* YY, the last sector */
	ui_key(ui, '\r');
	ui_draw(ui);
	assert_int_equal(ui_view(ui), VIEW_MAP);
	assert_int_equal(find_row(ui, "MX YY Nuevo Le"), 23);
	rm_ui(ui);
}

/* Help closes with Esc, ? and q and the program goes on; q quits only
   from a main view; keys the terminal lacks are not listed. */
static void
test_help_habits(void **state)
{
	struct ui	*ui;
	static const int keys[] = { 27, '?', 'q' };
	size_t		 i;

	(void)state;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '4');
	for (i = 0; i < 3; i++) {
		assert_false(ui_key(ui, '?') & UI_QUIT);
		assert_int_equal(ui_view(ui), VIEW_HELP);
		assert_false(ui_key(ui, keys[i]) & UI_QUIT);
		assert_int_equal(ui_view(ui), VIEW_GAPS);
	}
	/* Details: q closes the pane, then quits. */
	ui_key(ui, '3');
	ui_key(ui, '\r');
	ui_draw(ui);
	assert_true(find_row(ui, "footprint") > 0);
	assert_false(ui_key(ui, 'q') & UI_QUIT);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "footprint"), -1);
	assert_true(ui_key(ui, 'q') & UI_QUIT);
	rm_ui(ui);

	/* A vt100 has no S-Tab and no dim: S-Tab is not in its help, and
	   a stale unit still has a glyph of its own. */
	ui = mk_ui_term(80, 24, 1, 1, "vt100");
	assert_true(count_cells(ui, 1, 22, "'", 0) >= 1);
	ui_key(ui, '?');
	for (i = 0; i < 6; i++) {
		ui_draw(ui);
		assert_int_equal(find_row(ui, "S-Tab"), -1);
		ui_key(ui, KEY_NPAGE);
	}
	rm_ui(ui);
	ui = mk_ui(80, 24, 1, 1);
	ui_key(ui, '?');
	ui_draw(ui);
	assert_true(find_row(ui, "S-Tab") > 0);
	rm_ui(ui);
}

/* The board with more units than rows: End, then a filter that leaves
   a few shows every one of them; / then n reaches the second match. */
static void
test_board_clamp(void **state)
{
	struct pic_units	 saved = fx->punits, many;
	struct ui		*ui;
	char			*text, *p;
	const char		*k;
	size_t			 i, n;
	int			 shown, y, y10;

	(void)state;
	many.n = many.cap = 60;
	many.v = xcalloc(many.n, sizeof *many.v);
	for (i = 0; i < many.n; i++) {
		many.v[i] = fx->punits.v[i % fx->punits.n];
		many.v[i].fp = NULL;
		many.v[i].nfp = 0;
		snprintf(many.v[i].r.id, sizeof many.v[i].r.id, "ID-%02zu", i);
		snprintf(many.v[i].r.callsign, sizeof many.v[i].r.callsign,
		    "CS-%02zu", i);
		/* Only every tenth unit is in sector AAA. */
		many.v[i].r.side = SIDE_LEFT;
		many.v[i].sector[SIDE_LEFT] = i % 10 == 0 ? 0 : 1;
	}
	fx->punits = many;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '3');
	ui_key(ui, 'G');
	ui_key(ui, 'e');		/* sector AAA: 6 units */
	ui_draw(ui);
	assert_true(find_row(ui, "6 of 60 units") > 0);
	text = screen_text(ui);
	for (shown = 0, p = text; (p = strstr(p, "CS-")) != NULL; p++)
		shown++;
	free(text);
	assert_int_equal(shown, 6);

	/* A resize to a short screen and back keeps a full page. */
	ui_key(ui, 'r');
	ui_key(ui, 'G');
	ui_resize(ui, 80, 40);
	ui_draw(ui);
	text = screen_text(ui);
	for (shown = 0, p = text; (p = strstr(p, "CS-")) != NULL; p++)
		shown++;
	free(text);
	assert_int_equal(shown, 40 - 4);

	/* / then n: the second match. */
	ui_resize(ui, 80, 24);
	for (k = "/CS-1\r"; *k != '\0'; k++)
		ui_key(ui, *k);
	ui_draw(ui);
	n = (size_t)find_row(ui, "CS-10 ");
	assert_int_equal(count_cells(ui, (int)n, (int)n + 1, NULL, A_REVERSE),
	    80);
	y10 = (int)n;
	ui_key(ui, 'n');
	ui_draw(ui);
	/* The next row down that matches, whatever it is, is selected. */
	for (y = 2; y < 22; y++)
		if (count_cells(ui, y, y + 1, NULL, A_REVERSE) == 80)
			break;
	assert_true(y > y10 && y < 22);
	text = row_text(y, 0, 80);
	assert_non_null(strstr(text, "CS-1"));
	for (i = (size_t)y10 + 1; i < (size_t)y; i++) {
		/* No match skipped between the two. */
		char	*t = row_text((int)i, 0, 80);

		assert_null(strstr(t, "CS-1"));
		free(t);
	}
	free(text);
	ui_key(ui, 'N');
	ui_draw(ui);
	n = (size_t)find_row(ui, "CS-10 ");
	assert_int_equal(count_cells(ui, (int)n, (int)n + 1, NULL, A_REVERSE),
	    80);
	rm_ui(ui);
	fx->punits = saved;
	free(many.v);
}

/* Before the first picture the map says so and draws the line as
   unknown: no cell as covered or as gap. */
static void
test_no_picture(void **state)
{
	struct ui	*ui;
	int		 x;

	(void)state;
	ui = mk_ui(80, 24, 1, 1);
	ui_set_data(ui, NULL, &fx->map, &fx->link, &fx->log);
	ui_draw(ui);
	assert_true(find_row(ui, "no picture yet") > 0);
	assert_int_equal(count_cells(ui, 1, 22, "#", 0), 0);
	assert_int_equal(count_cells(ui, 1, 22, "+", 0), 0);
	assert_int_equal(count_cells(ui, 1, 22, "-", 0), 0);
	assert_true(count_cells(ui, 1, 22, ".", 0) > 20);
	assert_true(find_at(ui, "AAA", 1, 22, &x) > 0);
	rm_ui(ui);

	/* The engine says the picture is unknown (no data for too long):
	   the line again neither covered nor gap, no gap label; the units
	   stay where they were last seen. */
	fx->pic.unknown = 1;
	ui = mk_ui(80, 24, 1, 1);
	assert_true(find_row(ui, "picture unknown") > 0);
	assert_int_equal(count_cells(ui, 1, 22, "#", 0), 0);
	assert_int_equal(count_cells(ui, 1, 22, "+", 0), 0);
	assert_true(count_cells(ui, 1, 22, ".", 0) > 20);
	assert_int_equal(find_at(ui, "#1 56km", 1, 22, &x), -1);
	assert_true(count_cells(ui, 1, 22, "v", 0) >= 2);
	ui_key(ui, '2');
	ui_draw(ui);
	assert_int_equal(count_cells(ui, 1, 22, "!", 0), 0);
	assert_true(count_cells(ui, 1, 22, "?", 0) > 40);
	rm_ui(ui);
	fx->pic.unknown = 0;
}

/* Pause freezes what is shown while pictures go on; the status line says
   PAUSED with the frozen picture's time; p again shows the newest. */
static void
test_pause(void **state)
{
	struct ui	*ui;
	struct gap	 saved = fx->gaps[3];

	(void)state;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, 'p');
	assert_true(ui_paused(ui));
	ui_draw(ui);
	assert_int_equal(find_row(ui, "PAUSED 02:00:00Z"), 0);
	assert_int_equal(find_row(ui, "gaps 3 max 56km"), 0);
	/* A new picture: a fourth gap, a minute later. */
	fx->gaps[3] = (struct gap){ 700, 790, { 1, 1 }, "", fx->now, 9, 0,
	    { -1, -1 }, { -1, -1 } };
	fx->pic.ngaps = 4;
	fx->pic.now = fx->now + 60;
	ui_picture_changed(ui);
	ui_key(ui, '4');
	ui_draw(ui);
	assert_int_equal(find_row(ui, "PAUSED 02:00:00Z"), 0);
	assert_true(find_row(ui, "Open gaps, longest first: 3") > 0);
	assert_int_equal(find_row(ui, "#9 "), -1);
	ui_key(ui, 'p');
	assert_false(ui_paused(ui));
	ui_draw(ui);
	assert_int_equal(find_row(ui, "PAUSED"), -1);
	assert_true(find_row(ui, "Open gaps, longest first: 4") > 0);
	assert_true(find_row(ui, "#9 ") > 0);
	assert_int_equal(find_row(ui, "gaps 4 max 90km"), 0);
	rm_ui(ui);
	fx->gaps[3] = saved;
	fx->pic.ngaps = 3;
	fx->pic.now = fx->now;
}

/* Follow: the map re-centres on the followed unit as it moves. */
static void
test_follow(void **state)
{
	struct pic_unit	*u = fx_unit("USBP-B-1");
	struct ui	*ui;
	double		 lat = u->r.lat, lon = u->r.lon;

	(void)state;
	ui = mk_ui(80, 24, 0, 0);
	ui_key(ui, '3');
	ui_key(ui, KEY_DOWN);
	ui_key(ui, KEY_DOWN);		/* B-21 */
	ui_key(ui, 'F');
	assert_int_equal(ui_view(ui), VIEW_MAP);
	ui_draw(ui);
	assert_true(find_row(ui, "following B-21") > 0);
	assert_true(find_row(ui, "B-21") > 0 && find_row(ui, "B-21") < 22);
	/* 150 km west: off the view unless it follows. */
	fx_point(410, 2.5, &u->r.lat, &u->r.lon);
	ui_picture_changed(ui);
	ui_draw(ui);
	assert_true(find_row(ui, "B-21") > 0 && find_row(ui, "B-21") < 22);
	/* A pan stops following. */
	ui_key(ui, 'h');
	fx_point(560, 2.5, &u->r.lat, &u->r.lon);
	ui_picture_changed(ui);
	ui_draw(ui);
	assert_int_equal(find_row(ui, "B-21"), -1);
	rm_ui(ui);
	u->r.lat = lat;
	u->r.lon = lon;
}

/* Zooming in from the overview keeps the line in view: the middle of
   the bounding box is desert here (the line bends 1 degree north). */
static void
test_zoom_keeps_line(void **state)
{
	static const char *const line[] = { "-", "_", "/", "\\", "|", "+",
	    "#" };
	struct ui	*ui;
	size_t		 i;
	int		 k, n;

	(void)state;
	ui = mk_ui(80, 24, 1, 1);
	ui_key(ui, '0');
	for (k = 0; k < 4; k++)
		ui_key(ui, '+');
	ui_draw(ui);
	for (n = 0, i = 0; i < sizeof line / sizeof line[0]; i++)
		n += count_cells(ui, 1, 22, line[i], 0);
	assert_true(n >= 20);
	rm_ui(ui);
}

/*
 * The requests view (6): an incoming request, its hostile text cleaned
 * at the parser, marked seen once when shown; the answer keys and the
 * cover prompt ask the caller for what the officer did.
 */
static void
test_requests_view(void **state)
{
	static const char	 body[] = "{\"api\":\"bordercop-coordination/"
	    "1.1\",\"side\":\"MX\",\"requests\":[{\"id\":\"us-77\","
	    "\"sender\":\"US\",\"addressee\":\"MX\",\"kind\":\"cover\","
	    "\"from_km\":420,\"to_km\":432,\"sector\":\"XX\",\"text\":"
	    "\"cubrir \\u001b[31mRED\\u001b[0m ya\",\"expires\":"
	    "\"2026-11-28T03:00:00Z\",\"state\":\"delivered\",\"history\":"
	    "[[\"sent\",\"2026-11-28T01:58:00Z\",\"US\"]]}]}";
	const char *const	 codes[NSIDES] = { "US", "MX" };
	struct reqbook_config	 c;
	struct reqbook		 b;
	struct reqfeed_msg	 m;
	struct event_log	 log;
	struct ui_reqact	 act[UI_REQACT_MAX];
	struct ui		*ui;
	char			 why[256], *text;
	const char		*k;
	size_t			 n;

	(void)state;
	memset(&c, 0, sizeof c);
	c.side_codes[0] = "US";
	c.side_codes[1] = "MX";
	c.side = -1;
	assert_int_equal(reqbook_init(&b, &c, why, sizeof why), BC_OK);
	events_init(&log, 8);
	assert_int_equal(reqfeed_parse_list(body, strlen(body), codes, &m,
	    why, sizeof why), BC_OK);
	reqbook_set_side(&b, m.side);
	reqbook_merge(&b, &m, fx->now, &log);
	reqfeed_msg_done(&m);

	ui = mk_ui(100, 30, 0, 0);
	ui_set_requests(ui, &b);
	ui_key(ui, '6');
	ui_draw(ui);
	text = screen_text(ui);
	assert_non_null(strstr(text, "REQ in 1 out 0"));
	assert_non_null(strstr(text, "INBOX"));
	assert_non_null(strstr(text, "us-77"));
	assert_non_null(strstr(text, "420.0-432.0"));
	assert_non_null(strstr(text, "cubrir RED ya"));
	assert_null(strchr(text, 0x1b));
	free(text);
	/* Shown: seen, once. */
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	assert_int_equal(act[0].op, UI_REQ_ANSWER);
	assert_string_equal(act[0].id, "us-77");
	assert_int_equal(act[0].answer.state, RS_SEEN);
	ui_key(ui, '1');
	ui_key(ui, '6');
	ui_draw(ui);
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);

	/* Accept; decline with a reason; counter with a stretch. */
	ui_key(ui, 'A');
	n = ui_req_actions(ui, act, UI_REQACT_MAX);
	assert_int_equal(n, 1);
	assert_int_equal(act[0].answer.state, RS_ACCEPTED);
	ui_key(ui, 'D');
	ui_key(ui, 'n');
	ui_key(ui, 'o');
	ui_key(ui, '\n');
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	assert_int_equal(act[0].answer.state, RS_DECLINED);
	assert_string_equal(act[0].answer.reason, "no");
	ui_key(ui, 'C');
	ui_key(ui, 'x');
	ui_key(ui, '\n');	/* not a stretch: refused, said */
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);
	ui_key(ui, 'C');
	for (k = "425-430"; *k != '\0'; k++)
		ui_key(ui, *k);
	ui_key(ui, '\n');
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	assert_int_equal(act[0].answer.state, RS_COUNTERED);
	assert_true(act[0].answer.counter_a_km == 425 &&
	    act[0].answer.counter_b_km == 430);
	assert_string_equal(act[0].answer.reason,
	    "We can cover this part / Podemos cubrir esta parte");
	/* Withdrawing is the sender's: refused here, with the reason. */
	ui_key(ui, 'W');
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 0);

	/* V from the gaps view: the longest gap, canned text 2 and more. */
	ui_key(ui, '4');
	ui_key(ui, 'V');
	ui_key(ui, '2');
	ui_key(ui, ' ');
	ui_key(ui, 'x');
	ui_key(ui, '\n');
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	assert_int_equal(act[0].op, UI_REQ_COMPOSE);
	assert_int_equal(act[0].kind, REQ_COVER);
	assert_memory_equal(act[0].gap, "G", 1);
	assert_true(act[0].b_km > act[0].a_km);
	assert_string_equal(act[0].text, "Activity seen here, please cover / "
	    "Actividad vista aqui, favor de cubrir - x");
	/* The gap n went to on the map is the one asked for. */
	ui_key(ui, '1');
	ui_key(ui, 'n');
	ui_key(ui, 'V');
	ui_key(ui, '\n');
	assert_int_equal(ui_req_actions(ui, act, UI_REQACT_MAX), 1);
	snprintf(why, sizeof why, "G%u", fx->pic.gaps[0].id);
	assert_string_equal(act[0].gap, why);
	assert_true(act[0].a_km == fx->pic.gaps[0].a);
	assert_string_equal(act[0].text,
	    "Please cover this stretch / Favor de cubrir este tramo");
	rm_ui(ui);
	events_done(&log);
	reqbook_done(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_screens_80x24),
		cmocka_unit_test(test_screens_132x43),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_narrow),
		cmocka_unit_test(test_escalation_footer),
		cmocka_unit_test(test_cover_prompt),
		cmocka_unit_test(test_requests_80x24),
		cmocka_unit_test(test_requests_restored),
		cmocka_unit_test(test_escape_callsign),
		cmocka_unit_test(test_details_no_seq),
		cmocka_unit_test(test_term_check),
		cmocka_unit_test(test_ascii_mono),
		cmocka_unit_test(test_utf8_mono),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_units_keys),
		cmocka_unit_test(test_help_fits),
		cmocka_unit_test(test_ascii_text),
		cmocka_unit_test(test_utf8_columns),
		cmocka_unit_test(test_gaps_ids),
		cmocka_unit_test(test_gaps_paging),
		cmocka_unit_test(test_events_grow),
		cmocka_unit_test(test_alert),
		cmocka_unit_test(test_map_keys),
		cmocka_unit_test(test_scroll),
		cmocka_unit_test(test_gap_levels),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_goto_gap),
		cmocka_unit_test(test_help_habits),
		cmocka_unit_test(test_board_clamp),
		cmocka_unit_test(test_no_picture),
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_follow),
		cmocka_unit_test(test_zoom_keeps_line),

		cmocka_unit_test(test_requests_view),
	};

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
		setlocale(LC_CTYPE, "C.utf8");
	return (cmocka_run_group_tests(tests, setup, teardown));
}
