/*
 * ui_term.c: whether the terminal can show the picture at all.
 *
 * A file of its own because <term.h> defines a macro for every terminfo
 * capability (bell, lines, columns, ...) that would clash with names in
 * the views.  It looks the terminal up with setupterm() on a TERMINAL of
 * its own and frees it again: a failed newterm() would leave a screen
 * behind, and the check runs before the real one.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "ui.h"		/* before <term.h>: its macros hit ui.h's names */

#include <curses.h>
#include <term.h>

enum bc_status
ui_term_check(const char *term, char *why, size_t whylen)
{
	TERMINAL	*saved = cur_term, *mine;
	const char	*cup;
	int		 err = 0, ok;

	if (term == NULL)
		term = getenv("TERM");
	if (term == NULL || *term == '\0') {
		bc_why(why, whylen, "TERM is not set: the full-screen picture "
		    "needs to know the terminal (or use --report or --watch)");
		return (BC_USAGE);
	}
	if (setupterm((char *)(uintptr_t)term, STDOUT_FILENO, &err) != OK) {
		set_curterm(saved);
		bc_why(why, whylen, "TERM=%s: %s (or use --report or --watch)",
		    term, err == 1 ? "a hard-copy terminal" : err == -1 ?
		    "no terminfo database" :
		    "not a terminal known to terminfo");
		return (BC_USAGE);
	}
	mine = cur_term;
	cup = tigetstr((char *)(uintptr_t)"cup");
	ok = cup != NULL && cup != (char *)-1;
	set_curterm(saved);
	del_curterm(mine);
	if (!ok) {
		bc_why(why, whylen, "TERM=%s: the terminal cannot move the "
		    "cursor, so it cannot show the picture (use --report or "
		    "--watch)", term);
		return (BC_USAGE);
	}
	return (BC_OK);
}
