/*
 * conffile.h: bordercop's config file.
 *
 * The file is `key = value` lines, where key is the long name of an
 * option that the OPTIONS() table allows in the file; blank lines and
 * lines starting with '#' are ignored.  A value given on the command line
 * wins over the file.  An unknown key or a bad value is an error naming
 * file:line.  (Not "config.h": that name belongs to autoconf.)
 */
#ifndef BORDERCOP_CONFFILE_H
#define BORDERCOP_CONFFILE_H

#include <stddef.h>

#include "options.h"
#include "status.h"

#define CONFFILE_MAX_BYTES	(256u * 1024)

/* $XDG_CONFIG_HOME/bordercop/config, else ~/.config/bordercop/config;
   NULL when neither variable is set. */
const char	*conffile_default_path(char *buf, size_t len);
/* Read path into o.  A missing file is an error only when must_exist. */
enum bc_status	 conffile_load(const char *path, int must_exist,
		    struct options *o, char *why, size_t whylen);
/* Parse a file's text (name is used in messages). */
enum bc_status	 conffile_parse(const char *text, const char *name,
		    struct options *o, char *why, size_t whylen);

#endif
