/*
 * picture.c: derive the read-only picture from the unit table and the map.
 *
 * picture_build() places every unit on the line, ages it against the
 * picture's clock, computes the footprints of fresh active units, each
 * side's coverage, the joint class along the whole line, the gaps under
 * the policy, the same-side overlaps with the ids of the units involved
 * and per-sector figures.  Every pass is a sort or a sweep, so a build is
 * O(n log n) in the number of units and footprint intervals.
 *
 * Geometry only: no curses, curl or cJSON here.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "picture.h"
#include "xmalloc.h"

/* Intervals closer than this (km) are one: 1 mm, well below map error. */
#define PICTURE_EPS_KM	1e-6

void
picture_config_defaults(struct picture_config *cfg)
{
	int	k;

	memset(cfg, 0, sizeof *cfg);
	cfg->stale_after_s = 300;
	cfg->lost_after_s = 1800;
	cfg->policy = POLICY_EITHER;
	cfg->min_gap_km = 1;
	cfg->min_overlap_km = 1;
	cfg->across_tol_km = -1;
	for (k = 0; k < KIND_COUNT; k++)
		cfg->radius_km[k] = unit_kind_radius_km[k];
}

void
picture_init(struct picture *p)
{
	int	s;

	memset(p, 0, sizeof *p);
	p->as_of = NAN;
	for (s = 0; s < NSIDES; s++)
		ivlist_init(&p->cov[s]);
}

/* Free what a build derived, keeping the lists' storage for the next. */
static void
picture_clear(struct picture *p)
{
	size_t	i;
	int	s;

	for (s = 0; s < NSIDES; s++) {
		p->cov[s].n = 0;
		free(p->stats[s]);
		p->stats[s] = NULL;
	}
	free(p->runs);
	p->runs = NULL;
	p->nruns = 0;
	free(p->gaps);
	p->gaps = NULL;
	p->ngaps = 0;
	for (i = 0; i < p->noverlaps; i++)
		free(p->overlaps[i].ids);
	free(p->overlaps);
	p->overlaps = NULL;
	p->noverlaps = 0;
	memset(p->joint_km, 0, sizeof p->joint_km);
	memset(p->count, 0, sizeof p->count);
	p->across = 0;
}

void
picture_done(struct picture *p)
{
	size_t	i;
	int	s;

	picture_clear(p);
	if (p->units != NULL) {
		for (i = 0; i < p->units->n; i++)
			free(p->units->v[i].fp);
		free(p->units->v);
		free(p->units);
	}
	for (s = 0; s < NSIDES; s++)
		ivlist_done(&p->cov[s]);
	picture_init(p);
}

/*
 * A report is fresh while its age is at most stale_after, or, when it
 * carries stale_at, while now <= stale_at (the sender knows best how long
 * its report holds, as in Cursor on Target).  Past that it is stale while
 * its age is at most lost_after, then lost.  A stale_at later than time +
 * lost_after is not believed (year 9999 would make a ghost that covers
 * for ever): stale_after applies instead, and nothing is fresh past
 * lost_after.  A report from the future
 * (clock skew between sender and server) counts as age 0 and fresh.
 * Off-duty and out-of-service units are inactive whatever their age.
 */
enum unit_state
picture_unit_state(const struct report *r, const struct picture_config *cfg,
    double now, double *age_s)
{
	double	age;
	int	fresh;

	age = now - r->time;
	if (isnan(age))
		age = INFINITY;
	if (age < 0)
		age = 0;
	if (age_s != NULL)
		*age_s = age;
	if (!unit_status_active(r->status))
		return (STATE_INACTIVE);
	/* stale_at overrides stale_after, even for a report dated ahead of
	   the clock (which otherwise counts as age 0). */
	if (!isnan(r->stale_at) &&
	    r->stale_at - r->time <= cfg->lost_after_s)
		fresh = now <= r->stale_at;
	else
		fresh = age <= cfg->stale_after_s;
	if (age > cfg->lost_after_s)
		return (STATE_LOST);
	if (fresh)
		return (STATE_FRESH);
	if (age <= cfg->lost_after_s)
		return (STATE_STALE);
	return (STATE_LOST);
}

/*
 * Place, age and measure one unit (table entry t into picture entry u);
 * fresh units get their footprint.  Placement and footprint are reused
 * while u is for the same entry at the same position.
 */
static void
picture_unit_derive(struct picture *p, struct pic_unit *u,
    const struct unit *t, double tol_km)
{
	const struct border_map	*map = p->map;
	const struct report	*r;
	int			 s, other, same;

	same = u->serial == t->serial && u->pos_rev == t->pos_rev;
	if (u->serial != t->serial || u->rev != t->rev)
		u->r = t->r;
	r = &u->r;
	if (!same) {
		border_locate(map, r->lat, r->lon, &u->pl);
		for (s = 0; s < NSIDES; s++)
			u->sector[s] = border_sector_at(map, s, u->pl.s_km);
		u->fp_valid = 0;
	}
	u->serial = t->serial;
	u->rev = t->rev;
	u->pos_rev = t->pos_rev;
	u->state = picture_unit_state(r, &p->cfg, p->now, &u->age_s);
	if (isfinite(r->radius_km) && r->radius_km >= 0)
		u->radius_km = r->radius_km;
	else if ((unsigned)r->kind < KIND_COUNT)
		u->radius_km = p->cfg.radius_km[r->kind];
	else
		u->radius_km = p->cfg.radius_km[KIND_OTHER];

	u->across = 0;
	if (r->side == SIDE_LEFT || r->side == SIDE_RIGHT) {
		other = 1 - r->side;
		u->across = border_side_of(u->pl.d_km, tol_km) == other;
		p->count[r->side][u->state]++;
		if (u->across)
			p->across++;
	}

	if (u->state == STATE_FRESH &&
	    (r->side == SIDE_LEFT || r->side == SIDE_RIGHT)) {
		if (u->fp_valid && u->fp_radius_km == u->radius_km)
			return;
		free(u->fp);
		u->nfp = border_footprint(map, r->lat, r->lon, u->radius_km,
		    &u->fp);
		u->fp_valid = 1;
		u->fp_radius_km = u->radius_km;
	} else {
		free(u->fp);
		u->fp = NULL;
		u->nfp = 0;
		u->fp_valid = 0;
	}
}

void
picture_unit_near(const struct picture *p, const struct pic_unit *u,
    char *buf, size_t len)
{
	int	side = u->r.side == SIDE_RIGHT ? SIDE_RIGHT : SIDE_LEFT;

	if (len > 0)
		buf[0] = '\0';
	if (p->map == NULL || p->map->nplaces == 0 || !isfinite(u->r.lat))
		return;
	border_near_phrase(p->map, u->r.lat, u->r.lon, side, buf, len);
}

const struct pic_unit *
picture_unit(const struct picture *p, const char *id)
{
	size_t	i;

	if (p == NULL || p->units == NULL || id == NULL || id[0] == '\0')
		return (NULL);
	for (i = 0; i < p->units->n; i++)
		if (strcmp(p->units->v[i].r.id, id) == 0)
			return (&p->units->v[i]);
	return (NULL);
}

static void
picture_add_run(struct picture *p, size_t *cap, double a, double b,
    enum joint cls)
{
	struct joint_run	*last;

	p->joint_km[cls] += b - a;
	if (p->nruns > 0) {
		last = &p->runs[p->nruns - 1];
		if (last->cls == cls) {
			last->b = b;
			return;
		}
	}
	if (p->nruns == *cap) {
		*cap = *cap == 0 ? 64 : *cap * 2;
		p->runs = xreallocarray(p->runs, *cap, sizeof *p->runs);
	}
	p->runs[p->nruns].a = a;
	p->runs[p->nruns].b = b;
	p->runs[p->nruns].cls = cls;
	p->nruns++;
}

/* Sweep both sides' coverage at once into runs of constant class. */
static void
picture_runs(struct picture *p)
{
	const struct ivlist	*c;
	double			 x, len, nx, next[NSIDES];
	size_t			 i[NSIDES] = { 0, 0 }, cap = 0;
	int			 s, cls;

	len = p->map->length_km;
	x = 0;
	while (x < len) {
		cls = JOINT_NONE;
		nx = len;
		for (s = 0; s < NSIDES; s++) {
			c = &p->cov[s];
			while (i[s] < c->n && c->v[i[s]].b <= x)
				i[s]++;
			if (i[s] < c->n && c->v[i[s]].a <= x) {
				cls |= 1 << s;
				next[s] = c->v[i[s]].b;
			} else if (i[s] < c->n)
				next[s] = c->v[i[s]].a;
			else
				next[s] = len;
			if (next[s] < nx)
				nx = next[s];
		}
		if (!(nx > x))
			break;
		picture_add_run(p, &cap, x, nx, (enum joint)cls);
		x = nx;
	}
}

/* Whether a stretch of this class is uncovered under the policy. */
static int
picture_fails(enum gap_policy policy, enum joint cls)
{
	switch (policy) {
	case POLICY_EITHER:
		return (cls == JOINT_NONE);
	case POLICY_BOTH:
		return (cls != JOINT_BOTH);
	case POLICY_LEFT:
		return (!(cls & JOINT_LEFT));
	case POLICY_RIGHT:
		return (!(cls & JOINT_RIGHT));
	default:
		return (0);
	}
}

/* The first and last sector of side that [a, b] crosses, or -1. */
static void
picture_gap_sectors(const struct border_map *map, int side, double a,
    double b, int *first, int *last)
{
	const struct sector	*sec;
	size_t			 k;

	*first = *last = -1;
	for (k = 0; k < map->nsectors[side]; k++) {
		sec = &map->sectors[side][k];
		if (sec->end_km <= a || sec->start_km >= b)
			continue;
		if (*first < 0)
			*first = (int)k;
		*last = (int)k;
	}
}

static void
picture_add_gap(struct picture *p, size_t *cap, double a, double b)
{
	struct gap	*g;
	double		 mid, lat, lon;
	int		 s, side;

	if (b - a < p->cfg.min_gap_km)
		return;
	if (p->ngaps == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		p->gaps = xreallocarray(p->gaps, *cap, sizeof *p->gaps);
	}
	g = &p->gaps[p->ngaps++];
	memset(g, 0, sizeof *g);
	g->a = a;
	g->b = b;
	mid = (a + b) / 2;
	for (s = 0; s < NSIDES; s++)
		g->sector[s] = border_sector_at(p->map, s, mid);
	side = p->cfg.policy == POLICY_RIGHT ? SIDE_RIGHT : SIDE_LEFT;
	border_point_at(p->map, mid, &lat, &lon);
	border_near_phrase(p->map, lat, lon, side, g->near, sizeof g->near);
	g->open_since = NAN;
	g->id = 0;
	for (s = 0; s < NSIDES; s++)
		picture_gap_sectors(p->map, s, a, b, &g->sec_first[s],
		    &g->sec_last[s]);
}

/* Gaps: maximal runs failing the policy, at least min_gap_km long. */
static void
picture_gaps(struct picture *p)
{
	double	a = 0, b = 0;
	size_t	i, cap = 0;
	int	open = 0;

	for (i = 0; i < p->nruns; i++) {
		if (picture_fails(p->cfg.policy, p->runs[i].cls)) {
			if (!open) {
				a = p->runs[i].a;
				open = 1;
			}
			b = p->runs[i].b;
		} else if (open) {
			picture_add_gap(p, &cap, a, b);
			open = 0;
		}
	}
	if (open)
		picture_add_gap(p, &cap, a, b);
}

/* One end of one footprint interval, for the overlap sweep. */
struct fp_event {
	double	x;
	int	start;		/* 1 start, 0 end */
	size_t	unit;
};

static int
fp_event_cmp(const void *pa, const void *pb)
{
	const struct fp_event	*e = pa, *f = pb;

	if (e->x < f->x)
		return (-1);
	if (e->x > f->x)
		return (1);
	/* Ends first: footprints that only touch do not overlap. */
	if (e->start != f->start)
		return (e->start - f->start);
	return ((e->unit > f->unit) - (e->unit < f->unit));
}

static int
picture_id_cmp(const void *pa, const void *pb)
{
	const char *const	*x = pa, *const *y = pb;

	return (strcmp(*x, *y));
}

/* The set of units whose footprint covers the sweep position. */
struct active_set {
	size_t	*v;		/* unit indices */
	size_t	 n;
	size_t	*pos;		/* per unit: index in v */
	size_t	*depth;		/* per unit: its intervals covering here */
};

/* Collects the ids of one candidate overlap, each unit once. */
struct overlap_ids {
	char	**v;
	size_t	  n;
	size_t	  cap;
	size_t	 *mark;		/* per unit: region number + 1 */
	size_t	  region;
};

static void
overlap_ids_add(struct overlap_ids *o, struct pic_units *t, size_t u)
{
	if (o->mark[u] == o->region + 1)
		return;
	o->mark[u] = o->region + 1;
	if (o->n == o->cap) {
		o->cap = o->cap == 0 ? 8 : o->cap * 2;
		o->v = xreallocarray(o->v, o->cap, sizeof *o->v);
	}
	o->v[o->n++] = t->v[u].r.id;
}

static void
picture_add_overlap(struct picture *p, size_t *cap, int side, double a,
    double b, struct overlap_ids *o)
{
	struct overlap	*ov;

	if (b - a >= p->cfg.min_overlap_km && o->n >= 2) {
		if (p->noverlaps == *cap) {
			*cap = *cap == 0 ? 16 : *cap * 2;
			p->overlaps = xreallocarray(p->overlaps, *cap,
			    sizeof *p->overlaps);
		}
		ov = &p->overlaps[p->noverlaps++];
		ov->side = side;
		ov->a = a;
		ov->b = b;
		qsort(o->v, o->n, sizeof *o->v, picture_id_cmp);
		ov->ids = xreallocarray(NULL, o->n, sizeof *ov->ids);
		memcpy(ov->ids, o->v, o->n * sizeof *ov->ids);
		ov->nids = o->n;
	}
	o->n = 0;
	o->region++;
}

/*
 * Same-side overlaps: sweep the footprint ends of one side's fresh units;
 * where two or more cover, an overlap runs.  Its ids are the units covering
 * where it begins plus those starting inside it, so the work is the sort
 * plus the size of the answer, never units squared.
 */
static void
picture_overlaps(struct picture *p, int side)
{
	struct pic_units	*t = p->units;
	struct fp_event		*ev;
	struct active_set	 act;
	struct overlap_ids	 o;
	size_t			 nev = 0, i, j, u, last, cap = p->noverlaps;
	double			 a = 0;
	int			 in = 0;

	for (i = 0; i < t->n; i++) {
		if (t->v[i].r.side == side)
			nev += 2 * t->v[i].nfp;
	}
	if (nev == 0)
		return;
	ev = xreallocarray(NULL, nev, sizeof *ev);
	nev = 0;
	for (i = 0; i < t->n; i++) {
		if (t->v[i].r.side != side)
			continue;
		for (j = 0; j < t->v[i].nfp; j++) {
			ev[nev].x = t->v[i].fp[j].a;
			ev[nev].start = 1;
			ev[nev++].unit = i;
			ev[nev].x = t->v[i].fp[j].b;
			ev[nev].start = 0;
			ev[nev++].unit = i;
		}
	}
	qsort(ev, nev, sizeof *ev, fp_event_cmp);

	act.v = xreallocarray(NULL, t->n, sizeof *act.v);
	act.pos = xreallocarray(NULL, t->n, sizeof *act.pos);
	act.depth = xcalloc(t->n, sizeof *act.depth);
	act.n = 0;
	memset(&o, 0, sizeof o);
	o.mark = xcalloc(t->n, sizeof *o.mark);

	for (i = 0; i < nev; i++) {
		u = ev[i].unit;
		if (ev[i].start) {
			if (act.depth[u]++ > 0)
				continue;
			act.pos[u] = act.n;
			act.v[act.n++] = u;
			if (in)
				overlap_ids_add(&o, t, u);
			else if (act.n >= 2) {
				in = 1;
				a = ev[i].x;
				for (j = 0; j < act.n; j++)
					overlap_ids_add(&o, t, act.v[j]);
			}
		} else {
			if (act.depth[u] == 0 || --act.depth[u] > 0)
				continue;
			last = act.v[--act.n];
			act.v[act.pos[u]] = last;
			act.pos[last] = act.pos[u];
			if (in && act.n < 2) {
				in = 0;
				picture_add_overlap(p, &cap, side, a, ev[i].x,
				    &o);
			}
		}
	}
	free(o.v);
	free(o.mark);
	free(act.v);
	free(act.pos);
	free(act.depth);
	free(ev);
}

/* A unit on the line, for the nearest-unit search. */
struct pic_at {
	double	s;			/* chainage, km */
	size_t	unit;			/* index in units->v */
};

static int
pic_at_cmp(const void *pa, const void *pb)
{
	const struct pic_at	*x = pa, *y = pb;

	if (x->s != y->s)
		return (x->s < y->s ? -1 : 1);
	return ((x->unit > y->unit) - (x->unit < y->unit));
}

/*
 * For each gap, the nearest active unit of each side at each end: the
 * last at or west of its middle, the first at or east of it.  One sort
 * per side and one binary search per gap end.
 */
static void
picture_nearest(struct picture *p, int side)
{
	const struct pic_units	*t = p->units;
	const struct pic_unit	*u;
	struct pic_at		*v;
	struct gap		*g;
	size_t			 n = 0, i, lo, hi, mid;
	double			 m;

	v = xreallocarray(NULL, t->n + 1, sizeof *v);
	for (i = 0; i < t->n; i++) {
		u = &t->v[i];
		if (u->r.side != side || !isfinite(u->pl.s_km) ||
		    (u->state != STATE_FRESH && u->state != STATE_STALE))
			continue;
		v[n].s = u->pl.s_km;
		v[n++].unit = i;
	}
	qsort(v, n, sizeof *v, pic_at_cmp);
	for (i = 0; i < p->ngaps; i++) {
		g = &p->gaps[i];
		m = (g->a + g->b) / 2;
		/* lo: the first at or east of the middle. */
		for (lo = 0, hi = n; lo < hi; ) {
			mid = lo + (hi - lo) / 2;
			if (v[mid].s < m)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > 0) {
			g->nearest[GAP_WEST][side].unit = v[lo - 1].unit + 1;
			g->nearest[GAP_WEST][side].dist_km =
			    fmax(g->a - v[lo - 1].s, 0);
		}
		if (lo < n) {
			g->nearest[GAP_EAST][side].unit = v[lo].unit + 1;
			g->nearest[GAP_EAST][side].dist_km =
			    fmax(v[lo].s - g->b, 0);
		}
	}
	free(v);
}

/* Per-sector figures of one side; sectors and gaps are both sorted. */
static void
picture_stats(struct picture *p, int side, const struct ivlist *both)
{
	const struct border_map	*map = p->map;
	const struct sector	*sec;
	struct sector_stats	*st;
	const struct gap	*g;
	const struct pic_unit	*u;
	size_t			 k, i, first = 0, n;
	double			 a, b, part;

	n = map->nsectors[side];
	p->stats[side] = xcalloc(n == 0 ? 1 : n, sizeof *p->stats[side]);
	for (k = 0; k < n; k++) {
		sec = &map->sectors[side][k];
		st = &p->stats[side][k];
		st->len_km = sec->end_km - sec->start_km;
		st->own_km = ivlist_length_in(&p->cov[side], sec->start_km,
		    sec->end_km);
		st->other_km = ivlist_length_in(&p->cov[1 - side],
		    sec->start_km, sec->end_km);
		st->joint_km = ivlist_length_in(both, sec->start_km,
		    sec->end_km);
		while (first < p->ngaps && p->gaps[first].b <= sec->start_km)
			first++;
		for (i = first; i < p->ngaps; i++) {
			g = &p->gaps[i];
			if (g->a >= sec->end_km)
				break;
			a = g->a > sec->start_km ? g->a : sec->start_km;
			b = g->b < sec->end_km ? g->b : sec->end_km;
			part = b - a;
			if (part <= 0)
				continue;
			st->gaps++;
			if (part > st->longest_gap_km)
				st->longest_gap_km = part;
		}
	}
	for (i = 0; i < p->units->n; i++) {
		u = &p->units->v[i];
		if (u->r.side != side || u->sector[side] < 0 ||
		    (size_t)u->sector[side] >= n)
			continue;
		p->stats[side][u->sector[side]].units[u->state]++;
	}
}

void
picture_build(struct picture *p, const struct border_map *map,
    const struct unit_table *units, const struct picture_config *cfg,
    double now)
{
	struct ivlist	 both;
	struct pic_units *pu;
	struct pic_unit	*u;
	double		 tol;
	size_t		 i, j;
	int		 s;

	picture_clear(p);
	p->map = map;
	p->cfg = *cfg;
	p->now = now;
	if (p->units == NULL)
		p->units = xcalloc(1, sizeof *p->units);
	pu = p->units;
	if (pu->cap < units->n) {
		pu->v = xreallocarray(pu->v, units->n, sizeof *pu->v);
		memset(pu->v + pu->cap, 0, (units->n - pu->cap) *
		    sizeof *pu->v);
		pu->cap = units->n;
	}
	/* Entries past the table's end held units since removed. */
	for (i = units->n; i < pu->n; i++) {
		free(pu->v[i].fp);
		memset(&pu->v[i], 0, sizeof pu->v[i]);
	}
	pu->n = units->n;

	tol = cfg->across_tol_km < 0 ? map->accuracy_km : cfg->across_tol_km;
	for (i = 0; i < units->n; i++) {
		u = &pu->v[i];
		picture_unit_derive(p, u, &units->v[i], tol);
		if (u->r.side != SIDE_LEFT && u->r.side != SIDE_RIGHT)
			continue;
		for (j = 0; j < u->nfp; j++)
			ivlist_add(&p->cov[u->r.side], u->fp[j].a, u->fp[j].b);
	}
	for (s = 0; s < NSIDES; s++)
		ivlist_normalize(&p->cov[s], PICTURE_EPS_KM);

	picture_runs(p);
	picture_gaps(p);
	for (s = 0; s < NSIDES; s++) {
		picture_overlaps(p, s);
		picture_nearest(p, s);
	}

	ivlist_init(&both);
	ivlist_intersect(&p->cov[0], &p->cov[1], &both);
	for (s = 0; s < NSIDES; s++)
		picture_stats(p, s, &both);
	ivlist_done(&both);
}
