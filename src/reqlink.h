/*
 * reqlink.h: requests for a running bordercop: the book (reqbook.h),
 * its carrier (reqpoll.h), the queue file under the state directory and
 * the voice lines, set up once from the options and stepped by each
 * sink (the terminal, --watch, --report) beside the engine.
 *
 * The queue lives in $XDG_STATE_HOME/bordercop/requests.queue
 * ($HOME/.local/state/bordercop/ when the variable is unset), created
 * mode 0700.  Voice lines for escalations come from "SECTOR=NUMBER"
 * pairs, comma-separated (the voice option), else from the map's sector
 * property "voice".
 */
#ifndef BORDERCOP_REQLINK_H
#define BORDERCOP_REQLINK_H

#include <stddef.h>

#include "border.h"
#include "events.h"
#include "picture.h"
#include "reqbook.h"
#include "reqpoll.h"
#include "status.h"

#define REQLINK_VOICES_MAX	64

struct reqlink_config {
	const struct border_map	*map;		/* borrowed */
	const char		*base_url;
	const char		*token;
	const char		*cacert;
	const char		*side;		/* side code, or NULL */
	double			 interval_s;	/* 0: 10 */
	double			 hold_s;	/* 0: REQBOOK_HOLD_S */
	double			 escalate_s;	/* 0: REQBOOK_ESCALATE_S */
	const char		*voice;		/* "TCA=+1 520...,SO=..." */
	const char		*state_dir;	/* NULL: the XDG one */
};

struct reqlink_voice {
	char	sector[REQ_SECTOR_MAX + 1];
	char	number[64];
};

struct reqlink {
	const struct border_map	*map;
	struct reqbook		 book;
	struct reqpoll		*rp;
	struct reqlink_voice	 voices[REQLINK_VOICES_MAX];
	size_t			 nvoices;
};

/* Parse "SECTOR=NUMBER,..." (for the option's validation too). */
enum bc_status	 reqlink_parse_voices(const char *, struct reqlink_voice *,
		    size_t max, size_t *n, char *why, size_t whylen);
/* The state directory (created by the first write of the queue); NULL
   with why set. */
const char	*reqlink_state_dir(char *buf, size_t len, char *why,
		    size_t whylen);

enum bc_status	 reqlink_new(const struct reqlink_config *,
		    struct reqlink **, char *why, size_t whylen);
void		 reqlink_free(struct reqlink *);
int		 reqlink_timeout_ms(struct reqlink *, double now);
/*
 * One step at local time now with the engine's picture (NULL: none yet)
 * at picture clock pnow; events go to log.  Returns 1 when something
 * changed (a view or a --watch block is due).
 */
int		 reqlink_step(struct reqlink *, double now,
		    const struct picture *, double pnow, struct event_log *);
/* The voice line of a sector, or NULL. */
const char	*reqlink_voice(const struct reqlink *, const char *sector);

#endif
