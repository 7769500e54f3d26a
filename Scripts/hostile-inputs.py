#!/usr/bin/env python3
"""Runs `convoy info` and `convoy measure --gsd 0.5` on each hostile input of issue 7 and prints,
per input, both exit codes, the wall time and peak resident memory of the slower / larger run and
the first stderr line of `info`: the "within seconds, in bounded memory" half of the acceptance, which the test suite
(Tests/ConvoyCLITests/HostileInputCommandTests.swift) checks only for the message and exit code.

  swift build -c release --product convoy
  python3 Scripts/hostile-inputs.py [--convoy .build/release/convoy]

Inputs are written to a temporary folder: a truncated JPEG, a PngSuite PNG with a bit flipped in
its IDAT, a zero-byte file, text named .jpg, the decompression bombs of
Tests/ConvoyCLITests/HostileFixtures (60,000 x 60,000 PNG, JPEG and TIFF; 40,000 x 40,000 PNG and
one-strip TIFF under the default pixel limit, the PNG also with --max-pixels), and world files,
.prj and .aux.xml that are text, NaN, zero pixel size, garbage or broken XML. A run still going
after 60 s is killed and reported as such.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("CONVOY_SHARED_DATA", os.path.join(os.path.dirname(ROOT), "shared", "data"))


def read(path):
    with open(os.path.join(ROOT, path), "rb") as f:
        return f.read()


def cases():
    jpeg = read("Tests/ConvoyImageIOTests/Fixtures/jpeg-baseline-rgb.jpg")
    prj = read("SampleImages/ivankiv-road.prj")
    world = b"0.5\n0\n0\n-0.5\n703000.25\n5645999.75\n"
    png = bytearray(open(os.path.join(SHARED, "pngsuite", "basn2c08.png"), "rb").read())
    png[png.index(b"IDAT") + 12] ^= 0x08
    bombs = "Tests/ConvoyCLITests/HostileFixtures/"
    return [
        ("truncated JPEG", "cut.jpg", {"cut.jpg": jpeg[:-100]}, []),
        ("bit-flipped PNG", "flipped.png", {"flipped.png": bytes(png)}, []),
        ("zero-byte file", "empty.png", {"empty.png": b""}, []),
        ("text named .jpg", "notes.jpg", {"notes.jpg": b"meeting notes\n"}, []),
        ("PNG bomb 60000x60000", "bomb.png", {"bomb.png": read(bombs + "bomb-60000x60000.png")}, []),
        ("JPEG bomb 60000x60000", "bomb.jpg", {"bomb.jpg": read(bombs + "bomb-60000x60000.jpg")}, []),
        ("TIFF bomb 60000x60000", "bomb.tif", {"bomb.tif": read(bombs + "bomb-60000x60000.tif")}, []),
        ("PNG bomb 40000x40000 (default limit)", "bomb.png", {"bomb.png": read(bombs + "bomb-40000x40000.png")}, []),
        ("PNG bomb 40000x40000, --max-pixels 1e8", "bomb.png", {"bomb.png": read(bombs + "bomb-40000x40000.png")},
         ["--max-pixels", "100000000"]),
        ("TIFF bomb 40000x40000, one strip (default limit)", "bomb.tif",
         {"bomb.tif": read(bombs + "bomb-40000x40000.tif")}, []),
        ("world file: text", "a.jpg", {"a.jpg": jpeg, "a.jgw": b"hello\nworld\n", "a.prj": prj}, []),
        ("world file: NaN", "a.jpg", {"a.jpg": jpeg, "a.jgw": b"0.5\n0\n0\nNaN\n1\n2\n", "a.prj": prj}, []),
        ("world file: zero pixel size", "a.jpg", {"a.jpg": jpeg, "a.jgw": b"0\n0\n0\n0\n1\n2\n", "a.prj": prj}, []),
        (".prj garbage", "a.jpg", {"a.jpg": jpeg, "a.jgw": world, "a.prj": b"GARBAGE[[[ \x01\x02"}, []),
        (".aux.xml broken XML", "a.jpg", {"a.jpg": jpeg, "a.jgw": world,
                                         "a.jpg.aux.xml": b"<PAMDataset><SRS>EPSG:32635</SRS"}, []),
    ]


def run(convoy, arguments, directory):
    err_path = os.path.join(directory, ".stderr")
    with open(err_path, "wb") as err, open(os.devnull, "wb") as out:
        start = time.monotonic()
        process = subprocess.Popen([convoy] + arguments, cwd=directory, stdout=out, stderr=err)
        killed = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > 60 and not killed:
                process.send_signal(signal.SIGKILL)
                killed = True
            time.sleep(0.01)
        elapsed = time.monotonic() - start
    with open(err_path, "rb") as f:
        first = f.read().decode("utf-8", "replace").split("\n")[0]
    code = os.waitstatus_to_exitcode(status)
    return ("killed" if killed else str(code)), elapsed, usage.ru_maxrss / 1024, first


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--convoy", default=os.path.join(ROOT, ".build", "release", "convoy"))
    convoy = os.path.abspath(parser.parse_args().convoy)
    if not os.path.exists(convoy):
        sys.exit(f"{convoy} not found: swift build -c release --product convoy")
    print("| input | exit: info / measure | seconds (slower) | peak RSS MB (larger) | stderr (info) |")
    print("|---|---|---|---|---|")
    for label, image, files, extra in cases():
        codes, seconds, peaks, messages = [], [], [], []
        for command in (["info"], ["measure", "--gsd", "0.5"]):
            directory = tempfile.mkdtemp(prefix="convoy-hostile-")
            try:
                for name, data in files.items():
                    with open(os.path.join(directory, name), "wb") as f:
                        f.write(data)
                code, elapsed, rss, first = run(convoy, command + extra + [image], directory)
            finally:
                shutil.rmtree(directory)
            codes.append(code)
            seconds.append(elapsed)
            peaks.append(rss)
            messages.append(first.replace(directory + "/", ""))
        message = messages[0].replace("|", "\\|")
        print(f"| {label} | {' / '.join(codes)} | {max(seconds):.2f} | {max(peaks):.0f} | `{message}` |")


if __name__ == "__main__":
    main()
