"""Command line: scene, suite, corridor, benchmark, calibrate, check."""
import argparse
import sys


def parse_size(s):
    try:
        w, h = s.lower().split("x")
        return int(w), int(h)
    except ValueError:
        raise argparse.ArgumentTypeError("size is WxH, e.g. 2000x2000")


def main(argv=None):
    from .scenes import KINDS
    from .suite import SETS
    ap = argparse.ArgumentParser(prog="convoy-synth", description="Synthetic convoy scenes with known truth.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("scene", help="render one georeferenced scene + NAME.truth.json")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--gsd", type=float, required=True, help="ground sample distance, metres (0.3-5)")
    p.add_argument("--crs", choices=["utm", "4326", "3857"], default="utm")
    p.add_argument("--out", required=True, help="DIR/NAME (extension added)")
    p.add_argument("--format", choices=["jpeg", "png", "tiff"], default="jpeg")
    p.add_argument("--jpeg-quality", type=int, default=85)
    p.add_argument("--size", type=parse_size, default=None, help="WxH pixels (default 2000x2000)")
    p.add_argument("--kind", choices=KINDS, default="single")
    p.add_argument("--season", choices=["summer", "winter"], default="summer")
    p.add_argument("--profile", choices=["tune", "heldout"], default="tune")
    p = sub.add_parser("suite", help="render the accuracy benchmark set + manifest.json")
    p.add_argument("--out", required=True)
    p.add_argument("--set", choices=[*SETS, "all"], default="all")
    p.add_argument("--only", type=int, default=None, help="render only the first N scenes of each set")
    p = sub.add_parser("corridor", help="the 64 km Kyiv-axis column as georeferenced tiles")
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=20220228)
    p.add_argument("--jpeg-quality", type=int, default=80)
    p.add_argument("--tile", type=int, default=1280)
    p.add_argument("--overlap", type=int, default=64)
    p.add_argument("--gsd", type=float, default=2.0)
    p.add_argument("--max-mb", type=float, default=25.0)
    p = sub.add_parser("benchmark", help="run `convoy measure` on a suite and score it")
    p.add_argument("--suite", required=True)
    p.add_argument("--convoy", required=True, help="path to the convoy binary")
    p.add_argument("--json", default=None, help="also write per-scene results here")
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--sets", default=None, help="only the scenes of these sets (comma-separated, e.g. tune,heldout)")
    p.add_argument("--min-confidence", type=float, default=None,
                   help="pass --min-confidence to convoy measure (0: every column found, as `calibrate` needs)")
    p.add_argument("--max-gap", type=float, default=None,
                   help="pass --max-gap to convoy measure (the 64 km reconstruction: 1500, its largest gap being 1.1 km)")
    p.add_argument("--stages", action="store_true",
                   help="also measure candidate recall (truth vehicles with a candidate) per GSD, and what stopped "
                        "each missed column (measure --explain)")
    p = sub.add_parser("calibrate", help="fit the confidence model on benchmark JSON, score it on held-out JSON")
    p.add_argument("--train", nargs="+", required=True, help="benchmark --json files to fit on")
    p.add_argument("--train-sets", default="tune,calib", help="sets within them to fit on (comma-separated)")
    p.add_argument("--test", nargs="*", default=[], help="benchmark --json files to score on")
    p.add_argument("--penalty", type=float, default=None,
                   help="L2 penalty on the coefficients (default: chosen by cross-validation on the training scenes)")
    p = sub.add_parser("check", help="compare `convoy info` georeference with each scene's truth")
    p.add_argument("--convoy", required=True)
    p.add_argument("files", nargs="+", help="truth.json files or directories")
    a = ap.parse_args(argv)
    if a.cmd == "scene":
        from .pipeline import DEFAULT_SIZE, make_scene
        if not 0.1 <= a.gsd <= 10:
            ap.error("--gsd must be within 0.1-10 m")
        if not 1 <= a.jpeg_quality <= 100:
            ap.error("--jpeg-quality must be within 1-100")
        make_scene(a.seed, a.gsd, a.crs, a.out, a.format, a.jpeg_quality, a.size or (DEFAULT_SIZE, DEFAULT_SIZE),
                   a.kind, a.season, a.profile, verbose=True)
    elif a.cmd == "suite":
        from .suite import run_suite
        run_suite(a.out, a.set, a.only)
    elif a.cmd == "corridor":
        from .corridor import run_corridor
        return run_corridor(a.out, a.seed, a.gsd, a.tile, a.overlap, a.jpeg_quality, a.max_mb)
    elif a.cmd == "benchmark":
        from .benchmark import run_benchmark
        return run_benchmark(a.suite, a.convoy, a.json, a.timeout,
                             set(a.sets.split(",")) if a.sets else None, a.min_confidence, a.stages, a.max_gap)
    elif a.cmd == "calibrate":
        from .calibrate import run_calibrate
        return run_calibrate(a.train, [s for s in a.train_sets.split(",") if s], a.test, a.penalty)
    elif a.cmd == "check":
        from .check import run_check
        return run_check(a.convoy, a.files)
    return 0


if __name__ == "__main__":
    sys.exit(main())
