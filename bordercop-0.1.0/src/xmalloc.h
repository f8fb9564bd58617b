/*
 * xmalloc.h: allocation that never returns NULL.
 *
 * Running out of memory is not a condition bordercop can recover from in a
 * useful way, so every allocation goes through these and aborts with a
 * message on failure (as tmux and htop do).
 */
#ifndef BORDERCOP_XMALLOC_H
#define BORDERCOP_XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
