#!/usr/bin/env python3
"""Regenerate SampleImages/: a small synthetic scene of a column of vehicles on a curved road
in fields south-east of Ivankiv, Ukraine (UTM zone 35N, 0.5 m per pixel), in the three forms
analysts receive: a tiled Deflate GeoTIFF, a JPEG with a world file and .prj, and a plain PNG.

Deterministic (fixed seed). Needs numpy and gdal-bin. Run from the repository root.
"""
import os
import subprocess
import tempfile

import numpy as np

OUT = "SampleImages"
W, H = 800, 500
GSD = 0.5
# Top-left corner of the top-left pixel, EPSG:32635 (about 50.93 N, 29.89 E)
X0, Y0 = 703_000.0, 5_646_000.0
ENV = dict(os.environ, GDAL_PAM_ENABLED="NO")


def scene(seed=28_02_2022):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float64)
    # fields: broad stripes with grain
    img = np.empty((H, W, 3))
    stripe = ((xx + 0.4 * yy) // 90) % 2
    img[..., 0] = 118 + 14 * stripe
    img[..., 1] = 122 + 10 * stripe
    img[..., 2] = 92 + 6 * stripe
    img += rng.normal(0, 5, (H, W, 1))
    # a gently curving road, 8 m wide: centre line y = f(x)
    def centre(x):
        return 260 + 90 * np.sin(x / 260.0)
    dist = np.abs(yy - centre(xx)) / np.sqrt(1 + (90 / 260.0 * np.cos(xx / 260.0)) ** 2)
    road = dist < (8 / GSD) / 2
    img[road] = [152, 150, 146]
    # vehicles: 3 m x 7 m dark rectangles, head to tail, 20-35 m apart, with shadows
    x = 60.0
    while x < W - 60:
        slope = 90 / 260.0 * np.cos(x / 260.0)
        angle = np.arctan(slope)
        cx, cy = x, centre(x) + rng.normal(0, 1.0)
        u = (xx - cx) * np.cos(angle) + (yy - cy) * np.sin(angle)
        v = -(xx - cx) * np.sin(angle) + (yy - cy) * np.cos(angle)
        shadow = (np.abs(u - 2) < 3.5 / GSD) & (np.abs(v - 3) < 1.5 / GSD)
        body = (np.abs(u) < 3.5 / GSD) & (np.abs(v) < 1.5 / GSD)
        img[shadow] *= 0.55
        img[body] = [58, 64, 52] + rng.normal(0, 4, 3)
        x += rng.uniform(20, 35) / GSD * np.cos(angle)
    # a row of tree crowns along the north side of the field
    for tx in range(40, W, 34):
        crown = (xx - tx) ** 2 + (yy - 70) ** 2 < (3.5 / GSD) ** 2
        img[crown] = [46, 70, 40]
    return np.clip(img, 0, 255).astype(np.uint8)


def run(*args):
    subprocess.run(args, check=True, env=ENV, stdout=subprocess.DEVNULL)


def main():
    os.makedirs(OUT, exist_ok=True)
    img = scene()
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "scene.bin")
        img.tofile(raw)
        with open(raw[:-4] + ".hdr", "w") as f:
            f.write("ENVI\nsamples = %d\nlines = %d\nbands = 3\nheader offset = 0\nfile type = ENVI Standard\n"
                    "data type = 1\ninterleave = bip\nbyte order = 0\n" % (W, H))
        ullr = [str(X0), str(Y0), str(X0 + W * GSD), str(Y0 - H * GSD)]
        run("gdal_translate", "-q", "-of", "GTiff", "-a_srs", "EPSG:32635", "-a_ullr", *ullr,
            "-co", "COMPRESS=DEFLATE", "-co", "TILED=YES", "-co", "BLOCKXSIZE=256", "-co", "BLOCKYSIZE=256",
            raw, os.path.join(OUT, "ivankiv-road-utm35n.tif"))
        jpg = os.path.join(OUT, "ivankiv-road.jpg")
        run("gdal_translate", "-q", "-of", "JPEG", "-a_srs", "EPSG:32635", "-a_ullr", *ullr,
            "-co", "QUALITY=88", "-co", "WORLDFILE=YES", raw, jpg)
        # GDAL names the world file .wld; analysts' tools write .jgw: keep that
        os.replace(os.path.join(OUT, "ivankiv-road.wld"), os.path.join(OUT, "ivankiv-road.jgw"))
        wkt = subprocess.run(["gdalsrsinfo", "-o", "wkt_esri", "EPSG:32635"], check=True, capture_output=True,
                             text=True).stdout.strip()
        with open(os.path.join(OUT, "ivankiv-road.prj"), "w") as f:
            f.write(wkt + "\n")
        run("gdal_translate", "-q", "-of", "PNG", raw, os.path.join(OUT, "ivankiv-road.png"))


if __name__ == "__main__":
    main()
