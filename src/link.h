/*
 * link.h: the state of the feed link, as the report and the TUI show it.
 *
 * Filled by the feed source (API poller, file or demo); views only read.
 */
#ifndef BORDERCOP_LINK_H
#define BORDERCOP_LINK_H

#include <stdint.h>

#define LINK_STATES(X)			\
	X(OK,		"OK")		\
	X(SLOW,		"SLOW")		\
	X(DOWN,		"DOWN")		\
	X(WAIT,		"WAIT")		/* no poll has finished yet */

enum link_state {
#define X(id, text) LINK_##id,
	LINK_STATES(X)
#undef X
	LINK_STATE_COUNT
};

struct link_status {
	enum link_state	 state;
	int		 demo;			/* embedded demo feed */
	char		 source[128];		/* "DEMO", API host, file */
	double		 last_good;		/* epoch s (local), 0 never */
	double		 last_attempt;		/* epoch s (local) */
	double		 next_poll;		/* epoch s (local) */
	double		 server_skew_s;		/* server_time - local */
	unsigned	 failures;		/* consecutive */
	unsigned long	 polls;			/* finished polls */
	unsigned long	 not_modified;		/* 304 answers */
	uint64_t	 bytes_rx;		/* body bytes on the wire */
	unsigned long	 rejected;		/* features rejected so far */
	/* The last message read: how many of its features were rejected,
	   whether that was all of a full answer (the picture emptied for
	   it), and the first reason ("#3 USBP-1: properties.time: ..."). */
	unsigned long	 last_rejected;
	int		 all_rejected;
	char		 reject_note[160];
	char		 error[160];		/* last failure, clean */
	/* A replay: the replayed time (epoch s, the picture clock shown),
	   with the banner ("REPLAY 14:05:30Z paused") in source; 0 when
	   the source is not a replay. */
	double		 replay_at;
};

extern const char *const link_state_names[LINK_STATE_COUNT];

#endif
