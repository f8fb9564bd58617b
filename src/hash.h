/*
 * hash.h: the keyed hash for every table fed by the network.
 *
 * Ids come from the feed, so a sender who knew the hash could pick ids
 * that all land in one slot and turn each lookup into a walk of the
 * table.  The hash is SipHash-2-4 (Aumasson and Bernstein) under a
 * 128-bit key drawn once per process from getrandom(2): without the key
 * no one can tell which ids collide.
 */
#ifndef BORDERCOP_HASH_H
#define BORDERCOP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* SipHash-2-4 of len bytes at p under the process key. */
uint64_t	 hash_bytes(const void *p, size_t len);
/* The same of a NUL-terminated string. */
uint64_t	 hash_str(const char *s);
/* SipHash-2-4 under an explicit key (for the reference vectors). */
uint64_t	 hash_siphash(const uint8_t key[16], const void *p, size_t len);

#endif
