/*
 * test_unit.c: the unit table: merge ordering, removal, hashing.
 */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hash.h"
#include "unit.h"
#include "xmalloc.h"

static struct report
mkreport(const char *id, int64_t seq, double time, double lat)
{
	struct report	r;

	memset(&r, 0, sizeof r);
	snprintf(r.id, sizeof r.id, "%s", id);
	r.side = SIDE_LEFT;
	r.kind = KIND_VEHICLE;
	r.status = STATUS_PATROL;
	r.lat = lat;
	r.lon = -110.9;
	r.seq = seq;
	r.time = time;
	r.stale_at = r.heading_deg = r.speed_kmh = r.radius_km = r.ce_m = NAN;
	return (r);
}

static void
test_tables(void **state)
{
	assert_string_equal(unit_kind_names[KIND_DRONE], "drone");
	assert_true(unit_kind_radius_km[KIND_AIRCRAFT] == 15.0);
	assert_true(unit_kind_radius_km[KIND_FOOT] == 1.5);
	assert_int_equal(unit_kind_from_name("tower"), KIND_TOWER);
	assert_int_equal(unit_kind_from_name("submarine"), KIND_OTHER);
	assert_int_equal(unit_kind_from_name(NULL), KIND_OTHER);
	assert_int_equal(unit_status_from_name("off-duty"), STATUS_OFF_DUTY);
	assert_int_equal(unit_status_from_name("out-of-service"),
	    STATUS_OUT_OF_SERVICE);
	assert_int_equal(unit_status_from_name("lunch"), STATUS_UNKNOWN);
	assert_int_equal(unit_status_from_name("Patrol"), STATUS_UNKNOWN);
	assert_true(unit_status_active(STATUS_RESPONDING));
	assert_false(unit_status_active(STATUS_OFF_DUTY));
	assert_false(unit_status_active(STATUS_OUT_OF_SERVICE));
	assert_true(unit_status_active(STATUS_UNKNOWN));
	assert_string_equal(unit_state_names[STATE_INACTIVE], "inactive");
	assert_string_equal(unit_state_names[STATE_FRESH], "fresh");
}

static void
test_seq_order(void **state)
{
	struct unit_table	 t;
	struct report		 r;
	struct unit		*u;

	units_init(&t);
	r = mkreport("A", 10, 1000, 31.0);
	assert_int_equal(units_merge(&t, &r), MERGE_NEW);
	/* An older seq never overwrites, even with a later time. */
	r = mkreport("A", 9, 2000, 32.0);
	assert_int_equal(units_merge(&t, &r), MERGE_OLDER);
	r = mkreport("A", 10, 3000, 33.0);
	assert_int_equal(units_merge(&t, &r), MERGE_SAME);
	u = units_find(&t, "A");
	assert_non_null(u);
	assert_true(u->r.lat == 31.0);
	/* A newer seq wins even with an earlier time. */
	r = mkreport("A", 11, 500, 34.0);
	assert_int_equal(units_merge(&t, &r), MERGE_UPDATED);
	u = units_find(&t, "A");
	assert_true(u->r.lat == 34.0);
	assert_int_equal(u->r.seq, 11);
	assert_int_equal(t.n, 1);
	units_done(&t);
}

static void
test_time_order(void **state)
{
	struct unit_table	 t;
	struct report		 r;

	units_init(&t);
	r = mkreport("B", -1, 1000, 31.0);
	assert_int_equal(units_merge(&t, &r), MERGE_NEW);
	r = mkreport("B", -1, 999.5, 32.0);
	assert_int_equal(units_merge(&t, &r), MERGE_OLDER);
	r = mkreport("B", -1, 1000, 32.0);
	assert_int_equal(units_merge(&t, &r), MERGE_SAME);
	r = mkreport("B", -1, 1000.25, 33.0);
	assert_int_equal(units_merge(&t, &r), MERGE_UPDATED);
	/* One side without seq: time decides. */
	r = mkreport("B", 5, 900, 34.0);
	assert_int_equal(units_merge(&t, &r), MERGE_OLDER);
	r = mkreport("B", 5, 1100, 35.0);
	assert_int_equal(units_merge(&t, &r), MERGE_UPDATED);
	r = mkreport("B", -1, 1050, 36.0);
	assert_int_equal(units_merge(&t, &r), MERGE_OLDER);
	assert_true(units_find(&t, "B")->r.lat == 35.0);
	units_done(&t);
}

static void
test_remove_clear(void **state)
{
	struct unit_table	 t;
	struct report		 r;
	uint64_t		 cserial, bserial;

	units_init(&t);
	r = mkreport("A", 1, 1, 1);
	units_merge(&t, &r);
	r = mkreport("B", 1, 1, 2);
	units_merge(&t, &r);
	r = mkreport("C", 1, 1, 3);
	units_merge(&t, &r);
	/* Entries carry serials that the picture's cache is checked
	   against: they follow the unit when it moves in the array. */
	cserial = units_find(&t, "C")->serial;
	bserial = units_find(&t, "B")->serial;
	assert_true(cserial != bserial && cserial != 0);

	assert_int_equal(units_remove(&t, "A"), 1);
	assert_int_equal(units_remove(&t, "A"), 0);
	assert_int_equal(units_remove(&t, "nope"), 0);
	assert_int_equal(t.n, 2);
	assert_null(units_find(&t, "A"));
	/* C was swapped into A's place and is still found. */
	assert_non_null(units_find(&t, "C"));
	assert_true(units_find(&t, "C")->r.lat == 3);
	assert_true(units_find(&t, "C")->serial == cserial);
	assert_true(units_find(&t, "B")->r.lat == 2);

	units_clear(&t);
	assert_int_equal(t.n, 0);
	assert_null(units_find(&t, "B"));
	assert_null(units_find(&t, "C"));
	r = mkreport("B", 0, 0, 4);
	assert_int_equal(units_merge(&t, &r), MERGE_NEW);
	/* A new entry, never the old one's serial: nothing derived from
	   the old B may be taken for the new one. */
	assert_true(units_find(&t, "B")->serial != bserial);
	units_done(&t);
	assert_int_equal(t.n, 0);
	assert_null(t.v);
}

static void
test_many_ids(void **state)
{
	struct unit_table	 t;
	struct report		 r;
	char			 id[32];
	size_t			 i;
	struct unit		*u;

	units_init(&t);
	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "MX-GN-%05zu", i);
		r = mkreport(id, (int64_t)i, (double)i, (double)i);
		assert_int_equal(units_merge(&t, &r), MERGE_NEW);
	}
	assert_int_equal(t.n, 10000);
	assert_true(t.hashcap >= 2 * t.n);
	/* Remove every third, in an order that shuffles the array. */
	for (i = 0; i < 10000; i += 3) {
		snprintf(id, sizeof id, "MX-GN-%05zu", i);
		assert_int_equal(units_remove(&t, id), 1);
	}
	assert_int_equal(t.n, 10000 - 3334);
	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "MX-GN-%05zu", i);
		u = units_find(&t, id);
		if (i % 3 == 0)
			assert_null(u);
		else {
			assert_non_null(u);
			assert_string_equal(u->r.id, id);
			assert_true(u->r.lat == (double)i);
		}
	}
	/* Re-adding goes in as new; updates find the right unit. */
	for (i = 0; i < 10000; i++) {
		snprintf(id, sizeof id, "MX-GN-%05zu", i);
		r = mkreport(id, (int64_t)i + 1, 0, -(double)i);
		assert_int_equal(units_merge(&t, &r),
		    i % 3 == 0 ? MERGE_NEW : MERGE_UPDATED);
	}
	assert_int_equal(t.n, 10000);
	for (i = 0; i < t.n; i++) {
		u = units_find(&t, t.v[i].r.id);
		assert_ptr_equal(u, &t.v[i]);
	}
	units_done(&t);
}

static void
test_generation(void **state)
{
	struct unit_table	t;
	struct report		r;
	uint64_t		g;

	units_init(&t);
	g = t.generation;
	r = mkreport("A", 1, 1, 1);
	units_merge(&t, &r);
	assert_true(t.generation > g);
	g = t.generation;
	units_merge(&t, &r);			/* same: no change */
	assert_true(t.generation == g);
	r.seq = 0;
	units_merge(&t, &r);			/* older: no change */
	assert_true(t.generation == g);
	r.seq = 2;
	units_merge(&t, &r);
	assert_true(t.generation > g);
	g = t.generation;
	units_remove(&t, "zzz");
	assert_true(t.generation == g);
	units_remove(&t, "A");
	assert_true(t.generation > g);
	g = t.generation;
	units_clear(&t);
	assert_true(t.generation > g);
	units_done(&t);
}

/* SipHash-2-4 against the paper's vectors (key 00..0f, message 00..). */
static void
test_siphash_vectors(void **state)
{
	uint8_t	key[16], msg[64];
	int	i;

	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	assert_true(hash_siphash(key, msg, 0) == 0x726fdb47dd0e0e31ULL);
	assert_true(hash_siphash(key, msg, 15) == 0xa129ca6149be45e5ULL);
	assert_true(hash_siphash(key, msg, 8) == 0x93f5f5799a932462ULL);
	assert_true(hash_siphash(key, msg, 63) == 0x958a324ceb064572ULL);
}

/*
 * Ids chosen so that FNV-1a (the hash before) gives them all the same low
 * 12 bits, as a sender flooding the table would: under the keyed hash
 * they spread, so no run of occupied slots grows long.
 */
#define NFLOOD	1024

static void
test_colliding_ids_spread(void **state)
{
	static const char	 hex[] = "0123456789abcdef";
	static char		 ids[NFLOOD][16];
	struct unit_table	 t;
	struct report		 r;
	uint64_t		 h0, h;
	size_t			 n = 0, run, longest, i;
	uint32_t		 k;
	int			 j;

	/* FNV-1a of "FLOOD-" then of eight hex digits of k. */
	h0 = 0xcbf29ce484222325ULL;
	for (j = 0; j < 6; j++)
		h0 = (h0 ^ (unsigned char)"FLOOD-"[j]) * 0x100000001b3ULL;
	for (k = 0; n < NFLOOD; k++) {
		h = h0;
		for (j = 0; j < 8; j++) {
			ids[n][6 + j] = hex[(k >> (28 - 4 * j)) & 0xf];
			h = (h ^ (unsigned char)ids[n][6 + j]) *
			    0x100000001b3ULL;
		}
		if ((h & 0xfff) != 0)
			continue;
		memcpy(ids[n], "FLOOD-", 6);
		ids[n][14] = '\0';
		n++;
	}

	units_init(&t);
	for (i = 0; i < NFLOOD; i++) {
		r = mkreport(ids[i], 1, 1000, 31.0);
		assert_int_equal(units_merge(&t, &r), MERGE_NEW);
	}
	assert_true(t.hashcap <= 0x1000);	/* one home slot under FNV */
	longest = run = 0;
	for (i = 0; i < 2 * t.hashcap; i++) {
		run = t.hash[i % t.hashcap] != 0 ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	/* A random hash at half load gives runs of some tens at most. */
	assert_true(longest < 100);
	for (i = 0; i < NFLOOD; i++)
		assert_non_null(units_find(&t, ids[i]));
	units_done(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_seq_order),
		cmocka_unit_test(test_time_order),
		cmocka_unit_test(test_remove_clear),
		cmocka_unit_test(test_many_ids),
		cmocka_unit_test(test_generation),
		cmocka_unit_test(test_siphash_vectors),
		cmocka_unit_test(test_colliding_ids_spread),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
