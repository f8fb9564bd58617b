/*
 * report.h: the headless coverage report, as text or JSON.
 *
 * Both read a built picture and never change it.  The text report fits
 * 80 columns; the JSON report's field names are a contract for scripts
 * (see bordercop(1)): border_km, units[], sectors[], gaps[], overlaps[],
 * rejected[], with per-side sector keys made from the map's side codes
 * ("us_sector", "mx_sector" on the shipped map).  Both write to a stream
 * and report a write error as BC_IO.
 */
#ifndef BORDERCOP_REPORT_H
#define BORDERCOP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "feed.h"
#include "link.h"
#include "picture.h"
#include "reqbook.h"
#include "status.h"

#define REPORT_WIDTH	80	/* columns of the text report */

/* What the report says about where its data and clock came from. */
struct report_meta {
	const char		*program;	/* "bordercop 0.1.0" */
	const char		*feed;		/* file or URL, or NULL */
	double			 server_time;	/* epoch s, NAN if absent */
	const char		*clock_source;	/* "--now", "server_time",
						   "local clock" */
	const struct rejected	*rejected;	/* borrowed */
	size_t			 nrejected;
	const struct link_status *link;		/* API only, else NULL */
	double			 transfer_s;	/* API: the poll's time */
	const struct reqbook	*requests;	/* API v1.1, else NULL */
	const char		*requests_error; /* the last failure, or "" */
	int			 ascii;		/* text fitted for an ASCII
						   sink (a locale without
						   UTF-8) */
};

enum bc_status	 report_text(FILE *, const struct picture *,
		    const struct report_meta *);
enum bc_status	 report_json(FILE *, const struct picture *,
		    const struct report_meta *);

/* Name of a gap policy for the map: "either", "both" or the lower-case
   side code ("us", "mx"); writes into buf. */
const char	*report_policy_name(const struct border_map *,
		    enum gap_policy, char *buf, size_t len);
/* The policy named by name (case-insensitive), or -1. */
int		 report_policy_parse(const struct border_map *,
		    const char *name);

#endif
