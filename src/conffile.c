/*
 * conffile.c: reading `key = value` settings into the options.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conffile.h"
#include "util.h"
#include "xmalloc.h"

const char *
conffile_default_path(char *buf, size_t len)
{
	const char	*xdg, *home;
	int		 n;

	xdg = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	/* The XDG spec says a relative XDG_CONFIG_HOME is to be ignored. */
	if (xdg != NULL && xdg[0] == '/')
		n = snprintf(buf, len, "%s/bordercop/config", xdg);
	else if (home != NULL && home[0] != '\0')
		n = snprintf(buf, len, "%s/.config/bordercop/config", home);
	else
		return (NULL);
	if (n < 0 || (size_t)n >= len)
		return (NULL);
	return (buf);
}

static char *
conffile_trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return (s);
}

enum bc_status
conffile_parse(const char *text, const char *name, struct options *o,
    char *why, size_t whylen)
{
	char		*copy, *line, *next, *eq, *key, *value, *p, msg[256];
	size_t		 lineno = 0;
	enum option_id	 id;
	enum bc_status	 st = BC_OK;

	copy = xstrdup(text);
	line = copy;
	/* A byte order mark, as some editors write: not part of a key. */
	if (strncmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	for (; line != NULL && st == BC_OK; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		line = conffile_trim(line);
		if (*line == '\0' || *line == '#')
			continue;
		for (p = line; *p != '\0'; p++)
			if (*p == '\t')
				*p = ' ';	/* blanks, as spaces are */
		if (!str_is_clean(line)) {
			bc_why(why, whylen, "%s:%zu: control characters or "
			    "invalid UTF-8", name, lineno);
			st = BC_INVALID;
			break;
		}
		if ((eq = strchr(line, '=')) == NULL) {
			bc_why(why, whylen, "%s:%zu: expected 'key = value'",
			    name, lineno);
			st = BC_INVALID;
			break;
		}
		*eq = '\0';
		key = conffile_trim(line);
		value = conffile_trim(eq + 1);
		id = options_find(key);
		if (id == OPT_COUNT || !option_table[id].in_file) {
			bc_why(why, whylen, "%s:%zu: unknown key '%s'", name,
			    lineno, key);
			st = BC_INVALID;
			break;
		}
		if (options_set(o, id, value, ORIGIN_FILE, msg,
		    sizeof msg) != BC_OK) {
			bc_why(why, whylen, "%s:%zu: %s", name, lineno, msg);
			st = BC_INVALID;
		} else if (o->v[id].origin == ORIGIN_FILE)
			o->v[id].line = (unsigned)lineno;
	}
	free(copy);
	return (st);
}

enum bc_status
conffile_load(const char *path, int must_exist, struct options *o,
    char *why, size_t whylen)
{
	struct stat	 sb;
	char		*buf;
	size_t		 len;
	enum bc_status	 st;

	if (!must_exist && stat(path, &sb) != 0 && errno == ENOENT)
		return (BC_OK);
	st = file_read_all_st(path, CONFFILE_MAX_BYTES, &buf, &len, &sb, why,
	    whylen);
	if (st != BC_OK)
		return (st);
	/* It names the API and the token file: a file others can write
	   could send the token elsewhere (ssh refuses such files too). */
	if ((sb.st_mode & (S_IWGRP | S_IWOTH)) != 0 ||
	    (sb.st_uid != geteuid() && sb.st_uid != 0)) {
		if ((sb.st_mode & (S_IWGRP | S_IWOTH)) != 0)
			bc_why(why, whylen, "%s: writable by group or others "
			    "(mode %03o); chmod go-w it", path,
			    (unsigned)(sb.st_mode & 0777));
		else
			bc_why(why, whylen, "%s: owned by another user (uid "
			    "%u)", path, (unsigned)sb.st_uid);
		free(buf);
		return (BC_AUTH);
	}
	if (strlen(buf) != len) {
		bc_why(why, whylen, "%s: contains a NUL byte", path);
		free(buf);
		return (BC_INVALID);
	}
	st = conffile_parse(buf, path, o, why, whylen);
	free(buf);
	if (st == BC_OK) {
		free(o->config_path);
		o->config_path = xstrdup(path);
	}
	return (st);
}
