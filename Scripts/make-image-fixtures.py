#!/usr/bin/env python3
"""Regenerate the JPEG and TIFF decoder fixtures in Tests/ConvoyImageIOTests/Fixtures.

The pixels are synthetic patterns whose formulas the Swift tests repeat (FixturePattern.swift),
so lossless files are checked sample for sample. Lossy files (JPEG, JPEG-in-TIFF, CMYK) come
with the reference decoder's output beside them: djpeg (libjpeg-turbo) for JPEG, GDAL for the
rest, as raw interleaved 8-bit samples (*.expected.raw).

Needs: numpy, libjpeg-turbo-progs (cjpeg, djpeg), gdal-bin, libtiff-tools (tiffcp).
Run from the repository root:  python3 Scripts/make-image-fixtures.py
"""
import os
import struct
import subprocess
import tempfile

import numpy as np

OUT = os.path.join("Tests", "ConvoyImageIOTests", "Fixtures")
W, H = 40, 28  # deliberately not multiples of 8 or 16: partial MCUs, tiles and strips
ENV = dict(os.environ, GDAL_PAM_ENABLED="NO")


def pattern(name):
    """The patterns; FixturePattern.swift computes the same values."""
    y, x = np.mgrid[0:H, 0:W].astype(np.int64)
    if name == "rgb8":
        return np.stack([40 + x * 4, 30 + y * 6, 128 + (x - y) * 2], axis=-1).astype(np.uint8)
    if name == "gray8":
        return ((x * 5 + y * 3) % 256).astype(np.uint8)[..., None]
    if name == "rgba8":
        rgb = pattern("rgb8").astype(np.int64)
        return np.concatenate([rgb, ((x * 9 + y) % 256)[..., None]], axis=-1).astype(np.uint8)
    if name == "gray16":
        return (x * 1500 + y * 13).astype(np.uint16)[..., None]
    if name == "rgba16":
        rgb = pattern("rgb8").astype(np.int64) * 257 + y[..., None]
        return np.concatenate([rgb, (x * 1600 + 5)[..., None]], axis=-1).astype(np.uint16)
    if name == "multiband8":  # blue, green, red, near-infrared
        rgb = pattern("rgb8").astype(np.int64)
        return np.concatenate([rgb, ((x * 3 + y * 7) % 256)[..., None]], axis=-1).astype(np.uint8)
    if name == "grayalpha8":
        return np.concatenate([pattern("gray8"), pattern("rgba8")[..., 3:4]], axis=-1)
    raise KeyError(name)


def run(*args):
    result = subprocess.run(args, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if "does not support" in result.stderr:  # a misspelt creation option would pass silently
        raise SystemExit("%s: %s" % (" ".join(args), result.stderr))


def write_envi(path, arr):
    """Raw band-interleaved-by-pixel samples with an ENVI header: a source GDAL reads."""
    data_type = {np.dtype(np.uint8): 1, np.dtype(np.uint16): 12, np.dtype(np.float32): 4}[arr.dtype]
    arr.astype(arr.dtype.newbyteorder("<")).tofile(path)
    with open(path[:-4] + ".hdr", "w") as f:
        f.write("ENVI\nsamples = %d\nlines = %d\nbands = %d\nheader offset = 0\nfile type = ENVI Standard\n"
                "data type = %d\ninterleave = bip\nbyte order = 0\n" % (W, H, arr.shape[2], data_type))


def write_pnm(path, arr):
    magic = b"P5" if arr.shape[2] == 1 else b"P6"
    with open(path, "wb") as f:
        f.write(b"%s\n%d %d\n255\n" % (magic, W, H))
        f.write(arr.astype(np.uint8).tobytes())


def reference_raw(src, dst):
    """GDAL's decode of `src`, as raw interleaved 8-bit samples."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.bin")
        run("gdal_translate", "-q", "-of", "ENVI", "-co", "INTERLEAVE=BIP", src, out)
        with open(out, "rb") as f, open(dst, "wb") as g:
            g.write(f.read())


def write_palette_tiff(path, invert_gray=False):
    """An uncompressed 8-bit palette TIFF (or MinIsWhite gray) written by hand: GDAL cannot be
    told to write these from a plain array without a colour-table VRT."""
    idx = pattern("gray8")[..., 0]
    entries = []  # (tag, type, count, value-or-bytes)
    strip = idx.tobytes()
    if not invert_gray:
        levels = np.arange(256, dtype=np.int64)
        cmap = np.concatenate([(levels * 7 % 256) * 257, (255 - levels) * 257, (levels // 2) * 257])
        cmap_bytes = struct.pack("<768H", *cmap.tolist())
    header = 8
    strip_off = header
    extra_off = strip_off + len(strip)
    if extra_off % 2:
        extra_off += 1
    cmap_off = extra_off
    tags = [(256, 3, 1, W), (257, 3, 1, H), (258, 3, 1, 8), (259, 3, 1, 1),
            (262, 3, 1, 0 if invert_gray else 3), (273, 4, 1, strip_off), (277, 3, 1, 1),
            (278, 3, 1, H), (279, 4, 1, len(strip))]
    if not invert_gray:
        tags.append((320, 3, 768, cmap_off))
    ifd_off = cmap_off + (len(cmap_bytes) if not invert_gray else 0)
    if ifd_off % 2:
        ifd_off += 1
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_off))
    out += strip
    out += b"\x00" * (cmap_off - len(out))
    if not invert_gray:
        out += cmap_bytes
    out += b"\x00" * (ifd_off - len(out))
    out += struct.pack("<H", len(tags))
    for tag, typ, count, value in tags:
        if typ == 3 and count == 1:
            out += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, value)
    out += struct.pack("<I", 0)
    with open(path, "wb") as f:
        f.write(out)


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = {}
        for name in ["rgb8", "gray8", "rgba8", "gray16", "rgba16", "multiband8", "grayalpha8"]:
            src[name] = os.path.join(tmp, name + ".bin")
            write_envi(src[name], pattern(name))
        float_src = os.path.join(tmp, "float.bin")
        write_envi(float_src, pattern("gray8").astype(np.float32))
        ppm, pgm = os.path.join(tmp, "rgb.ppm"), os.path.join(tmp, "gray.pgm")
        write_pnm(ppm, pattern("rgb8"))
        write_pnm(pgm, pattern("gray8"))

        # JPEG variants, each with djpeg's decode beside it
        jpegs = {
            "jpeg-baseline-rgb.jpg": ["-quality", "92", ppm],
            "jpeg-progressive-rgb.jpg": ["-quality", "92", "-progressive", ppm],
            "jpeg-gray.jpg": ["-quality", "92", pgm],
            "jpeg-arithmetic-rgb.jpg": ["-quality", "92", "-arithmetic", ppm],
            "jpeg-restart-rgb.jpg": ["-quality", "92", "-restart", "1", "-sample", "1x1", ppm],
        }
        for name, args in jpegs.items():
            path = os.path.join(OUT, name)
            run("cjpeg", "-outfile", path, *args)
            with tempfile.NamedTemporaryFile(suffix=".pnm") as pnm:
                run("djpeg", "-pnm", "-outfile", pnm.name, path)
                data = open(pnm.name, "rb").read()
                # strip the PNM header: three whitespace-separated fields after the magic
                fields, pos = 0, 2
                while fields < 3:
                    while data[pos:pos + 1].isspace():
                        pos += 1
                    while not data[pos:pos + 1].isspace():
                        pos += 1
                    fields += 1
                with open(path + ".expected.raw", "wb") as f:
                    f.write(data[pos + 1:])
        # tall and thin: enough block rows that libjpeg's coefficient buffer must fit max_memory_to_use
        tall = os.path.join(tmp, "tall.pgm")
        with open(tall, "wb") as f:
            f.write(b"P5\n16 1024\n255\n" + bytes((x * 9 + y) % 256 for y in range(1024) for x in range(16)))
        run("cjpeg", "-outfile", os.path.join(OUT, "jpeg-progressive-tall-gray.jpg"), "-progressive", tall)
        cmyk = os.path.join(OUT, "jpeg-cmyk.jpg")
        run("gdal_translate", "-q", "-of", "JPEG", "-co", "QUALITY=95", src["multiband8"], cmyk)
        reference_raw(cmyk, cmyk + ".expected.raw")

        # TIFF variants (lossless: compared with the pattern itself)
        tiffs = {
            "tiff-rgb8-none.tif": ("rgb8", ["COMPRESS=NONE"]),
            "tiff-rgb8-lzw.tif": ("rgb8", ["COMPRESS=LZW", "BLOCKYSIZE=5"]),
            "tiff-rgb8-deflate.tif": ("rgb8", ["COMPRESS=DEFLATE", "PREDICTOR=2"]),
            "tiff-rgb8-packbits.tif": ("rgb8", ["COMPRESS=PACKBITS"]),
            "tiff-rgb8-lzw-tiled.tif": ("rgb8", ["COMPRESS=LZW", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16"]),
            "tiff-rgb8-separate.tif": ("rgb8", ["COMPRESS=LZW", "INTERLEAVE=BAND", "BLOCKYSIZE=6"]),
            "tiff-rgb8-separate-tiled.tif": ("rgb8", ["COMPRESS=DEFLATE", "INTERLEAVE=BAND", "TILED=YES",
                                                      "BLOCKXSIZE=16", "BLOCKYSIZE=16"]),
            "tiff-rgb8-bigtiff.tif": ("rgb8", ["COMPRESS=LZW", "BIGTIFF=YES", "TILED=YES",
                                               "BLOCKXSIZE=32", "BLOCKYSIZE=16"]),
            "tiff-gray8-none.tif": ("gray8", ["COMPRESS=NONE"]),
            "tiff-grayalpha8-lzw.tif": ("grayalpha8", ["COMPRESS=LZW", "ALPHA=YES"]),
            "tiff-rgba8-deflate.tif": ("rgba8", ["COMPRESS=DEFLATE", "ALPHA=YES", "PHOTOMETRIC=RGB"]),
            "tiff-multiband8-lzw.tif": ("multiband8", ["COMPRESS=LZW", "PHOTOMETRIC=MINISBLACK"]),
            "tiff-gray16-deflate.tif": ("gray16", ["COMPRESS=DEFLATE", "PREDICTOR=2"]),
            "tiff-rgba16-lzw-tiled.tif": ("rgba16", ["COMPRESS=LZW", "ALPHA=YES", "PHOTOMETRIC=RGB", "TILED=YES",
                                                     "BLOCKXSIZE=16", "BLOCKYSIZE=16"]),
            "tiff-rgba16-separate.tif": ("rgba16", ["COMPRESS=PACKBITS", "ALPHA=YES", "PHOTOMETRIC=RGB",
                                                    "INTERLEAVE=BAND"]),
        }
        for name, (pat, options) in tiffs.items():
            args = []
            for o in options:
                args += ["-co", o]
            run("gdal_translate", "-q", "-of", "GTiff", *args, src[pat], os.path.join(OUT, name))
        # A georeferenced one: UTM zone 36N near Kyiv, tiled LZW, as a COG-like layout
        run("gdal_translate", "-q", "-of", "GTiff", "-co", "COMPRESS=LZW", "-co", "TILED=YES",
            "-co", "BLOCKXSIZE=16", "-co", "BLOCKYSIZE=16", "-a_srs", "EPSG:32636",
            "-a_ullr", "300000", "5600000", "300020", "5599986", src["rgb8"],
            os.path.join(OUT, "tiff-utm36n-lzw-tiled.tif"))

        # Lossy TIFFs, with GDAL's decode beside them
        lossy = {
            "tiff-rgb8-jpeg-ycbcr.tif": ["COMPRESS=JPEG", "PHOTOMETRIC=YCBCR", "JPEG_QUALITY=92"],
            "tiff-rgb8-jpeg-tiled.tif": ["COMPRESS=JPEG", "TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16",
                                         "JPEG_QUALITY=92"],
        }
        for name, options in lossy.items():
            args = []
            for o in options:
                args += ["-co", o]
            path = os.path.join(OUT, name)
            run("gdal_translate", "-q", "-of", "GTiff", *args, src["rgb8"], path)
            reference_raw(path, path + ".expected.raw")

        write_palette_tiff(os.path.join(OUT, "tiff-palette8.tif"))
        write_palette_tiff(os.path.join(OUT, "tiff-miniswhite8.tif"), invert_gray=True)

        # Refused variants: each must give a clear "not supported" error
        run("gdal_translate", "-q", "-of", "GTiff", "-ot", "Float32", float_src,
            os.path.join(OUT, "unsupported-float32.tif"))
        run("gdal_translate", "-q", "-of", "GTiff", "-co", "NBITS=1", src["gray8"],
            os.path.join(OUT, "unsupported-1bit.tif"))
        run("gdal_translate", "-q", "-of", "GTiff", "-co", "PHOTOMETRIC=CMYK", src["multiband8"],
            os.path.join(OUT, "unsupported-cmyk.tif"))


if __name__ == "__main__":
    main()
