"""One scene: grid -> world -> render -> sensor -> files + truth."""
import json
import time

from .crs import make_grid
from .deps import np
from .output import write_image
from .render import render_world, sensor
from .scenes import PROFILES, build_world, scene_centre
from .truth import scene_truth

DEFAULT_SIZE = 2000


def make_scene(seed, gsd, crs, out, fmt="jpeg", quality=85, size=(DEFAULT_SIZE, DEFAULT_SIZE), kind="single",
               season="summer", profile="tune", extra_meta=None, verbose=False):
    t0 = time.time()
    W, H = size
    lon0, lat0 = scene_centre(seed)
    grid = make_grid(crs, lon0, lat0, gsd, W, H)
    world = build_world(seed, kind, season, grid, gsd, profile)
    t1 = time.time()
    img = render_world(world, grid, gsd)
    prof = PROFILES[profile]
    rng = np.random.default_rng([seed, 99])
    psf = float(rng.uniform(*prof["psf"]))
    noise = float(rng.uniform(*prof["noise"]))
    gain = float(rng.uniform(0.92, 1.06))
    offset = float(rng.uniform(-6, 8))
    u8 = sensor(img, rng, psf, noise, gain, offset)
    t2 = time.time()
    name = write_image(out, u8, grid, fmt, quality)
    meta = {"seed": seed, "kind": kind, "gsd_m": gsd, "season": season, "profile": profile,
            "image": name, "format": fmt, "jpeg_quality": quality if fmt == "jpeg" else None,
            "centre": {"lon": lon0, "lat": lat0},
            "sensor": {"psf_sigma_px": round(psf, 3), "noise_sd": round(noise, 3), "gain": round(gain, 4),
                       "offset": round(offset, 3)}}
    if extra_meta:
        meta.update(extra_meta)
    truth = scene_truth(world, grid, meta)
    with open(out + ".truth.json", "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")
    t3 = time.time()
    if verbose:
        c = truth["convoys"]
        print(f"{out}: {W}x{H} {crs} gsd {gsd} m {kind}/{season}: {len(c)} convoy(s) "
              + ", ".join(f"{x['length_m'] / 1000:.3f} km/{x['vehicles']} veh" for x in c)
              + f"; build {t1 - t0:.1f}s render {t2 - t1:.1f}s write {t3 - t2:.1f}s")
    return truth, {"build_s": t1 - t0, "render_s": t2 - t1, "write_s": t3 - t2}
