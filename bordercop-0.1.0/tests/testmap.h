/*
 * testmap.h: the shipped map, loaded once per test program.
 *
 * For cmocka group set-up: cmocka_run_group_tests(tests, testmap_setup,
 * testmap_teardown); the tests read the map from `map`.
 */
#ifndef BORDERCOP_TESTMAP_H
#define BORDERCOP_TESTMAP_H

#include <stdio.h>

#include "border.h"
#include "map.h"

static struct border_map *map;

static int
testmap_setup(void **state)
{
	char	why[512];

	(void)state;
	if (map_load_file(SRCDIR "/maps/us-mx.geojson", &map, why,
	    sizeof why) != BC_OK) {
		fprintf(stderr, "%s\n", why);
		return (-1);
	}
	return (0);
}

static int
testmap_teardown(void **state)
{
	(void)state;
	border_free(map);
	return (0);
}

#endif
