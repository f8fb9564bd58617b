/*
 * feed.h: parsing coordination API v1 messages (see bordercop-api(7)).
 *
 * The parser is the boundary: every string that leaves it is bounded,
 * valid UTF-8 and free of control characters and escape sequences.  Each
 * feature is validated alone; a bad one is rejected with its reason and
 * the rest of the message is used.  Only a body that is not an API v1
 * FeatureCollection at all is refused as a whole.
 */
#ifndef BORDERCOP_FEED_H
#define BORDERCOP_FEED_H

#include <stddef.h>

#include "status.h"
#include "unit.h"

#define FEED_MAX_BYTES		(32u * 1024 * 1024)
#define FEED_MAX_FEATURES	200000
#define FEED_REASON_MAX		128
#define FEED_MAX_DEPTH		32	/* nesting of arrays and objects */
#define FEED_CURSOR_MAX		256	/* bytes */
#define FEED_MAX_REMOVED	200000	/* ids in "removed" */
/* The budget of one parsed tree (the message without its features, or one
   feature, or the whole message when it must be read whole). */
#define FEED_TREE_BYTES		(128u * 1024 * 1024)
#define FEED_TREE_NODES		2000000u

struct rejected {
	size_t	index;				/* position in features[] */
	char	id[UNIT_ID_MAX + 1];		/* clean, may be empty */
	char	reason[FEED_REASON_MAX];
};

struct feed_msg {
	char		 api[64];		/* "bordercop-coordination/1" */
	double		 server_time;		/* epoch s, NAN when absent */
	char		*cursor;		/* clean; NULL when absent */
	int		 full;			/* 1: replace the table */

	struct report	*reports;
	size_t		 nreports;
	char		**removed;		/* clean ids */
	size_t		 nremoved;
	struct rejected	*rejected;
	size_t		 nrejected;
};

/*
 * Parse one message.  side_codes are the map's two side codes (index =
 * side).  On BC_OK *msg is filled (free with feed_msg_done); otherwise why
 * says what is wrong and *msg is empty.
 */
enum bc_status	 feed_parse(const char *buf, size_t len,
		    const char *const side_codes[NSIDES],
		    struct feed_msg *msg, char *why, size_t whylen);
/*
 * The same with flags: FEED_WHOLE parses the body as one tree instead of
 * feature by feature (the reference the piecewise parse is tested
 * against: same verdicts, same texts, more memory).
 */
#define FEED_WHOLE	0x1
enum bc_status	 feed_parse_opts(const char *buf, size_t len,
		    const char *const side_codes[NSIDES], int flags,
		    struct feed_msg *msg, char *why, size_t whylen);
/* A feed file (--feed): one message that is the whole picture, so one
   with "full": false is refused. */
enum bc_status	 feed_read_file(const char *path,
		    const char *const side_codes[NSIDES],
		    struct feed_msg *msg, char *why, size_t whylen);
void		 feed_msg_done(struct feed_msg *);

/*
 * What a message's rejections say in one line for the status line and
 * --watch: "" when none, else the first by index, "#3 USBP-1:
 * properties.time: 86400 s ahead of server_time".  Returns 1 when a full
 * message had features and kept none of them (the picture empties: a
 * warning, not an ordinary rejection).
 */
int		 feed_reject_note(const struct feed_msg *, char *buf,
		    size_t len);

/*
 * For the other readers of the API's JSON (the requests): a copy of the
 * body in which each \u0000 escape is written as C0 80 and each lone
 * surrogate escape as its three bytes, as this parser reads its own
 * bodies, so that cJSON keeps every string whole instead of cutting it
 * at the NUL; NULL when the body has neither (read it as it is).  A
 * string read from the copy held U+0000 when feed_has_nul() says so.
 */
char		*feed_json_patch(const char *buf, size_t len,
		    size_t *newlen);
int		 feed_has_nul(const char *);

/* Apply a parsed message to the table (full replaces, removed drops). */
void		 feed_apply(const struct feed_msg *, struct unit_table *);

#endif
