/*
 * live.h: the terminal COP's main loop.
 *
 * One wait point (source_wait on the terminal and the network), then, in
 * order: feed step, picture build, gap tracking, keys, clock tick, one
 * frame.  A failed step keeps the last good picture; its age shows.
 */
#ifndef BORDERCOP_LIVE_H
#define BORDERCOP_LIVE_H

#include <stddef.h>

#include "border.h"
#include "journal.h"
#include "picture.h"
#include "source.h"
#include "status.h"
#include "ui.h"

enum bc_status	 live_run(struct source *, const struct border_map *,
		    const struct picture_config *, const struct ui_options *,
		    struct journal *, char *why, size_t whylen);

#endif
