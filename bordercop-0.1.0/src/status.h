/*
 * status.h: the one error idiom.
 *
 * Functions that can fail return an enum bc_status and write the detail
 * (file, feature, field, reason) into a caller's buffer: char *why, size_t
 * whylen.  The table is the single list of error classes; bc_strerror()
 * gives the class's short text.  Programs map classes to exit statuses.
 */
#ifndef BORDERCOP_STATUS_H
#define BORDERCOP_STATUS_H

#include <stddef.h>

#define BC_STATUSES(X)						\
	X(OK,		"success")				\
	X(IO,		"cannot read or write")			\
	X(TOOBIG,	"input too large")			\
	X(JSON,		"not valid JSON")			\
	X(FORMAT,	"not in the expected format")		\
	X(INVALID,	"invalid value")			\
	X(USAGE,	"bad command line")			\
	X(NET,		"network error")			\
	X(HTTP,		"HTTP error")				\
	X(AUTH,		"not authorized")			\
	X(TLS,		"TLS error")

enum bc_status {
#define X(name, text) BC_##name,
	BC_STATUSES(X)
#undef X
	BC_STATUS_COUNT
};

const char	*bc_strerror(enum bc_status);
void		 bc_why(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

#endif
