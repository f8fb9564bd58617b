/*
 * apiwrite.h: writing coordination API v1 messages (bordercop-api(7)).
 *
 * A hand writer, so that a 10,000-unit snapshot costs one pass and no
 * tree: compact separators, coordinates with 5 decimals (about 1 m),
 * absent members left out, JSON strings escaped.  Numbers are written
 * without printf's locale, so the bytes are the same everywhere.
 *
 * A cursor is "<version in base 36>.<instance tag>": a cursor from
 * another server run (another tag) is unknown and earns a full answer.
 */
#ifndef BORDERCOP_APIWRITE_H
#define BORDERCOP_APIWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "border.h"
#include "scenario.h"
#include "unit.h"

#define APIWRITE_API		"bordercop-coordination/1.1"
#define APIWRITE_CURSOR_MAX	64
#define APIWRITE_TAG_MAX	16

/* A growable byte buffer (always NUL-terminated once written to). */
struct apibuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

void		 apibuf_init(struct apibuf *);
void		 apibuf_done(struct apibuf *);
void		 apibuf_add(struct apibuf *, const void *, size_t);
void		 apibuf_str(struct apibuf *, const char *);
/* A JSON string literal, quoted and escaped. */
void		 apibuf_json_string(struct apibuf *, const char *);
/* A number rounded to ndec decimals, trailing zeros dropped. */
void		 apibuf_number(struct apibuf *, double, int ndec);

/* One Feature for a report; side_codes name the map's sides. */
void		 apiwrite_feature(struct apibuf *, const struct report *,
		    const char *const side_codes[NSIDES]);

/*
 * A whole positions message from scenario slots.  full: every present
 * slot, no removed member.  Otherwise: present slots changed after
 * version since, and the ids of absent slots changed after it.
 */
struct apiwrite_msg {
	double				 server_time;	/* epoch s */
	const char			*cursor;
	int				 full;
	uint64_t			 since;
	const struct scenario_slot	*slots;
	size_t				 nslots;
	const char			*side_codes[NSIDES];
	const char			*partition;	/* or NULL */
};

void		 apiwrite_positions(struct apibuf *,
		    const struct apiwrite_msg *);

/* Cursors: format, and parse back (0 if ours, with *version; else -1). */
void		 apiwrite_cursor(char *, size_t, uint64_t version,
		    const char *tag);
int		 apiwrite_cursor_parse(const char *, const char *tag,
		    uint64_t *version);

#endif
