/*
 * map.h: loading a border map from GeoJSON (see bordercop-map(5)).
 *
 * Loading validates every feature and names the file, the feature and the
 * field on bad input.  Sector boundary points and places are located on
 * the line at load time, so the line can be refined without touching any
 * chainage.
 */
#ifndef BORDERCOP_MAP_H
#define BORDERCOP_MAP_H

#include <stddef.h>

#include "border.h"
#include "status.h"

#define MAP_MAX_BYTES	(64u * 1024 * 1024)
#define MAP_DEFAULT_FILE "us-mx.geojson"

enum bc_status	 map_load_file(const char *path, struct border_map **out,
		    char *why, size_t whylen);
enum bc_status	 map_load_buffer(const char *buf, size_t len,
		    const char *name, struct border_map **out, char *why,
		    size_t whylen);
/* The map used when none is given: $BORDERCOP_MAP, the package data
   directory, or the source tree's maps/ next to an uninstalled binary. */
const char	*map_default_path(char *buf, size_t len);

#endif
