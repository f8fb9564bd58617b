/*
 * unit.c: the unit table, keyed by unit id.
 *
 * Units live in one array (so that views and the report can walk them in
 * order) with an open-addressing hash over it (linear probing, slots hold
 * index + 1, 0 is empty; at most half full), keyed by hash.h so that
 * no sender can choose ids that share a slot.  Removal swaps the last unit
 * into the hole and fixes both hash slots, so lookups stay O(1) without
 * tombstones.  Every change bumps the generation so that consumers can
 * tell whether to rebuild.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "unit.h"
#include "xmalloc.h"

const char *const unit_kind_names[KIND_COUNT] = {
#define X(id, name, r) name,
	UNIT_KINDS(X)
#undef X
};

const double unit_kind_radius_km[KIND_COUNT] = {
#define X(id, name, r) r,
	UNIT_KINDS(X)
#undef X
};

const char *const unit_status_names[STATUS_COUNT] = {
#define X(id, name, active) name,
	UNIT_STATUSES(X)
#undef X
	"unknown"
};

/*
 * Entry serials: the picture's placement cache is checked against them,
 * so they are unique across every table of the process (a test builds
 * pictures from many short-lived tables).  Only the main thread uses
 * unit tables.
 */
static uint64_t	units_serial;

static const int unit_status_is_active[STATUS_COUNT] = {
#define X(id, name, active) active,
	UNIT_STATUSES(X)
#undef X
	1		/* an unknown status is shown and counts as active */
};

const char *const unit_state_names[STATE_COUNT] = {
	"fresh", "stale", "lost", "inactive"
};

/* Unknown or absent kinds are KIND_OTHER; the text is kept in kind_text. */
enum unit_kind
unit_kind_from_name(const char *name)
{
	int	i;

	if (name != NULL) {
		for (i = 0; i < KIND_COUNT; i++) {
			if (strcmp(name, unit_kind_names[i]) == 0)
				return ((enum unit_kind)i);
		}
	}
	return (KIND_OTHER);
}

enum unit_status
unit_status_from_name(const char *name)
{
	int	i;

	if (name != NULL) {
		for (i = 0; i < STATUS_UNKNOWN; i++) {
			if (strcmp(name, unit_status_names[i]) == 0)
				return ((enum unit_status)i);
		}
	}
	return (STATUS_UNKNOWN);
}

int
unit_status_active(enum unit_status st)
{
	if ((unsigned)st >= STATUS_COUNT)
		return (1);
	return (unit_status_is_active[st]);
}

/* Keyed (hash.h): ids come from the network. */
static uint64_t
units_hash_id(const char *id)
{
	return (hash_str(id));
}

/* The slot holding id, or the empty slot where it would go. */
static size_t
units_slot(const struct unit_table *t, const char *id)
{
	size_t	mask = t->hashcap - 1, h;

	h = (size_t)units_hash_id(id) & mask;
	while (t->hash[h] != 0 && strcmp(t->v[t->hash[h] - 1].r.id, id) != 0)
		h = (h + 1) & mask;
	return (h);
}

static void
units_rehash(struct unit_table *t, size_t cap)
{
	size_t	i;

	free(t->hash);
	t->hashcap = cap;
	t->hash = xcalloc(cap, sizeof *t->hash);
	for (i = 0; i < t->n; i++)
		t->hash[units_slot(t, t->v[i].r.id)] = i + 1;
}

void
units_init(struct unit_table *t)
{
	memset(t, 0, sizeof *t);
	t->hashcap = 64;
	t->hash = xcalloc(t->hashcap, sizeof *t->hash);
}

void
units_done(struct unit_table *t)
{
	free(t->v);
	free(t->hash);
	memset(t, 0, sizeof *t);
}

void
units_clear(struct unit_table *t)
{
	t->n = 0;
	memset(t->hash, 0, t->hashcap * sizeof *t->hash);
	t->generation++;
}

struct unit *
units_find(struct unit_table *t, const char *id)
{
	size_t	h;

	if (t->hash == NULL)
		return (NULL);
	h = units_slot(t, id);
	if (t->hash[h] == 0)
		return (NULL);
	return (&t->v[t->hash[h] - 1]);
}

/*
 * Whether report a is newer than b: by seq when both carry one, else by
 * report time.  Returns 1 newer, 0 same, -1 older.
 */
static int
units_compare(const struct report *a, const struct report *b)
{
	if (a->seq >= 0 && b->seq >= 0) {
		if (a->seq != b->seq)
			return (a->seq > b->seq ? 1 : -1);
		return (0);
	}
	if (a->time != b->time)
		return (a->time > b->time ? 1 : -1);
	return (0);
}

/* Replace a unit's report; what the picture derived from its position
   stays valid only if it did not move. */
static void
units_update(struct unit_table *t, struct unit *u, const struct report *r)
{
	if (u->r.lat != r->lat || u->r.lon != r->lon)
		u->pos_rev++;
	u->rev++;
	u->r = *r;
	t->generation++;
}

enum unit_merge
units_set(struct unit_table *t, const struct report *r)
{
	struct unit	*u;

	if ((u = units_find(t, r->id)) == NULL)
		return (units_merge(t, r));
	if (memcmp(&u->r, r, sizeof *r) == 0)
		return (MERGE_SAME);
	units_update(t, u, r);
	return (MERGE_UPDATED);
}

enum unit_merge
units_merge(struct unit_table *t, const struct report *r)
{
	struct unit	*u;
	size_t		 h;
	int		 c;

	if (t->hash == NULL)
		units_init(t);
	h = units_slot(t, r->id);
	if (t->hash[h] != 0) {
		u = &t->v[t->hash[h] - 1];
		if ((c = units_compare(r, &u->r)) <= 0)
			return (c == 0 ? MERGE_SAME : MERGE_OLDER);
		units_update(t, u, r);
		return (MERGE_UPDATED);
	}

	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 64 : t->cap * 2;
		t->v = xreallocarray(t->v, t->cap, sizeof *t->v);
	}
	u = &t->v[t->n];
	memset(u, 0, sizeof *u);
	u->r = *r;
	u->serial = ++units_serial;
	u->rev = 1;
	u->pos_rev = 1;
	t->n++;
	if (t->n * 2 > t->hashcap)
		units_rehash(t, t->hashcap * 2);
	else
		t->hash[h] = t->n;
	t->generation++;
	return (MERGE_NEW);
}

/*
 * Empty slot h of a linear-probing table and shift later members of its
 * cluster back, so that no lookup stops early at the hole.
 */
static void
units_unslot(struct unit_table *t, size_t h)
{
	size_t	mask = t->hashcap - 1, j, home;

	t->hash[h] = 0;
	j = h;
	for (;;) {
		j = (j + 1) & mask;
		if (t->hash[j] == 0)
			return;
		home = (size_t)units_hash_id(t->v[t->hash[j] - 1].r.id) & mask;
		/* Move j into h unless its home lies cyclically in (h, j]. */
		if (h <= j ? (home <= h || home > j) :
		    (home <= h && home > j)) {
			t->hash[h] = t->hash[j];
			t->hash[j] = 0;
			h = j;
		}
	}
}

int
units_remove(struct unit_table *t, const char *id)
{
	size_t	h, i, last;

	if (t->hash == NULL)
		return (0);
	h = units_slot(t, id);
	if (t->hash[h] == 0)
		return (0);
	i = t->hash[h] - 1;
	units_unslot(t, h);
	last = t->n - 1;
	if (i != last) {
		t->v[i] = t->v[last];
		t->hash[units_slot(t, t->v[i].r.id)] = i + 1;
	}
	t->n--;
	t->generation++;
	return (1);
}
