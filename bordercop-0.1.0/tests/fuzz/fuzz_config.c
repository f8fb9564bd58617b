/*
 * fuzz_config.c: libFuzzer harness for the config file parser.
 *
 * Each input is a config file's text (cut at its first NUL, as
 * conffile_load() refuses a file holding one) parsed by conffile_parse()
 * into fresh options.  It aborts when a refusal's message is not clean
 * and one line, or when an accepted file left an option the table does
 * not allow in a file; the sanitizers catch the rest.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conffile.h"
#include "options.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_config: %s: \"%s\"\n", what, s);
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct options	 o;
	char		*text, why[4096];
	int		 i;

	if (size > CONFFILE_MAX_BYTES)
		return (0);
	text = malloc(size + 1);
	if (text == NULL)
		return (0);
	memcpy(text, data, size);
	text[size] = '\0';

	options_init(&o);
	why[0] = '\0';
	if (conffile_parse(text, "fuzz", &o, why, sizeof why) != BC_OK) {
		if (strncmp(why, "fuzz:", 5) != 0)
			die("message does not name the file", why);
		if (!str_is_clean(why))
			die("message not clean", why);
	} else {
		for (i = 0; i < OPT_COUNT; i++) {
			if (o.v[i].origin == ORIGIN_NONE)
				continue;
			if (!option_table[i].in_file)
				die("set an option not allowed in a file",
				    option_table[i].name);
			if (option_table[i].type == OPTT_NUM &&
			    (!isfinite(o.v[i].num) ||
			    o.v[i].num < option_table[i].min ||
			    o.v[i].num > option_table[i].max))
				die("number out of range",
				    option_table[i].name);
			if (o.v[i].str != NULL && !str_is_clean(o.v[i].str))
				die("value not clean", o.v[i].str);
		}
	}
	options_done(&o);
	free(text);
	return (0);
}
