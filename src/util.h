/*
 * util.h: small helpers shared by every layer: cleaning strings from
 * outside, RFC 3339 times, reading whole files with a cap.
 */
#ifndef BORDERCOP_UTIL_H
#define BORDERCOP_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "status.h"

/*
 * Copy src (srclen bytes) into dst (dstlen bytes including the NUL) as
 * valid UTF-8 with every C0/C1 control character, DEL and escape sequence
 * removed; invalid or overlong sequences become U+FFFD; the copy is cut at
 * a character boundary.  Returns the length written.
 *
 * In detail: TAB, CR, LF, VT, FF and U+2028/U+2029 become a space; other
 * C0 controls, DEL and C1 controls (U+0080-U+009F) are dropped; escape
 * sequences are dropped whole (ESC [ CSI, ESC ] OSC up to BEL or ST, DCS,
 * SOS, PM and APC strings, ESC with intermediates and a final byte, and
 * their 8-bit forms U+009B, U+009D, U+0090, U+0098, U+009E, U+009F); the
 * bidirectional controls U+202A-U+202E and U+2066-U+2069 and the
 * invisible format characters (utf8_is_invisible() below) are dropped;
 * ill-formed UTF-8 (overlong, surrogates, above U+10FFFF, truncated) gives
 * one U+FFFD per maximal ill-formed subpart.
 */
size_t		 str_clean(char *dst, size_t dstlen, const char *src,
		    size_t srclen);
/* Zero-width format characters that a terminal and a screen library may
   not count alike, and that make two strings look the same: U+200B-U+200F,
   U+2060-U+2064, U+061C, U+FEFF, variation selectors and tags.  str_clean()
   drops them. */
int		 utf8_is_invisible(uint32_t);
/* Whether s is already clean by the rule above: str_clean() would leave
   it as it is (no invisible character either, so that two clean strings
   that look the same are the same). */
int		 str_is_clean(const char *s);
/* NULL when s is clean, else why not: "control characters or invalid
   UTF-8" (which includes C0 80, the overlong NUL), or "invisible
   characters". */
const char	*str_unclean_why(const char *s);

/* The last second RFC 3339 can write: 9999-12-31T23:59:59Z. */
#define TIME_RFC3339_MAX	253402300799.0

/* RFC 3339 date-time ("2026-11-28T02:00:00Z", offsets, fractions) to
   epoch seconds.  Returns 0 on success, -1 if not a valid date-time. */
int		 time_parse_rfc3339(const char *, double *);
/* Format epoch seconds as "2026-11-28T02:00:00Z" (whole seconds, rounded
   down); a non-finite time gives "-". */
void		 time_format_rfc3339(double, char *, size_t);

/* Read a whole regular file, at most max bytes, NUL-terminated; a FIFO
   or a device is refused without blocking. */
enum bc_status	 file_read_all(const char *path, size_t max, char **buf,
		    size_t *len, char *why, size_t whylen);
/* The same, with the file's status as it was read (*sb). */
struct stat;
enum bc_status	 file_read_all_st(const char *path, size_t max, char **buf,
		    size_t *len, struct stat *sb, char *why, size_t whylen);

#endif
