/*
 * link.c: names of the link states, from the table in link.h.
 */
#include "config.h"

#include "link.h"

const char *const link_state_names[LINK_STATE_COUNT] = {
#define X(id, text) text,
	LINK_STATES(X)
#undef X
};
