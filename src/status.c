/*
 * status.c: texts of the error classes and the why-buffer helper.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "status.h"

static const char *const bc_status_text[] = {
#define X(name, text) text,
	BC_STATUSES(X)
#undef X
};

const char *
bc_strerror(enum bc_status st)
{
	if ((unsigned)st >= BC_STATUS_COUNT)
		return ("unknown error");
	return (bc_status_text[st]);
}

/* Fill a caller's why buffer; a NULL or empty buffer is allowed. */
void
bc_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list	ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}
