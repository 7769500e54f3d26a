#!/usr/bin/env python3
"""Writes the decompression-bomb fixtures of Tests/ConvoyCLITests/HostileFixtures: small files
that declare a huge image, the header valid and the pixel data a highly compressed run of zeros.

  bomb-60000x60000.png  PNG, 8-bit gray, IHDR 60000 x 60000, IDAT holding 200 zlib-compressed zero rows
  bomb-60000x60000.jpg  a 40 x 28 baseline JPEG fixture whose SOF says 60000 x 60000
  bomb-60000x60000.tif  TIFF, 8-bit gray, 60000 x 60000 in one Deflate strip of 200 zero rows
  bomb-40000x40000.png  as the PNG above at 1.6 gigapixels: under the default --max-pixels
  bomb-40000x40000.tif  as the TIFF above at 1.6 gigapixels, its one strip the height of the image

Usage: python3 Scripts/make-hostile-fixtures.py   (from the repository root)
"""
import os
import struct
import zlib

OUT = "Tests/ConvoyCLITests/HostileFixtures"
ROWS = 200


def png_bomb(side):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\0" * (side + 1)  # filter byte + gray samples
    z = zlib.compressobj(9)
    data = b"".join(z.compress(row) for _ in range(ROWS)) + z.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def jpeg_bomb(side):
    data = bytearray(open("Tests/ConvoyImageIOTests/Fixtures/jpeg-baseline-rgb.jpg", "rb").read())
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5:i + 9] = struct.pack(">HH", side, side)
            return bytes(data)
        i += 2 + length
    raise SystemExit("no SOF marker")


def tiff_bomb(side):
    strip = zlib.compress(b"\0" * (side * ROWS), 9)
    entries = [(256, 4, side), (257, 4, side), (258, 3, 8), (259, 3, 8), (262, 3, 1), (273, 4, 8),
               (277, 3, 1), (278, 4, side), (279, 4, len(strip))]
    ifd = struct.pack("<H", len(entries))
    for tag, kind, value in entries:
        ifd += struct.pack("<HHI", tag, kind, 1)
        ifd += struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
    ifd += struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", 8 + len(strip)) + strip + ifd


os.makedirs(OUT, exist_ok=True)
for name, data in [("bomb-60000x60000.png", png_bomb(60000)), ("bomb-60000x60000.jpg", jpeg_bomb(60000)),
                   ("bomb-60000x60000.tif", tiff_bomb(60000)), ("bomb-40000x40000.png", png_bomb(40000)),
                   ("bomb-40000x40000.tif", tiff_bomb(40000))]:
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
    print(f"{OUT}/{name}: {len(data)} bytes")
