/*
 * fuzz_map.c: libFuzzer harness for the border map loader.
 *
 * Each input is loaded with map_load_buffer(); a map that loads is then
 * used as the program uses it (locate, footprint, sector and place
 * look-ups at its vertices and around them), and the harness aborts when
 * a loaded map breaks what the loader promises: at least two vertices,
 * increasing chainage, each side tiled by its sectors, clean names.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined.
 */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "border.h"
#include "map.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz_map: %s: \"%s\"\n", what, s);
	abort();
}

/* The loaded map against the loader's promises. */
static void
check_map(const struct border_map *m)
{
	const struct sector	*sec;
	size_t			 i, n;
	int			 side;

	if (m->nverts < 2)
		die("vertices", m->name);
	for (i = 1; i < m->nverts; i++)
		if (!(m->chain_km[i] > m->chain_km[i - 1]))
			die("chainage not increasing", m->name);
	if (m->name != NULL)
		if (!str_is_clean(m->name))
			die("map name", m->name);
	for (side = 0; side < NSIDES; side++) {
		if (!str_is_clean(m->sides[side].code))
			die("side code", m->sides[side].code);
		sec = m->sectors[side];
		n = m->nsectors[side];
		if (n == 0)
			die("no sectors", m->sides[side].code);
		if (sec[0].start_km != 0 || sec[n - 1].end_km != m->length_km)
			die("sectors do not reach the ends", sec[0].code);
		for (i = 0; i < n; i++) {
			if (!str_is_clean(sec[i].code) ||
			    !str_is_clean(sec[i].name))
				die("sector text", sec[i].code);
			if (!(sec[i].end_km > sec[i].start_km))
				die("sector length", sec[i].code);
			if (i > 0 && sec[i].start_km != sec[i - 1].end_km)
				die("sectors do not tile", sec[i].code);
		}
	}
	for (i = 0; i < m->nplaces; i++)
		if (!str_is_clean(m->places[i].name))
			die("place name", m->places[i].name);
}

/* Use the map at and around a vertex. */
static void
probe(const struct border_map *m, double lat, double lon)
{
	struct placement	 pl;
	struct interval		*fp;
	size_t			 n, i;
	double			 dist, azi;
	char			 phrase[96];
	int			 side;

	border_locate(m, lat, lon, &pl);
	if (!(pl.s_km >= 0 && pl.s_km <= m->length_km + 1e-6) ||
	    !isfinite(pl.d_km))
		die("locate out of the line", m->name);
	for (side = 0; side < NSIDES; side++) {
		if (border_sector_at(m, side, pl.s_km) < 0)
			die("no sector at a chainage", m->name);
		border_near_phrase(m, lat, lon, side, phrase, sizeof phrase);
		if (!str_is_clean(phrase))
			die("phrase", phrase);
	}
	(void)border_nearest_place(m, lat, lon, &dist, &azi);
	n = border_footprint(m, lat, lon, 5.0, &fp);
	for (i = 0; i < n; i++)
		if (!(fp[i].a <= fp[i].b) || (i > 0 && fp[i].a < fp[i - 1].b))
			die("footprint order", m->name);
	free(fp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct border_map	*m;
	char			 why[512];
	size_t			 i, step;

	if (map_load_buffer((const char *)data, size, "fuzz", &m, why,
	    sizeof why) != BC_OK) {
		if (m != NULL)
			die("refused but returned a map", why);
		return (0);
	}
	check_map(m);
	step = m->nverts / 8 + 1;
	for (i = 0; i < m->nverts; i += step) {
		probe(m, m->lat[i], m->lon[i]);
		probe(m, fmax(-90, fmin(90, m->lat[i] + 0.05)), m->lon[i]);
		probe(m, fmax(-90, fmin(90, m->lat[i] - 0.05)), m->lon[i]);
	}
	border_free(m);
	return (0);
}
