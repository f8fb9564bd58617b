/*
 * trails.c: each unit's recent positions (see trails.h).
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trails.h"
#include "xmalloc.h"

static size_t
trails_hash_str(const char *s)
{
	uint64_t	h = 1469598103934665603ull;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return ((size_t)h);
}

static size_t *
trails_slot(const struct trails *tr, const char *id)
{
	size_t	i = trails_hash_str(id) & (tr->hashcap - 1);

	while (tr->hash[i] != 0 && strcmp(tr->v[tr->hash[i] - 1].id, id) != 0)
		i = (i + 1) & (tr->hashcap - 1);
	return (&tr->hash[i]);
}

static void
trails_rehash(struct trails *tr)
{
	size_t	i;

	while (tr->hashcap < 2 * (tr->n + 1))
		tr->hashcap = tr->hashcap == 0 ? 64 : tr->hashcap * 2;
	free(tr->hash);
	tr->hash = xcalloc(tr->hashcap, sizeof *tr->hash);
	for (i = 0; i < tr->n; i++)
		*trails_slot(tr, tr->v[i].id) = i + 1;
}

void
trails_init(struct trails *tr)
{
	memset(tr, 0, sizeof *tr);
	tr->now = NAN;
	trails_rehash(tr);
}

void
trails_done(struct trails *tr)
{
	free(tr->v);
	free(tr->hash);
	memset(tr, 0, sizeof *tr);
}

const struct trail *
trails_find(const struct trails *tr, const char *id)
{
	size_t	i;

	if (tr->hashcap == 0)
		return (NULL);
	i = *trails_slot(tr, id);
	return (i != 0 ? &tr->v[i - 1] : NULL);
}

void
trails_update(struct trails *tr, const struct unit_table *t, double now)
{
	const struct report	*r;
	struct trail		*a;
	size_t			*slot, i, k, n, drop;

	if (!isfinite(now))
		return;
	if (isfinite(tr->now) && now < tr->now) {
		tr->n = 0;	/* the clock went back: a replay */
		trails_rehash(tr);
	}
	tr->now = now;
	for (i = 0; i < t->n; i++) {
		r = &t->v[i].r;
		if (!isfinite(r->lat) || !isfinite(r->lon) ||
		    !isfinite(r->time) || r->time < now - TRAILS_WINDOW_S)
			continue;
		if (2 * (tr->n + 1) > tr->hashcap)
			trails_rehash(tr);
		slot = trails_slot(tr, r->id);
		if (*slot == 0) {
			if (tr->n == tr->cap) {
				tr->cap = tr->cap == 0 ? 64 : tr->cap * 2;
				tr->v = xreallocarray(tr->v, tr->cap,
				    sizeof *tr->v);
			}
			a = &tr->v[tr->n];
			memset(a, 0, sizeof *a);
			snprintf(a->id, sizeof a->id, "%s", r->id);
			*slot = ++tr->n;
		}
		a = &tr->v[*slot - 1];
		a->side = r->side;
		if (a->n > 0 && !(r->time > a->p[a->n - 1].t))
			continue;
		if (a->n == TRAILS_POINTS) {
			memmove(a->p, a->p + 1, (a->n - 1) * sizeof *a->p);
			a->n--;
		}
		a->p[a->n++] = (struct trail_point){ r->time, r->lat, r->lon };
	}
	/* Drop what is older than the window, then empty trails. */
	for (i = n = 0, drop = 0; i < tr->n; i++) {
		a = &tr->v[i];
		for (k = 0; k < a->n && a->p[k].t < now - TRAILS_WINDOW_S; k++)
			;
		if (k > 0) {
			memmove(a->p, a->p + k, (a->n - k) * sizeof *a->p);
			a->n -= k;
		}
		if (a->n == 0) {
			drop++;
			continue;
		}
		if (n != i)
			tr->v[n] = *a;
		n++;
	}
	tr->n = n;
	if (drop > 0)
		trails_rehash(tr);
}
