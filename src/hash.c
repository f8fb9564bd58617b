/*
 * hash.c: SipHash-2-4 under a per-process random key (see hash.h).
 *
 * Written from the description in "SipHash: a fast short-input PRF"
 * (Aumasson, Bernstein, 2012): four 64-bit words of state, two rounds per
 * 8-byte block, four to finish; the last block holds the length in its
 * top byte.
 */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hash.h"

static uint8_t	hash_key[16];
static int	hash_keyed;

#define ROTL(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static uint64_t
hash_le64(const uint8_t *p)
{
	return ((uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56);
}

uint64_t
hash_siphash(const uint8_t key[16], const void *data, size_t len)
{
	const uint8_t	*p = data, *end;
	uint64_t	 k0, k1, v0, v1, v2, v3, m, b;
	size_t		 left = len & 7;

	k0 = hash_le64(key);
	k1 = hash_le64(key + 8);
	v0 = k0 ^ 0x736f6d6570736575ULL;
	v1 = k1 ^ 0x646f72616e646f6dULL;
	v2 = k0 ^ 0x6c7967656e657261ULL;
	v3 = k1 ^ 0x7465646279746573ULL;
	end = p + (len - left);
	for (; p != end; p += 8) {
		m = hash_le64(p);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	b = (uint64_t)len << 56;
	switch (left) {
	case 7: b |= (uint64_t)p[6] << 48;	/* FALLTHROUGH */
	case 6: b |= (uint64_t)p[5] << 40;	/* FALLTHROUGH */
	case 5: b |= (uint64_t)p[4] << 32;	/* FALLTHROUGH */
	case 4: b |= (uint64_t)p[3] << 24;	/* FALLTHROUGH */
	case 3: b |= (uint64_t)p[2] << 16;	/* FALLTHROUGH */
	case 2: b |= (uint64_t)p[1] << 8;	/* FALLTHROUGH */
	case 1: b |= (uint64_t)p[0];		/* FALLTHROUGH */
	case 0: break;
	}
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (v0 ^ v1 ^ v2 ^ v3);
}

/*
 * The key, drawn on first use.  getrandom() blocks only before the
 * kernel's pool is ready at boot; should it fail, the key comes from the
 * clock and the process id, which a remote sender cannot read either.
 */
static void
hash_init(void)
{
	struct timespec	ts;
	uint64_t	x;
	size_t		got = 0;
	ssize_t		r;

	while (got < sizeof hash_key) {
		r = getrandom(hash_key + got, sizeof hash_key - got, 0);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < sizeof hash_key) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 30 ^
		    (uint64_t)getpid() << 17;
		memcpy(hash_key, &x, sizeof x);
		clock_gettime(CLOCK_REALTIME, &ts);
		x = (uint64_t)ts.tv_nsec ^ (uint64_t)ts.tv_sec << 20 ^
		    (uint64_t)(uintptr_t)&ts;
		memcpy(hash_key + 8, &x, sizeof x);
	}
	hash_keyed = 1;
}

uint64_t
hash_bytes(const void *p, size_t len)
{
	if (!hash_keyed)
		hash_init();
	return (hash_siphash(hash_key, p, len));
}

uint64_t
hash_str(const char *s)
{
	return (hash_bytes(s, strlen(s)));
}
