"""Image writers (PNG in pure Python, JPEG through cjpeg, GeoTIFF through gdal_translate) and
georeference sidecars (world file in the pixel-centre convention, ESRI .prj)."""
import os
import struct
import subprocess
import tempfile
import zlib

from .crs import esri_wkt
from .deps import np

ENV = dict(os.environ, GDAL_PAM_ENABLED="NO")
EXT = {"jpeg": ".jpg", "png": ".png", "tiff": ".tif"}
WORLD_EXT = {"jpeg": ".jgw", "png": ".pgw"}


def write_png(path, img):
    h, w, _ = img.shape
    raw = np.concatenate([np.zeros((h, 1), np.uint8), img.reshape(h, w * 3)], axis=1).tobytes()

    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
        f.write(chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)))
        f.write(chunk(b"IDAT", zlib.compress(raw, 6)))
        f.write(chunk(b"IEND", b""))


def write_jpeg(path, img, quality):
    h, w, _ = img.shape
    with tempfile.NamedTemporaryFile(suffix=".ppm", delete=False) as t:
        t.write(b"P6\n%d %d\n255\n" % (w, h))
        t.write(np.ascontiguousarray(img).tobytes())
    try:
        subprocess.run(["cjpeg", "-quality", str(int(quality)), "-optimize", "-outfile", path, t.name], check=True)
    finally:
        os.unlink(t.name)


def write_geotiff(path, img, grid):
    h, w, _ = img.shape
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "img.bin")
        img.tofile(raw)
        with open(os.path.join(tmp, "img.hdr"), "w") as f:
            f.write("ENVI\nsamples = %d\nlines = %d\nbands = 3\nheader offset = 0\nfile type = ENVI Standard\n"
                    "data type = 1\ninterleave = bip\nbyte order = 0\n" % (w, h))
        ullr = [repr(grid.x0), repr(grid.y0), repr(grid.x0 + w * grid.px), repr(grid.y0 - h * grid.py)]
        subprocess.run(["gdal_translate", "-q", "-of", "GTiff", "-a_srs", f"EPSG:{grid.epsg}", "-a_ullr", *ullr,
                        "-co", "TILED=YES", "-co", "COMPRESS=DEFLATE", "-co", "PHOTOMETRIC=RGB",
                        raw, path], check=True, env=ENV, stdout=subprocess.DEVNULL)


def write_world_file(path, grid):
    # pixel-centre convention: C, F are the centre of the top-left pixel
    vals = [grid.px, 0.0, 0.0, -grid.py, grid.x0 + grid.px / 2, grid.y0 - grid.py / 2]
    with open(path, "w") as f:
        f.write("".join(repr(float(v)) + "\n" for v in vals))


def write_prj(path, epsg):
    with open(path, "w") as f:
        f.write(esri_wkt(epsg) + "\n")


def write_image(base, img, grid, fmt, quality=85):
    """Write base + extension (+ sidecars); returns the image file name."""
    path = base + EXT[fmt]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if fmt == "png":
        write_png(path, img)
    elif fmt == "jpeg":
        write_jpeg(path, img, quality)
    elif fmt == "tiff":
        write_geotiff(path, img, grid)
        return os.path.basename(path)
    else:
        raise ValueError(fmt)
    write_world_file(base + WORLD_EXT[fmt], grid)
    write_prj(base + ".prj", grid.epsg)
    return os.path.basename(path)
