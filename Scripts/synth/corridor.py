"""Reconstruction of the 28 Feb 2022 Kyiv-axis column: a 64.0 km column (front of the lead vehicle
to rear of the last, WGS84 geodesic along the road) on a plausible winding road from north of
Ivankiv (near Prybirsk) through Ivankiv and down the P-02 corridor towards Antonov Airport /
Hostomel, its head 25.0 km (geodesic) from Kyiv's gazetteer position. Rendered as overlapping
georeferenced JPEG tiles along the road (EPSG:32636, 2 m), with one truth file for the column."""
import json
import math
import os
import time

from . import GENERATOR
from .crs import GEOD, Grid, scale_factor, transformer
from .deps import np
from .geometry import Occupancy, Polyline, Road, World, grow_road, layout_column, place_column
from .output import write_image
from .render import render_world, sensor
from .scenes import PROFILES, Frame, add_distractors
from .truth import compact_path, geodesic_length, vehicles_truth

UTM = 32636
COLUMN_M = 64_000.0
HEAD_TO_KYIV_M = 25_000.0
# (lat, lon): a plausible road, not a survey of the real one. Prybirsk's gazetteer position is
# approximate (+-5 km, see Scripts/build-gazetteer-supplement.tsv); Ivankiv's is GeoNames'.
WAYPOINTS = [
    (51.046, 30.170),   # north of Prybirsk, towards Chornobyl
    (51.010, 30.120),   # Prybirsk (approx.)
    (50.986, 30.042),
    (50.962, 29.962),
    (50.9395, 29.9020), # Ivankiv
    (50.906, 29.936),
    (50.862, 29.984),
    (50.806, 30.018),
    (50.752, 30.058),
    (50.700, 30.100),
    (50.652, 30.140),
    (50.614, 30.178),   # by Antonov Airport (Hostomel)
    (50.588, 30.222),
    (50.570, 30.258),   # Hostomel
    (50.552, 30.296),
]
KYIV_FALLBACK = (50.45466, 30.52380)
PRYBIRSK = (51.01, 30.12)
IVANKIV = (50.93953, 29.90205)
ANTONOV = (50.6036, 30.1917)


def kyiv_position():
    """Kyiv as in convoy's gazetteer (so `convoy distance` agrees), else the same constant."""
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "..", "Sources", "ConvoyGeo", "Resources", "gazetteer.tsv")
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                p = line.rstrip("\n").split("\t")
                if len(p) > 6 and p[1] == "Kyiv" and p[2] == "UA":
                    return float(p[4]), float(p[5])
    except OSError:
        pass
    return KYIV_FALLBACK


def catmull_rom(P, n_per):
    """Centripetal Catmull-Rom through points P (N, 2)."""
    P = np.asarray(P, float)
    P = np.vstack([2 * P[0] - P[1], P, 2 * P[-1] - P[-2]])
    out = []
    for i in range(1, len(P) - 2):
        p0, p1, p2, p3 = P[i - 1], P[i], P[i + 1], P[i + 2]
        t0 = 0.0
        t1 = t0 + np.linalg.norm(p1 - p0) ** 0.5
        t2 = t1 + np.linalg.norm(p2 - p1) ** 0.5
        t3 = t2 + np.linalg.norm(p3 - p2) ** 0.5
        t = np.linspace(t1, t2, n_per, endpoint=False)[:, None]
        a1 = (t1 - t) / (t1 - t0) * p0 + (t - t0) / (t1 - t0) * p1
        a2 = (t2 - t) / (t2 - t1) * p1 + (t - t1) / (t2 - t1) * p2
        a3 = (t3 - t) / (t3 - t2) * p2 + (t - t2) / (t3 - t2) * p3
        b1 = (t2 - t) / (t2 - t0) * a1 + (t - t0) / (t2 - t0) * a2
        b2 = (t3 - t) / (t3 - t1) * a2 + (t - t1) / (t3 - t1) * a3
        out.append((t2 - t) / (t2 - t1) * b1 + (t - t1) / (t2 - t1) * b2)
    out.append(P[-2][None])
    return np.vstack(out)


def resample(pts, step=1.0):
    d = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])
    s = np.arange(0, d[-1], step)
    s = np.append(s, d[-1])
    return np.stack([np.interp(s, d, pts[:, 0]), np.interp(s, d, pts[:, 1])], axis=1)


def corridor_road(rng):
    lat, lon = np.array(WAYPOINTS).T
    x, y = transformer(4326, UTM).transform(lon, lat)
    base = resample(catmull_rom(np.stack([x, y], axis=1), 400), 2.0)
    # gentle meanders (bends of 0.5-1.5 km radius) on top of the spline
    d = np.concatenate([[0], np.cumsum(np.hypot(*np.diff(base, axis=0).T))])
    off = np.zeros(len(d))
    for lam, amp in ((1800, 45), (3100, 70), (5200, 110), (900, 12)):
        off += amp * rng.uniform(0.6, 1.0) * np.sin(2 * math.pi * d / lam + rng.uniform(0, 2 * math.pi))
    t = np.gradient(base, axis=0)
    t /= np.linalg.norm(t, axis=1, keepdims=True)
    pts = base + np.stack([-t[:, 1], t[:, 0]], axis=1) * off[:, None]
    return resample(pts, 1.0)


def solve_head(line, kyiv):
    """Arc length where the road first comes within HEAD_TO_KYIV_M of Kyiv (bisection)."""
    lat0, lon0 = kyiv
    _, _, d = GEOD.inv(np.full(len(line.lon), lon0), np.full(len(line.lat), lat0), line.lon, line.lat)
    i = int(np.nonzero(d <= HEAD_TO_KYIV_M)[0][0])
    lo, hi = line.s[i - 1], line.s[i]

    def dist(s):
        x, y, _, _ = line.at(s)
        lon, lat = transformer(UTM, 4326).transform(float(x), float(y))
        return GEOD.inv(lon0, lat0, lon, lat)[2]
    for _ in range(60):
        mid = (lo + hi) / 2
        if dist(mid) > HEAD_TO_KYIV_M:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def fit_length(items, L):
    """Scale the along-road positions so that the rear of the last vehicle is exactly L."""
    for _ in range(20):
        rear = [b + spec[1] for b, _, spec in items]
        j = int(np.argmax(rear))
        bj, Lj = items[j][0], items[j][2][1]
        f = (L - Lj) / bj
        items = [(b * f, lat, spec) for b, lat, spec in items]
        if abs(max(b + spec[1] for b, _, spec in items) - L) < 1e-7:
            break
    return items


class CorridorFrame(Frame):
    def __init__(self, bbox):
        self.poly = [(bbox[0], bbox[3]), (bbox[2], bbox[3]), (bbox[2], bbox[1]), (bbox[0], bbox[1])]
        self.inset = 0.0
        self.bbox = bbox
        self.S = 3000.0


def build_corridor_world(seed):
    rng = np.random.default_rng([seed, 64])
    kyiv = kyiv_position()
    pts = corridor_road(rng)
    line = Polyline(pts, UTM)
    s_head = solve_head(line, kyiv)
    s_tail = s_head - COLUMN_M
    if s_tail < 500:
        raise RuntimeError(f"road too short north of the head: {s_head:.0f} m")
    lon_c, lat_c = float(np.mean(line.lon)), float(np.mean(line.lat))
    k = scale_factor(UTM, lon_c, lat_c)
    prof = PROFILES["tune"]
    world = World(seed=seed, utm=UTM, k=k, season="winter", sun_az=160.0, sun_el=27.0)
    # 28 Feb 2022 ~10:30 local: sun ~SSE, ~27 deg; patchy late-winter snow
    world.bg = dict(ox=300000.0, oy=5600000.0, theta=0.35, colw=420.0, forest_scale=2600.0, forest_thr=0.50,
                    hedge_prob=0.3, fence_prob=0.1, bare_thr=0.42)
    world.roads.append(Road(line, 8.5, 3.0, "asphalt", "main", markings=True, snow=False, tone=-6.0, convoy=True))
    xs, ys = line.pts[:, 0], line.pts[:, 1]
    bbox = (xs.min() - 3000, ys.min() - 3000, xs.max() + 3000, ys.max() + 3000)
    # side roads crossing the corridor every few km
    s = 1500.0
    sp = dict(straight=(300, 1500), radius=(150, 900), turn=(5, 35), maxdev=45)
    while s < line.length - 1000:
        x, y, tx, ty = line.at(s)
        hh = math.atan2(ty, tx) + math.radians(rng.uniform(50, 90)) * rng.choice([-1, 1])
        L = rng.uniform(1500, 4000)
        sub = (float(x) - L, float(y) - L, float(x) + L, float(y) + L)
        a = grow_road(rng, float(x), float(y), hh, sub, sp)
        if rng.random() < 0.6:
            b = grow_road(rng, float(x), float(y), hh + math.pi, sub, sp)
            a = np.concatenate([b[::-1], a[1:]])
        if len(a) > 100:
            cls = "secondary" if rng.random() < 0.5 else "track"
            surface = "asphalt" if cls == "secondary" and rng.random() < 0.6 else "dirt"
            world.roads.append(Road(Polyline(a, UTM), rng.uniform(6, 7.5) if cls == "secondary" else rng.uniform(5.5, 6.5),
                                    rng.uniform(1.5, 3), surface, cls, False, rng.random() < 0.4 and surface != "dirt",
                                    float(rng.uniform(-10, 10))))
        s += rng.uniform(2500, 6000)
    # the column
    p = dict(gap=(34, 44), gap_clip=(8, 100), big_gap=(300, 1400), big_gaps=5, road_width=8.5, light_frac=0.18,
             abreast=0.025, abreast_max=2, stray_gap_prob=0.03, min_vehicles=10,
             mix={"truck": 0.58, "apc": 0.16, "tank": 0.1, "tanker": 0.1, "light": 0.06})
    items, ab = layout_column(rng, COLUMN_M * 0.995, p)
    items = fit_length(items, COLUMN_M)
    vs, b_tail, gap = place_column(world, 0, s_head, +1.0, items, 0, rng=rng)
    world.vehicles.extend(vs)
    world.convoys.append(dict(road=0, s_head=s_head, s_tail=s_head - b_tail, direction=1.0, vehicles=len(vs),
                              abreast_max=int(ab), largest_gap=float(gap), flavour="kyiv-64km"))
    occ = Occupancy()
    for i, r in enumerate(world.roads):
        occ.add_road(i, r, k)
    # villages along the corridor (Ivankiv is a town) and distractors
    s_iv = float(line.s[np.argmin(np.hypot(*(line.pts - np.array(transformer(4326, UTM).transform(IVANKIV[1], IVANKIV[0]))).T))])
    vil = [(s_iv - 1500, 3000)]
    s = 4000.0
    while s < line.length - 2000:
        if abs(s - s_iv) > 3000:
            vil.append((s, rng.uniform(400, 1400)))
        s += rng.uniform(5000, 9000)
    dens = {"villages": len(vil), "village_road": 0, "village_at": vil, "depots": 4, "tree_rows": 4}
    fr = CorridorFrame(bbox)
    add_distractors(rng, world, fr, occ, prof, "corridor", 2.0, dens)
    world.meta = dict(kyiv=kyiv, s_head=s_head, s_tail=s_head - b_tail, line=line)
    return world


def tile_grids(world, gsd, tile, overlap, margin_m=300.0):
    line = world.roads[0].line
    c = world.convoys[0]
    s = np.arange(c["s_tail"] - 500, c["s_head"] + 500, 20.0)
    x, y, _, _ = line.at(s)
    stride = (tile - overlap) * gsd
    gx0 = math.floor((x.min() - margin_m - 2000) / 1000) * 1000.0
    gy0 = math.ceil((y.max() + margin_m + 2000) / 1000) * 1000.0
    keys = set()
    for ox in (-margin_m, 0, margin_m):
        for oy in (-margin_m, 0, margin_m):
            ci = np.floor((x + ox - gx0) / stride).astype(int)
            ri = np.floor((gy0 - (y + oy)) / stride).astype(int)
            keys |= set(zip(ri.tolist(), ci.tolist()))
    grids = []
    for ri, ci in sorted(keys):
        x0 = gx0 + ci * stride
        y0 = gy0 - ri * stride
        grids.append(((ri, ci), Grid(UTM, x0, y0, gsd, gsd, tile, tile, UTM)))
    return grids


def run_corridor(out, seed=20220228, gsd=2.0, tile=1280, overlap=64, quality=80, max_mb=25.0):
    t0 = time.time()
    os.makedirs(out, exist_ok=True)
    world = build_corridor_world(seed)
    m = world.meta
    line = world.roads[0].line
    c = world.convoys[0]
    path = line.section_lonlat(c["s_head"], c["s_tail"])
    length = geodesic_length(path)
    kyiv = m["kyiv"]
    head = path[0]
    tail = path[-1]
    head_kyiv = GEOD.inv(kyiv[1], kyiv[0], head[0], head[1])[2]
    t1 = time.time()
    print(f"column: {length / 1000:.5f} km, {c['vehicles']} vehicles, head {head[1]:.5f} N {head[0]:.5f} E, "
          f"{head_kyiv / 1000:.5f} km from Kyiv; build {t1 - t0:.1f} s")
    grids = tile_grids(world, gsd, tile, overlap)
    tiles = []
    vt = vehicles_truth(world)
    for n, ((ri, ci), g) in enumerate(grids):
        name = f"kyiv64-r{ri:02d}-c{ci:02d}"
        img = render_world(world, g, gsd)
        rng = np.random.default_rng([seed, ri, ci])
        u8 = sensor(img, rng, 0.6, 1.6, 1.0, 0.0)
        fn = write_image(os.path.join(out, name), u8, g, "jpeg", quality)
        fx, fy = np.array([v.x for v in world.vehicles]), np.array([v.y for v in world.vehicles])
        inside = (fx >= g.x0) & (fx < g.x0 + tile * gsd) & (fy <= g.y0) & (fy > g.y0 - tile * gsd)
        col_in = int(sum(1 for v, ok in zip(world.vehicles, inside) if ok and v.convoy == 0))
        tiles.append({"image": fn, "row": ri, "col": ci, "width": tile, "height": tile, "crs": f"EPSG:{UTM}",
                      "geotransform": g.geotransform, "corners": g.corners_lonlat(), "column_vehicles": col_in})
        print(f"  tile {n + 1}/{len(grids)} {fn}: {col_in} column vehicles", flush=True)
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    out_path = compact_path(path, UTM)
    truth = {
        "generator": GENERATOR, "case": "Kyiv-axis column, 28 Feb 2022 (synthetic reconstruction)",
        "seed": seed, "gsd_m": gsd, "crs": f"EPSG:{UTM}", "season": world.season,
        "sun": {"azimuth_deg": world.sun_az, "elevation_deg": world.sun_el},
        "convoys": [{
            "length_m": round(length, 3), "vehicles": c["vehicles"],
            "head": {"lat": float(head[1]), "lon": float(head[0])},
            "tail": {"lat": float(tail[1]), "lon": float(tail[0])},
            "path": [[round(float(a), 8), round(float(b), 8)] for a, b in out_path], "path_order": "head to tail",
            "abreast_max": c["abreast_max"], "largest_gap_m": round(c["largest_gap"], 2),
            "road_surface": "asphalt", "road_width_m": 8.5}],
        "head_to_kyiv_m": round(head_kyiv, 3),
        "kyiv": {"lat": kyiv[0], "lon": kyiv[1], "source": "convoy gazetteer (GeoNames 703448)"},
        "tail_to_prybirsk_m": round(GEOD.inv(PRYBIRSK[1], PRYBIRSK[0], tail[0], tail[1])[2], 1),
        "head_to_antonov_airport_m": round(GEOD.inv(ANTONOV[1], ANTONOV[0], head[0], head[1])[2], 1),
        "road": {"length_m": round(line.length, 1), "waypoints_lat_lon": WAYPOINTS},
        "vehicles": vt,
        "distractors": dict(world.counts),
        "tiles": [t["image"] for t in tiles],
    }
    with open(os.path.join(out, "kyiv-64km.truth.json"), "w") as f:
        json.dump(truth, f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "tiles.json"), "w") as f:
        json.dump({"generator": GENERATOR, "tile_px": tile, "overlap_px": overlap, "gsd_m": gsd,
                   "crs": f"EPSG:{UTM}", "jpeg_quality": quality, "truth": "kyiv-64km.truth.json", "tiles": tiles},
                  f, indent=1)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(f"{len(tiles)} tiles, {size / 1e6:.2f} MB total in {out}; {time.time() - t0:.0f} s")
    print(f"truth: length {length / 1000:.3f} km, head {head_kyiv / 1000:.3f} km from Kyiv, "
          f"{c['vehicles']} vehicles, largest gap {c['largest_gap']:.0f} m, abreast max {c['abreast_max']}")
    if size > max_mb * 1e6:
        print(f"WARNING: {size / 1e6:.2f} MB exceeds {max_mb} MB; lower --jpeg-quality or --tile margins")
        return 1
    return 0
