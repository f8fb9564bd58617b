/*
 * journal.h: the append-only record of what the engine was fed.
 *
 * The journal records the engine's input, not its output: the unit table
 * as received (whole at a keyframe, only what changed in a delta), with
 * the picture clock of each change, the link's state changes, and beside
 * them the events, alerts and acknowledgements the engine raised and the
 * requests between the sides as this client knew them.  Replay
 * and the handover report feed the same reports back through the same
 * engine and so recompute the same picture.
 *
 * Files.  One file per UTC day of the picture clock, YYYY-MM-DD.bcj, in
 * $XDG_STATE_HOME/bordercop/ (~/.local/state/bordercop/) or the directory
 * given; a file starts with a 16-byte magic line.  Each record is
 *
 *	u32 magic  u32 stored-len  u32 raw-len  u8 type  u8 flags  u16 0
 *	f64 time   stored-len payload bytes     u32 CRC-32 of all before
 *
 * (little-endian), the payload zlib-compressed when that is smaller
 * (flags bit 0).  A file's first table record is a keyframe, so every
 * file and every keyframe can be read alone.
 *
 * Crash safety.  A record is built whole in memory and written with one
 * write(2) at the end of the file (O_APPEND), then fdatasync(2): a crash
 * or kill -9 loses at most the record being written, a power cut at most
 * that one too.  A reader takes a record with a bad length or CRC as
 * never written: it resynchronises on the next magic, and says so once
 * per file.  The writer, opening a file to append, cuts a torn tail back
 * to the end of the last good record, and says so once.
 *
 * Lock.  The writer holds an exclusive flock(2) on DIR/lock (with its pid
 * in it) for its whole life; a second writer on the same directory is
 * refused with an error naming the holder's pid.  Readers take no lock.
 *
 * Retention.  At open and at each new day, whole day files that ended
 * more than keep_days days before the clock are deleted.
 *
 * Times are epoch seconds (UTC), the picture clock.
 */
#ifndef BORDERCOP_JOURNAL_H
#define BORDERCOP_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"
#include "link.h"
#include "request.h"
#include "status.h"
#include "unit.h"

struct reqbook;

#define JOURNAL_KEEP_DAYS	14	/* default --journal-keep */
#define JOURNAL_KEY_EVERY_S	600	/* picture-clock s between keyframes */
#define JOURNAL_RECORD_MAX	(64u * 1024 * 1024)	/* raw payload bytes */

/* Record types; the numbers are on disk and never change. */
#define JOURNAL_TYPES(X)					\
	X(SESSION,	1,	"session")	/* a writer started */	\
	X(END,		2,	"end")		/* it closed cleanly */	\
	X(KEY,		3,	"keyframe")	/* the whole table */	\
	X(DELTA,	4,	"delta")	/* changed, removed */	\
	X(LINK,		5,	"link")		/* link state change */	\
	X(EVENT,	6,	"event")				\
	X(ALERT,	7,	"alert")				\
	X(ACK,		8,	"ack")					\
	X(REQUEST,	9,	"request")	/* a request's state */

enum journal_type {
	JOURNAL_NONE = 0,
#define X(id, num, name) JOURNAL_##id = num,
	JOURNAL_TYPES(X)
#undef X
	JOURNAL_TYPE_MAX
};

const char	*journal_type_name(enum journal_type);

/* A warning (a torn or corrupt record skipped): one line, no newline. */
typedef void	 journal_warn_fn(void *arg, const char *msg);

struct journal_config {
	const char	*dir;		/* NULL: the state directory */
	double		 keep_days;	/* JOURNAL_KEEP_DAYS; 0 keeps today */
	double		 key_every_s;	/* JOURNAL_KEY_EVERY_S */
	int		 nosync;	/* skip fdatasync (tests, benchmarks) */
	journal_warn_fn	*warn;		/* NULL: to stderr */
	void		*warn_arg;
};

struct journal;

void		 journal_config_defaults(struct journal_config *);
/* The default directory ($XDG_STATE_HOME/bordercop or
   $HOME/.local/state/bordercop) into buf, or NULL when neither is set. */
const char	*journal_default_dir(char *buf, size_t len);

/*
 * Open (creating the directory) and lock a journal for writing; whole old
 * day files go once the first record brings the picture clock.  BC_IO
 * with why on failure, BC_USAGE when another process holds the lock.
 */
enum bc_status	 journal_open(const struct journal_config *,
		    struct journal **, char *why, size_t whylen);
/* Write the END record at t (NAN: none) and release the lock. */
void		 journal_close(struct journal *, double t);
const char	*journal_dir(const struct journal *);
/* Bytes written since open, records written since open. */
uint64_t	 journal_bytes(const struct journal *);
unsigned long	 journal_records(const struct journal *);
/* The time of this writer's first record (NAN: none yet). */
double		 journal_session_start(const struct journal *);
/* The latest time recorded since open (NAN: none). */
double		 journal_last_time(const struct journal *);

/*
 * Record the unit table as of picture clock t: a keyframe when the
 * last one is key_every_s old (or none in this file), else the reports
 * that differ from the last recorded ones and the ids that left.  Nothing
 * is written when nothing changed.
 */
enum bc_status	 journal_table(struct journal *, double t,
		    const struct unit_table *, char *why, size_t whylen);
/* Record the link's state (written only when it changed). */
enum bc_status	 journal_link(struct journal *, double t,
		    const struct link_status *, char *why, size_t whylen);
enum bc_status	 journal_event(struct journal *, const struct event *,
		    char *why, size_t whylen);
/* An alert raised (id: the caller's number for it) and its ack. */
enum bc_status	 journal_alert(struct journal *, double t, unsigned id,
		    const char *text, char *why, size_t whylen);
enum bc_status	 journal_ack(struct journal *, double t, unsigned id,
		    char *why, size_t whylen);
/*
 * Record the requests of a book (reqbook.h) as this client knows them
 * at picture clock t: each request whose state, as the book holds it,
 * differs from the last one recorded gets a REQUEST record; a request
 * still open (or queued) is recorded again, marked JREQ_RESTATED, in
 * each new day file, so that a day file read alone knows every request
 * open in it.  A new writer records each request it knows once.  Nothing is written
 * before the first table record (the clock may be the local one until
 * then).  Like journal_step(), it never stops the loop: an error stops
 * the journal, and journal_error() says why.  j or b may be NULL.
 */
void		 journal_requests(struct journal *, double t,
		    const struct reqbook *);

/*
 * The engine's sink, called after each step: from the first message
 * applied to the table on (before it the clock may be the local one),
 * records the link when it
 * changed, the table when it changed (its generation moved; NULL: none),
 * the events added to log and the alerts raised and acknowledged (by
 * the counts of aq) since the last call.  j may be NULL.  It never stops
 * the loop: the first error stops the journal, and journal_error() then
 * says why.  Alerts are numbered from 1 in the order raised; the queue
 * is acknowledged oldest first, so the n-th ack is of alert n.
 */
void		 journal_step(struct journal *, double t,
		    const struct unit_table *, const struct link_status *,
		    const struct event_log *, const struct alert_queue *);
const char	*journal_error(const struct journal *);
/* The alerts of aq so far are accounted for, their acknowledgements not
   recorded (--watch prints an alert, which is the end of it). */
void		 journal_alerts_seen(struct journal *,
		    const struct alert_queue *);
/* One raw record (tests); the payload is compressed when that helps. */
enum bc_status	 journal_append(struct journal *, enum journal_type,
		    double t, const void *payload, size_t len, char *why,
		    size_t whylen);

/*
 * Reading.  A reader holds every good record of the day files that meet
 * [from, to] (NAN: unbounded), in time order of the files, with its raw
 * (decompressed) payload.
 */
struct journal_rec {
	enum journal_type	 type;
	double			 time;
	unsigned char		*p;		/* raw payload, owned */
	size_t			 len;
};

struct journal_reader {
	struct journal_rec	*v;
	size_t			 n;
	size_t			 cap;
	unsigned		 warnings;	/* files with bad bytes */
	size_t			 files;		/* day files read */
};

enum bc_status	 journal_read(const char *dir, double from, double to,
		    journal_warn_fn *, void *warn_arg,
		    struct journal_reader *, char *why, size_t whylen);
/* Read one file (tests, benchmarks). */
enum bc_status	 journal_read_file(const char *path,
		    journal_warn_fn *, void *warn_arg,
		    struct journal_reader *, char *why, size_t whylen);
void		 journal_reader_done(struct journal_reader *);
/* The start (epoch s) of the newest day file in dir, or NAN: so that a
   reader without a window reads a day, not every day kept. */
double		 journal_newest_day(const char *dir);
/* The index of the last keyframe at or before t, or n when none. */
size_t		 journal_key_before(const struct journal_reader *, double t);

/*
 * Decoding the table records: a decoder follows the writer's numbering
 * of ids from a keyframe on, and applies each record to a unit table (a
 * keyframe replaces it).  A delta before any keyframe is skipped
 * (BC_FORMAT).
 */
struct journal_decoder {
	struct report	*refs;
	size_t		 nrefs;
	size_t		 cap;
	int		 keyed;		/* a keyframe was decoded */
};

void		 journal_decoder_init(struct journal_decoder *);
void		 journal_decoder_done(struct journal_decoder *);
enum bc_status	 journal_apply(struct journal_decoder *,
		    const struct journal_rec *, struct unit_table *,
		    char *why, size_t whylen);

/* The payloads of the other records. */
struct journal_link_rec {
	enum link_state	 state;
	char		 error[160];
};
struct journal_alert_rec {
	unsigned	 id;
	char		 text[160];
};

/*
 * A REQUEST record: a request as the client knew it at the record's time
 * (this change).  Where it stands for the client: on the server, queued
 * (composed, not yet taken), its answer queued, or refused by the
 * server (error says why).  Strings are clean; text at most
 * REQ_TEXT_MAX bytes.
 */
#define JOURNAL_REQ_LOCALS(X)				\
	X(SERVER,	"server")			\
	X(QUEUED,	"queued")			\
	X(ANSWER,	"answer-queued")		\
	X(REFUSED,	"refused")

enum journal_req_local {
#define X(id, name) JREQ_##id,
	JOURNAL_REQ_LOCALS(X)
#undef X
	JREQ_LOCAL_COUNT
};

/* Direction: from this client's side (ours) or to it (theirs). */
enum journal_req_dir { JREQ_OURS, JREQ_THEIRS, JREQ_DIR_UNKNOWN };

#define JREQ_ESCALATED	0x01	/* an unanswered cover: use the phone */
#define JREQ_ACKED	0x02	/* ... and the officer acknowledged it */
#define JREQ_RESTATED	0x04	/* the same as recorded before: a new
				   day file or writer states it again */

struct journal_req_rec {
	double			 time;		/* this change, epoch s */
	char			 id[REQ_ID_MAX + 1];
	enum journal_req_dir	 dir;
	int			 sender;	/* side index, -1 unknown */
	int			 addressee;
	enum req_kind		 kind;
	enum req_state		 state;		/* as the server said */
	enum journal_req_local	 local;
	enum req_state		 answer;	/* the queued answer */
	unsigned		 flags;		/* JREQ_* */
	double			 a_km, b_km;
	double			 counter_a_km;	/* NAN: none */
	double			 counter_b_km;
	char			 gap[REQ_GAP_MAX + 1];
	char			 sector[REQ_SECTOR_MAX + 1];
	char			 text[REQ_TEXT_MAX + 1];
	char			 reason[REQ_REASON_MAX + 1];
	char			 error[160];
	double			 created;	/* server time of sent, NAN */
	double			 expires;
	struct req_stamp	 stamps[REQ_STATE_COUNT];
	uint64_t		 seq;
};

extern const char *const journal_req_local_names[JREQ_LOCAL_COUNT];

/* What a reader shows as its state: "queued", "refused" or the
   server's state. */
const char	*journal_req_state_text(const struct journal_req_rec *);
/* Write one REQUEST record (journal_requests() writes them from a
   book; tests write them directly). */
enum bc_status	 journal_request(struct journal *, double t,
		    const struct journal_req_rec *, char *why, size_t whylen);

enum bc_status	 journal_decode_link(const struct journal_rec *,
		    struct journal_link_rec *);
enum bc_status	 journal_decode_event(const struct journal_rec *,
		    struct event *);
enum bc_status	 journal_decode_alert(const struct journal_rec *,
		    struct journal_alert_rec *);
/* BC_FORMAT when it does not decode (a newer version, or damage). */
enum bc_status	 journal_decode_request(const struct journal_rec *,
		    struct journal_req_rec *);

#endif
