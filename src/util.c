/*
 * util.c: helpers shared by every layer.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "xmalloc.h"

/* Read a whole file into a NUL-terminated buffer, refusing more than max
   bytes so that a hostile file cannot exhaust memory. */
enum bc_status
file_read_all(const char *path, size_t max, char **buf, size_t *len,
    char *why, size_t whylen)
{
	char	*p;
	size_t	 cap, n;
	ssize_t	 r;
	int	 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		bc_why(why, whylen, "%s: %s", path, strerror(errno));
		return (BC_IO);
	}
	cap = 65536;
	p = xmalloc(cap + 1);
	n = 0;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(p);
				close(fd);
				bc_why(why, whylen, "%s: larger than %zu bytes",
				    path, max);
				return (BC_TOOBIG);
			}
			cap *= 2;
			p = xreallocarray(p, cap + 1, 1);
		}
		r = read(fd, p + n, cap - n);
		if (r == -1) {
			if (errno == EINTR)
				continue;
			bc_why(why, whylen, "%s: %s", path, strerror(errno));
			free(p);
			close(fd);
			return (BC_IO);
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > max) {
		free(p);
		bc_why(why, whylen, "%s: larger than %zu bytes", path, max);
		return (BC_TOOBIG);
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return (BC_OK);
}
