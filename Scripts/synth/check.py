"""Check each scene's georeference as `convoy info` reads it against the scene's truth."""
import glob
import json
import os
import subprocess
import sys


def truth_files(args):
    """(directory, record) pairs: scene truth files, and the tiles of corridor tiles.json files."""
    out = []
    for a in args:
        files = sorted(glob.glob(os.path.join(a, "**", "*.json"), recursive=True)) if os.path.isdir(a) else [a]
        for f in files:
            if f.endswith(".truth.json"):
                t = json.load(open(f))
                if "image" in t:
                    out.append((os.path.dirname(f), t))
            elif os.path.basename(f) == "tiles.json":
                m = json.load(open(f))
                for t in m["tiles"]:
                    out.append((os.path.dirname(f), dict(t, gsd_m=m["gsd_m"])))
    return out


def run_check(convoy, args):
    bad = 0
    files = truth_files(args)
    for d, t in files:
        img = os.path.join(d, t["image"])
        p = subprocess.run([convoy, "info", "--format", "json", img], capture_output=True, text=True)
        try:
            info = json.loads(p.stdout)[0]
            g = info["georeference"]
        except (ValueError, IndexError, KeyError, TypeError):
            print(f"FAIL {img}: convoy info exit {p.returncode}: {p.stderr.strip()[:200]}")
            bad += 1
            continue
        problems = []
        if g is None:
            problems.append("no georeference")
        else:
            if g["crs"] != t["crs"]:
                problems.append(f"crs {g['crs']} != {t['crs']}")
            gt, tt = g["geotransform"], t["geotransform"]
            scale = max(abs(tt[1]), abs(tt[5]))
            if any(abs(a - b) > 1e-6 * scale for a, b in zip(gt, tt)):
                problems.append(f"geotransform {gt} != {tt}")
            dc = max(max(abs(a[0] - b[0]), abs(a[1] - b[1])) for a, b in zip(g["corners"], t["corners"]))
            if dc > 1e-5:  # convoy prints corners to 5 decimals
                problems.append(f"corners differ by {dc:.2e} deg")
            if (info["width"], info["height"]) != (t["width"], t["height"]):
                problems.append("size differs")
            gsd = g.get("gsd_m")
            if gsd and any(abs(x - t["gsd_m"]) / t["gsd_m"] > 0.01 for x in gsd):
                problems.append(f"gsd {gsd} vs {t['gsd_m']}")
        if problems:
            bad += 1
            print(f"FAIL {img}: " + "; ".join(problems))
        else:
            print(f"ok   {img}: {g['crs']} {info['width']}x{info['height']} gsd {g.get('gsd_m')} "
                  f"({g['source']})")
    print(f"{len(files) - bad}/{len(files)} scenes: georeference read by convoy agrees with the truth")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(run_check(sys.argv[1], sys.argv[2:]))
