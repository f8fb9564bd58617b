/*
 * util.h: small helpers shared by every layer: cleaning strings from
 * outside, RFC 3339 times, reading whole files with a cap.
 */
#ifndef BORDERCOP_UTIL_H
#define BORDERCOP_UTIL_H

#include <stddef.h>

#include "status.h"

/*
 * Copy src (srclen bytes) into dst (dstlen bytes including the NUL) as
 * valid UTF-8 with every C0/C1 control character, DEL and escape sequence
 * removed; invalid or overlong sequences become U+FFFD; the copy is cut at
 * a character boundary.  Returns the length written.
 */
size_t		 str_clean(char *dst, size_t dstlen, const char *src,
		    size_t srclen);
/* Whether s is already clean by the rule above. */
int		 str_is_clean(const char *s);

/* RFC 3339 date-time ("2026-11-28T02:00:00Z", offsets, fractions) to
   epoch seconds.  Returns 0 on success, -1 if not a valid date-time. */
int		 time_parse_rfc3339(const char *, double *);
/* Format epoch seconds as "2026-11-28T02:00:00Z" (whole seconds). */
void		 time_format_rfc3339(double, char *, size_t);

/* Read a whole file, at most max bytes, NUL-terminated. */
enum bc_status	 file_read_all(const char *path, size_t max, char **buf,
		    size_t *len, char *why, size_t whylen);

#endif
