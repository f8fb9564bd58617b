/*
 * status.c: texts of the error classes and the why-buffer helper.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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

/*
 * Fill a caller's why buffer; a NULL or empty buffer is allowed.  A cut
 * message never ends in part of a UTF-8 character, so that it stays
 * valid text wherever it is shown.
 */
void
bc_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list	ap;
	size_t	len, start, need;
	int	n;
	unsigned char c;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	n = vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n < whylen)
		return;

	/* Truncated: drop a trailing incomplete character. */
	len = strlen(why);
	start = len;
	while (start > 0 && ((unsigned char)why[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0)
		return;
	c = (unsigned char)why[start - 1];
	if (c < 0x80)
		return;
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (len - (start - 1) < need)
		why[start - 1] = '\0';
}
