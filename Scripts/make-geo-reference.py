#!/usr/bin/env python3
"""Generate the reference values ConvoyGeo's tests compare against, from the reference tools.

Writes Tests/ConvoyGeoTests/GeoReferenceData.swift (a Swift table; the tests need no fixture
files and no image decoder). Re-run after changing a case; commit the script and its output.

Reference tools (none of them is the code under test):
  * GeographicLib's Python port (`pip install geographiclib`, Karney's reference implementation)
    for geodesic distances/azimuths, including the numbered GeodSolve regression cases from
    GeographicLib's own test suite (antipodal, near-pole, short lines).
  * GDAL's command-line tools (gdal_create, gdal_translate, gdalinfo -json; gdal-bin 3.6) for
    geotransforms and CRSs of small generated GeoTIFFs and world-file images. The raw GeoTIFF
    tags are read back with a small TIFF directory parser below, so the Swift tests can feed
    `GeoTIFFTags` exactly what a TIFF decoder would.
  * PROJ's cs2cs (proj-bin) for map -> longitude/latitude of image corners, and closed-form
    spherical Mercator formulas for the Web Mercator ground-sample-distance case.

Usage: python3 Scripts/make-geo-reference.py
"""
import json
import math
import os
import struct
import subprocess
import tempfile

from geographiclib.geodesic import Geodesic

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT = os.path.join(os.path.dirname(HERE), "Tests", "ConvoyGeoTests", "GeoReferenceData.swift")
WGS84 = Geodesic.WGS84

# (name, lat1, lon1, lat2, lon2). Named GeodSolveN cases are the inputs of GeographicLib's
# regression tests of the same number (geodtest / CMake GeodSolve tests).
INVERSE_CASES = [
    ("GeodSolve0 JFK to CDG", 40.6, -73.8, 49.01666667, 2.55),
    ("GeodSolve2 nearly antipodal, 0.07476", 0.07476, 0, -0.07476, 180),
    ("GeodSolve2 nearly antipodal, 0.1", 0.1, 0, -0.1, 180),
    ("GeodSolve4 short line bug (7 cm)", 36.493349428792, 0, 36.49334942879201, .0000008),
    ("GeodSolve6 near-pole antipodal (volatile sbet12a)", 88.202499451857, 0, -88.202499451857, 179.981022032992859592),
    ("GeodSolve7 near-pole antipodal", 89.262080389218, 0, -89.262080389218, 179.992207982775375662),
    ("GeodSolve8 near-pole antipodal", 89.333123580033, 0, -89.333123580032997687, 179.99295812360148422),
    ("GeodSolve9 nearly antipodal (volatile x)", 56.320923501171, 0, -56.320923501171, 179.664747671772880215),
    ("GeodSolve10 nearly antipodal (adjust tol1_)", 52.784459512564, 0, -52.784459512563990912, 179.634407464943777557),
    ("GeodSolve11 nearly antipodal (bet2 = -bet1)", 48.522876735459, 0, -48.522876735458995, 179.599720456223079643),
    ("GeodSolve33 equatorial, 179 deg", 0, 0, 0, 179),
    ("GeodSolve33 equatorial, 179.5 deg", 0, 0, 0, 179.5),
    ("GeodSolve33 equatorial antipodes", 0, 0, 0, 180),
    ("GeodSolve33 antipodal, 1 deg N", 0, 0, 1, 180),
    ("GeodSolve59 antipodal with tiny lon1", 5, 0.00000000000001, 10, 180),
    ("pole to pole", 90, 0, -90, 0),
    ("north pole to equator", 90, 0, 0, 45),
    ("coincident points", 50.45466, 30.5238, 50.45466, 30.5238),
    ("Kyiv to Ivankiv (GeoNames)", 50.45466, 30.5238, 50.93953, 29.90205),
    ("Ivankiv to Kyiv (GeoNames)", 50.93953, 29.90205, 50.45466, 30.5238),
    ("Hostomel to Bucha (GeoNames)", 50.56841, 30.2651, 50.54741, 30.20879),
    ("Kyiv to Kharkiv (GeoNames)", 50.45466, 30.5238, 49.98177, 36.25475),
    ("100 m convoy segment near Ivankiv", 50.9395, 29.9020, 50.94040, 29.9020),
    ("1 m east-west step at 50.45N", 50.45, 30.0, 50.45, 30.0000140),
    ("across the antimeridian", 64.8, 179.9, 64.9, -179.8),
    ("southern hemisphere, Mwanza to Dodoma", -2.5164, 32.9175, -6.1722, 35.7395),
]

# (name, lat1, lon1, azi1, s12); WGS84 unless an ellipsoid (a, f) is given.
DIRECT_CASES = [
    ("GeodSolve1 JFK, 53.5 deg, 5850 km", 40.63972222, -73.77888889, 53.5, 5850e3, None),
    ("GeodSolve5 to the north pole", 0.01777745589997, 30, 0, 10e6, None),
    ("GeodSolve28 a=6.4e6 f=0.1", 1, 2, 10, 5e6, (6.4e6, 0.1)),
    ("Kyiv, 1 km due west", 50.45466, 30.5238, -90, 1000, None),
    ("Ivankiv, 64 km on 160 deg", 50.93953, 29.90205, 160, 64000, None),
]

PATHS = [
    ("convoy polyline Ivankiv -> Hostomel via Borodianka (GeoNames points)",
     [(29.90205, 50.93953), (29.92329, 50.64306), (30.2651, 50.56841)]),
    ("zig-zag across the equator and antimeridian",
     [(179.5, -0.5), (-179.5, 0.5), (179.0, 1.0), (-179.0, -1.0)]),
]


def run(*args, **kwargs):
    return subprocess.run(list(args), check=True, capture_output=True, text=True, **kwargs).stdout


# ---------------------------------------------------------------- TIFF tag reader
TIFF_TYPES = {1: ("B", 1), 2: ("s", 1), 3: ("H", 2), 4: ("I", 4), 5: ("II", 8), 11: ("f", 4), 12: ("d", 8), 16: ("Q", 8)}


def read_geotiff_tags(path):
    """Return {tag: values} for the GeoTIFF tags of IFD 0 of a classic (non-Big) TIFF."""
    with open(path, "rb") as handle:
        data = handle.read()
    order = {b"II": "<", b"MM": ">"}[data[:2]]
    magic, ifd = struct.unpack(order + "HI", data[2:8])
    assert magic == 42, "BigTIFF not expected here"
    count = struct.unpack(order + "H", data[ifd:ifd + 2])[0]
    tags = {}
    for i in range(count):
        entry = data[ifd + 2 + 12 * i: ifd + 14 + 12 * i]
        tag, typ, n = struct.unpack(order + "HHI", entry[:8])
        if tag not in (33550, 33922, 34264, 34735, 34736, 34737):
            continue
        fmt, size = TIFF_TYPES[typ]
        nbytes = size * n
        raw = entry[8:8 + nbytes] if nbytes <= 4 else data[struct.unpack(order + "I", entry[8:12])[0]:][:nbytes]
        if typ == 2:
            tags[tag] = raw.decode("latin-1").rstrip("\0")
        else:
            tags[tag] = list(struct.unpack(order + fmt * n, raw))
    return tags


# ---------------------------------------------------------------- GDAL cases
def gdalinfo(path):
    return json.loads(run("gdalinfo", "-json", path))


def epsg_of(info):
    code = info.get("stac", {}).get("proj:epsg")
    return int(code) if code else None


def corners_lonlat(info):
    """Outer pixel corners (UL, UR, LR, LL) as [lon, lat], transformed by PROJ's cs2cs."""
    cc = info["cornerCoordinates"]
    points = [cc["upperLeft"], cc["upperRight"], cc["lowerRight"], cc["lowerLeft"]]
    wkt = info["coordinateSystem"]["wkt"]
    # GDAL's corner coordinates follow its data axis order (x = longitude/easting); cs2cs wants
    # the CRS's own axis order, which for EPSG:4326 is latitude first.
    if info["coordinateSystem"].get("dataAxisToSRSAxisMapping") == [2, 1]:
        points = [(y, x) for x, y in points]
    text = "\n".join(f"{x!r} {y!r}" for x, y in points) + "\n"
    out = run("cs2cs", "-f", "%.12f", wkt, "EPSG:4326", input=text)
    result = []
    for line in out.strip().splitlines():
        lat, lon = line.split()[:2]  # EPSG:4326 is latitude-first in cs2cs
        result.append([float(lon), float(lat)])
    return result


def make_geotiffs(directory):
    cases = []

    def create(name, srs, ullr, size=(64, 48), extra=()):
        path = os.path.join(directory, name + ".tif")
        run("gdal_create", "-of", "GTiff", "-outsize", str(size[0]), str(size[1]), "-bands", "1", "-ot", "Byte",
            "-a_srs", srs, "-a_ullr", *map(str, ullr), *extra, path)
        return path

    def translate(source, name, *options):
        path = os.path.join(directory, name + ".tif")
        run("gdal_translate", "-q", *options, source, path)
        return path

    def vrt(name, srs, geotransform, size=(40, 30), point=False):
        path = os.path.join(directory, name + ".vrt")
        metadata = '<Metadata><MDI key="AREA_OR_POINT">Point</MDI></Metadata>' if point else ""
        with open(path, "w") as handle:
            handle.write(f'<VRTDataset rasterXSize="{size[0]}" rasterYSize="{size[1]}">'
                         f'<SRS>{srs}</SRS><GeoTransform>{", ".join(map(repr, geotransform))}</GeoTransform>{metadata}'
                         '<VRTRasterBand dataType="Byte" band="1"></VRTRasterBand></VRTDataset>')
        return path

    cases.append(("Web Mercator EPSG:3857 at Kyiv, 1 m pixels",
                  create("webmerc", "EPSG:3857", (3397800, 6521200, 3397864, 6521152))))
    cases.append(("geographic EPSG:4326 at Kyiv, 1e-4 deg pixels",
                  create("geographic", "EPSG:4326", (30.5, 50.46, 30.5064, 50.4552))))
    cases.append(("UTM 36N EPSG:32636 at Hostomel, 0.5 m pixels",
                  create("utm36n", "EPSG:32636", (304000, 5606000, 304032, 5605976))))
    cases.append(("UTM 36S EPSG:32736 at Mwanza, 30 m pixels",
                  create("utm36s", "EPSG:32736", (491000, 9722000, 492920, 9720560))))
    area = create("utm36n_area", "EPSG:32636", (304000, 5606000, 304064, 5605952))
    cases.append(("PixelIsPoint UTM 36N (tiepoint names the pixel centre)",
                  translate(area, "utm36n_point", "-mo", "AREA_OR_POINT=Point")))
    cases.append(("tiled LZW UTM 36N", translate(area, "utm36n_tiled_lzw", "-co", "TILED=YES", "-co", "COMPRESS=LZW",
                                                  "-co", "BLOCKXSIZE=16", "-co", "BLOCKYSIZE=16")))
    rotated_gt = [304000.0, 0.433012701892219, 0.25, 5606000.0, 0.25, -0.433012701892219]
    cases.append(("rotated ModelTransformation (30 deg), UTM 36N",
                  translate(vrt("rotated", "EPSG:32636", rotated_gt), "rotated")))
    cases.append(("rotated ModelTransformation + PixelIsPoint, UTM 36N",
                  translate(vrt("rotated_point", "EPSG:32636", rotated_gt, point=True), "rotated_point")))
    cases.append(("user-defined Transverse Mercator (lon_0=31, k=0.9999) on WGS84",
                  create("user_tmerc", "+proj=tmerc +lat_0=0 +lon_0=31 +k=0.9999 +x_0=300000 +y_0=-5000000 +datum=WGS84 +units=m +no_defs",
                         (100000, 600000, 100640, 599520))))
    cases.append(("user-defined Lambert Conformal Conic 2SP on WGS84",
                  create("user_lcc", "+proj=lcc +lat_0=49 +lon_0=31 +lat_1=47 +lat_2=52 +x_0=500000 +y_0=200000 +datum=WGS84 +units=m +no_defs",
                         (460000, 360000, 461280, 359040))))
    cases.append(("user-defined Polar Stereographic (variant B, lat_ts=71) on WGS84",
                  create("user_stere", "+proj=stere +lat_0=90 +lat_ts=71 +lon_0=-45 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs",
                         (-200000, -2000000, -199360, -2000480))))
    cases.append(("user-defined Mercator (variant A, k=1) on WGS84, US survey feet",
                  create("user_merc_ft", "+proj=merc +lon_0=30 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=us-ft +no_defs",
                         (1800000, 21400000, 1800640, 21399520))))

    result = []
    for name, path in cases:
        info = gdalinfo(path)
        tags = read_geotiff_tags(path)
        result.append({
            "name": name, "file": os.path.basename(path), "width": info["size"][0], "height": info["size"][1],
            "pixelScale": tags.get(33550), "tiepoints": tags.get(33922), "transformation": tags.get(34264),
            "geoKeyDirectory": tags.get(34735), "geoDoubleParams": tags.get(34736), "geoAsciiParams": tags.get(34737),
            "geoTransform": info["geoTransform"], "epsg": epsg_of(info), "corners": corners_lonlat(info),
        })
    return result


def make_worldfile_images(directory):
    source = os.path.join(directory, "wf_source.tif")
    run("gdal_create", "-of", "GTiff", "-outsize", "32", "24", "-bands", "1", "-ot", "Byte",
        "-a_srs", "EPSG:3857", "-a_ullr", "3397800", "6521200", "3397832", "6521176", source)
    result = []
    for name, driver, ext, options in [
        ("PNG + .wld + .aux.xml (Web Mercator)", "PNG", "png", ["-co", "WORLDFILE=YES"]),
        ("JPEG + .wld + .aux.xml (Web Mercator)", "JPEG", "jpg", ["-co", "WORLDFILE=YES"]),
    ]:
        path = os.path.join(directory, "scene." + ext)
        run("gdal_translate", "-q", "-of", driver, *options, source, path)
        info = gdalinfo(path)
        with open(os.path.join(directory, "scene.wld")) as handle:
            world = handle.read()
        with open(path + ".aux.xml") as handle:
            aux = handle.read()
        result.append({"name": name, "worldFile": world, "auxXML": aux, "geoTransform": info["geoTransform"],
                       "epsg": epsg_of(info)})
        for leftover in ("scene.wld", os.path.basename(path) + ".aux.xml", os.path.basename(path)):
            os.remove(os.path.join(directory, leftover))
    # An ESRI .prj as ArcGIS writes it (no AUTHORITY nodes): PROJ must still identify EPSG:32636.
    prj = run("gdalsrsinfo", "-o", "wkt_esri", "EPSG:32636").strip()
    result.append({"name": "ESRI .prj for UTM 36N (no AUTHORITY)", "worldFile": None, "auxXML": None,
                   "prj": prj, "geoTransform": None, "epsg": 32636})
    return result


# ---------------------------------------------------------------- ground sample distance
def web_mercator_lonlat(x, y):
    r = 6378137.0
    return math.degrees(x / r), math.degrees(math.atan(math.sinh(y / r)))


def gsd_cases():
    """Web Mercator images with 1 m map pixels: the true ground size by closed-form spherical
    Mercator + GeographicLib, independent of PROJ and of the code under test."""
    cases = []
    for name, lat in [("Kyiv 50.45N", 50.45), ("equator", 0.0), ("Tromso 69.65N", 69.65)]:
        y_centre = 6378137.0 * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
        x_centre = 6378137.0 * math.radians(30.5)
        width, height = 100, 80
        gt = [x_centre - width / 2, 1.0, 0.0, y_centre + height / 2, 0.0, -1.0]

        def lonlat(px, py):
            return web_mercator_lonlat(gt[0] + px * gt[1] + py * gt[2], gt[3] + px * gt[4] + py * gt[5])

        cx, cy = width / 2, height / 2
        (lon1, lat1), (lon2, lat2) = lonlat(cx - 0.5, cy), lonlat(cx + 0.5, cy)
        gx = WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]
        (lon1, lat1), (lon2, lat2) = lonlat(cx, cy - 0.5), lonlat(cx, cy + 0.5)
        gy = WGS84.Inverse(lat1, lon1, lat2, lon2)["s12"]
        cases.append({"name": f"Web Mercator 1 m pixels at {name}", "geoTransform": gt, "width": width,
                      "height": height, "gsdX": gx, "gsdY": gy})
    return cases


# ---------------------------------------------------------------- Swift output
def swift_double(value):
    if value is None:
        return "nil"
    text = repr(float(value))
    return text if "e" in text or "." in text or "inf" in text or "nan" in text else text + ".0"


def swift_array(values, kind="Double"):
    if values is None:
        return "nil"
    if kind == "UInt16":
        return "[" + ", ".join(str(v) for v in values) + "]"
    return "[" + ", ".join(swift_double(v) for v in values) + "]"


def swift_string(text):
    if text is None:
        return "nil"
    return json.dumps(text, ensure_ascii=False).replace("\\/", "/").replace("\\u", "\\u")


def swift_multiline(text):
    if text is None:
        return "nil"
    # Swift raw strings: #"..."# with escapes for newline/CR/tab written explicitly.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped + '"'


def main():
    lines = [
        "// GENERATED by Scripts/make-geo-reference.py from GeographicLib, GDAL and PROJ. Do not edit by hand;",
        "// re-run the script. Values are the reference tools' own outputs, not results of ConvoyGeo.",
        "",
        "struct GeodesicInverseReference: Sendable { let name: String; let lat1, lon1, lat2, lon2, distance, azimuth1, azimuth2: Double }",
        "struct GeodesicDirectReference: Sendable { let name: String; let a, f, lat1, lon1, azimuth1, distance, lat2, lon2, azimuth2: Double }",
        "struct GeodesicPathReference: Sendable { let name: String; let points: [[Double]]; let length: Double }",
        "struct GeoTIFFReference: Sendable {",
        "    let name: String; let file: String; let width, height: Int",
        "    let pixelScale, tiepoints, transformation: [Double]?; let geoKeyDirectory: [UInt16]?",
        "    let geoDoubleParams: [Double]?; let geoAsciiParams: String?",
        "    let gdalGeoTransform: [Double]; let epsg: Int?; let cornersLonLat: [[Double]]",
        "}",
        "struct WorldFileImageReference: Sendable {",
        "    let name: String; let worldFile: String?; let auxXML: String?; let prj: String?",
        "    let gdalGeoTransform: [Double]?; let epsg: Int?",
        "}",
        "struct GroundSampleDistanceReference: Sendable { let name: String; let geoTransform: [Double]; let width, height: Int; let gsdX, gsdY: Double }",
        "",
        "let geodesicInverseReferences: [GeodesicInverseReference] = [",
    ]
    for name, lat1, lon1, lat2, lon2 in INVERSE_CASES:
        r = WGS84.Inverse(lat1, lon1, lat2, lon2)
        lines.append(f"    .init(name: {swift_string(name)}, lat1: {swift_double(lat1)}, lon1: {swift_double(lon1)}, "
                     f"lat2: {swift_double(lat2)}, lon2: {swift_double(lon2)}, distance: {swift_double(r['s12'])}, "
                     f"azimuth1: {swift_double(r['azi1'])}, azimuth2: {swift_double(r['azi2'])}),")
    lines += ["]", "", "let geodesicDirectReferences: [GeodesicDirectReference] = ["]
    for name, lat1, lon1, azi1, s12, ellipsoid in DIRECT_CASES:
        a, f = ellipsoid if ellipsoid else (Geodesic.WGS84.a, Geodesic.WGS84.f)
        r = Geodesic(a, f).Direct(lat1, lon1, azi1, s12)
        lines.append(f"    .init(name: {swift_string(name)}, a: {swift_double(a)}, f: {swift_double(f)}, lat1: {swift_double(lat1)}, "
                     f"lon1: {swift_double(lon1)}, azimuth1: {swift_double(azi1)}, distance: {swift_double(s12)}, "
                     f"lat2: {swift_double(r['lat2'])}, lon2: {swift_double(r['lon2'])}, azimuth2: {swift_double(r['azi2'])}),")
    lines += ["]", "", "let geodesicPathReferences: [GeodesicPathReference] = ["]
    for name, points in PATHS:
        total = sum(WGS84.Inverse(p[1], p[0], q[1], q[0])["s12"] for p, q in zip(points, points[1:]))
        pts = ", ".join(f"[{swift_double(lon)}, {swift_double(lat)}]" for lon, lat in points)
        lines.append(f"    .init(name: {swift_string(name)}, points: [{pts}], length: {swift_double(total)}),")
    lines.append("]")

    with tempfile.TemporaryDirectory() as directory:
        geotiffs = make_geotiffs(directory)
        worldfiles = make_worldfile_images(directory)
    lines += ["", "let geoTIFFReferences: [GeoTIFFReference] = ["]
    for c in geotiffs:
        corners = ", ".join(f"[{swift_double(lon)}, {swift_double(lat)}]" for lon, lat in c["corners"])
        lines.append(f"    .init(name: {swift_string(c['name'])}, file: {swift_string(c['file'])}, width: {c['width']}, height: {c['height']},")
        lines.append(f"          pixelScale: {swift_array(c['pixelScale'])}, tiepoints: {swift_array(c['tiepoints'])},")
        lines.append(f"          transformation: {swift_array(c['transformation'])},")
        lines.append(f"          geoKeyDirectory: {swift_array(c['geoKeyDirectory'], 'UInt16')},")
        lines.append(f"          geoDoubleParams: {swift_array(c['geoDoubleParams'])}, geoAsciiParams: {swift_string(c['geoAsciiParams'])},")
        lines.append(f"          gdalGeoTransform: {swift_array(c['geoTransform'])}, epsg: {c['epsg'] if c['epsg'] else 'nil'},")
        lines.append(f"          cornersLonLat: [{corners}]),")
    lines += ["]", "", "let worldFileImageReferences: [WorldFileImageReference] = ["]
    for c in worldfiles:
        lines.append(f"    .init(name: {swift_string(c['name'])}, worldFile: {swift_multiline(c['worldFile'])},")
        lines.append(f"          auxXML: {swift_multiline(c['auxXML'])},")
        lines.append(f"          prj: {swift_multiline(c.get('prj'))},")
        lines.append(f"          gdalGeoTransform: {swift_array(c['geoTransform'])}, epsg: {c['epsg'] if c['epsg'] else 'nil'}),")
    lines += ["]", "", "let groundSampleDistanceReferences: [GroundSampleDistanceReference] = ["]
    for c in gsd_cases():
        lines.append(f"    .init(name: {swift_string(c['name'])}, geoTransform: {swift_array(c['geoTransform'])}, width: {c['width']}, "
                     f"height: {c['height']}, gsdX: {swift_double(c['gsdX'])}, gsdY: {swift_double(c['gsdY'])}),")
    lines.append("]")

    with open(OUTPUT, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"wrote {os.path.relpath(OUTPUT, os.path.dirname(HERE))}: {len(INVERSE_CASES)} inverse, {len(DIRECT_CASES)} direct, "
          f"{len(PATHS)} path, {len(geotiffs)} GeoTIFF, {len(worldfiles)} world-file, 3 GSD cases")


if __name__ == "__main__":
    main()
