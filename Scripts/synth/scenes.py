"""Scene content for each KIND: road network, convoys with known layout, and distractors,
drawn from a seed and a parameter profile ('tune' or 'heldout' ranges)."""
import math

from .crs import scale_factor
from .deps import np
from .geometry import (Building, Crown, Occupancy, Polyline, Road, Vehicle, World, Yard,
                       civilian_vehicle, footprint_corners, grow_road, layout_column,
                       military_vehicle, place_column)

KINDS = ("single", "multi", "none", "abreast", "gappy", "bends", "mixed")

# Parameter ranges. 'heldout' deliberately differs a little from 'tune' (wider gaps, more light
# vehicles, lower sun, more noise, denser tree rows, more abreast), so a detector tuned on the
# tuning set meets conditions it was not tuned for.
PROFILES = {
    "tune": dict(gap=(12, 45), gap_clip=(8, 100), big_gap=(100, 280), abreast=(0.10, 0.22),
                 light_frac=(0.10, 0.25), sun_el={"summer": (35, 60), "winter": (20, 34)},
                 sun_az=(125, 225), noise=(1.5, 3.5), psf=(0.5, 0.7), tree_spacing=(7, 14),
                 hedge=(0.2, 0.5), forest_thr=(0.52, 0.64), stray_gap=0.02),
    "heldout": dict(gap=(10, 60), gap_clip=(8, 100), big_gap=(110, 280), abreast=(0.15, 0.30),
                    light_frac=(0.15, 0.35), sun_el={"summer": (28, 55), "winter": (17, 30)},
                    sun_az=(110, 250), noise=(2.0, 4.5), psf=(0.55, 0.8), tree_spacing=(6, 12),
                    hedge=(0.3, 0.6), forest_thr=(0.50, 0.62), stray_gap=0.04),
}

ROOFS = [(150, 72, 56), (128, 62, 50), (120, 120, 126), (72, 72, 78), (78, 104, 84), (182, 184, 188),
         (160, 120, 90), (96, 60, 52)]


def scene_centre(seed):
    rng = np.random.default_rng([seed, 11])
    return float(rng.uniform(29.5, 31.0)), float(rng.uniform(50.3, 51.3))


def road_params(S, bends):
    if bends:
        return dict(straight=(max(12, 0.02 * S), max(40, 0.12 * S)), radius=(max(25, 0.03 * S), max(60, 0.16 * S)),
                    turn=(35, 100), maxdev=85)
    return dict(straight=(max(30, 0.05 * S), 0.4 * S), radius=(max(60, 0.08 * S), 0.8 * S), turn=(5, 35), maxdev=50)


def make_road(rng, pts, world, cls, winter):
    if cls == "main":
        width, verge, surface = rng.uniform(7, 10), rng.uniform(2, 4), "asphalt"
    elif cls == "secondary":
        width, verge = rng.uniform(6, 8), rng.uniform(1.5, 3)
        surface = ["asphalt", "concrete", "dirt"][rng.choice(3, p=[0.6, 0.15, 0.25])]
    else:
        width, verge, surface = rng.uniform(5.5, 7), rng.uniform(1, 2.5), "dirt"
    return Road(Polyline(pts, world.utm), width, verge, surface, cls,
                markings=(surface == "asphalt" and cls == "main" and rng.random() < 0.7),
                snow=(winter and surface != "dirt" and rng.random() < 0.35),
                tone=float(rng.uniform(-12, 12)))


class Frame:
    """The image footprint in UTM: bbox for content, inset polygon for truth objects."""

    def __init__(self, grid, inset):
        x, y = grid.corners_utm()
        self.poly = list(zip(x, y))            # TL, TR, BR, BL (clockwise on the map)
        self.inset = inset
        self.bbox = (min(x), min(y), max(x), max(y))
        self.S = max(self.bbox[2] - self.bbox[0], self.bbox[3] - self.bbox[1])

    def inside(self, X, Y, margin=None):
        m = self.inset if margin is None else margin
        X, Y = np.asarray(X, float), np.asarray(Y, float)
        ok = np.ones(X.shape, bool)
        n = len(self.poly)
        for i in range(n):
            ax, ay = self.poly[i]
            bx, by = self.poly[(i + 1) % n]
            L = math.hypot(bx - ax, by - ay)
            # clockwise polygon: interior is to the right of each edge
            ok &= ((bx - ax) * (Y - ay) - (by - ay) * (X - ax)) / L <= -m
        return ok

    def interval(self, road):
        ins = self.inside(road.line.pts[:, 0], road.line.pts[:, 1])
        best, run0 = (0.0, 0.0), None
        for i, v in enumerate(np.append(ins, False)):
            if v and run0 is None:
                run0 = i
            elif not v and run0 is not None:
                a, b = road.line.s[run0], road.line.s[i - 1]
                if b - a > best[1] - best[0]:
                    best = (a, b)
                run0 = None
        return best


class PlacementError(RuntimeError):
    pass


def build_world(seed, kind, season, grid, gsd, profile="tune", world_seed=None):
    """Deterministic: retries with the next derived random stream when the road network drawn
    cannot hold the convoys the kind asks for."""
    for attempt in range(20):
        try:
            return _build_world(seed, kind, season, grid, gsd, profile, world_seed, attempt)
        except PlacementError:
            continue
    raise RuntimeError(f"seed {seed}: could not place the convoys of kind {kind} in 20 road networks")


def _build_world(seed, kind, season, grid, gsd, profile, world_seed, attempt):
    prof = PROFILES[profile]
    rng = np.random.default_rng([seed, KINDS.index(kind), 0 if season == "summer" else 1, attempt])
    winter = season == "winter"
    fr = Frame(grid, inset=max(25.0, 6 * gsd))
    cx, cy = (fr.bbox[0] + fr.bbox[2]) / 2, (fr.bbox[1] + fr.bbox[3]) / 2
    from .crs import transformer
    lon0, lat0 = transformer(grid.utm, 4326).transform(cx, cy)
    k = scale_factor(grid.utm, lon0, lat0)
    world = World(seed=seed if world_seed is None else world_seed, utm=grid.utm, k=k, season=season,
                  sun_az=float(rng.uniform(*prof["sun_az"])), sun_el=float(rng.uniform(*prof["sun_el"][season])))
    world.bg = dict(ox=round(cx, -3), oy=round(cy, -3), theta=float(rng.uniform(0, math.pi)),
                    colw=float(rng.uniform(250, 550)), forest_scale=float(rng.uniform(900, 2500)),
                    forest_thr=float(rng.uniform(*prof["forest_thr"])), hedge_prob=float(rng.uniform(*prof["hedge"])),
                    fence_prob=0.15, bare_thr=float(rng.uniform(0.6, 0.75)))
    S = fr.S
    margin = 0.08 * S + 60
    bbox = (fr.bbox[0] - margin, fr.bbox[1] - margin, fr.bbox[2] + margin, fr.bbox[3] + margin)
    bends = kind == "bends" or (kind == "mixed" and rng.random() < 0.4)
    mp = road_params(S, bends)
    # ---- roads
    h = rng.uniform(0, 2 * math.pi)
    sx, sy = cx + rng.uniform(-0.12, 0.12) * S, cy + rng.uniform(-0.12, 0.12) * S
    fwd = grow_road(rng, sx, sy, h, bbox, mp)
    back = grow_road(rng, sx, sy, h + math.pi, bbox, mp)
    world.roads.append(make_road(rng, np.concatenate([back[::-1], fwd[1:]]), world, "main", winter))
    n_extra = {"multi": 3, "bends": 3, "none": 3}.get(kind, int(rng.integers(1, 4)))
    sp = road_params(S, False)
    for j in range(n_extra + 1):
        base = world.roads[int(rng.integers(len(world.roads)))]
        s = rng.uniform(0.25, 0.75) * base.line.length
        x, y, tx, ty = base.line.at(s)
        rel = math.radians(rng.uniform(45, 90)) * rng.choice([-1, 1])
        hh = math.atan2(ty, tx) + rel
        a = grow_road(rng, float(x), float(y), hh, bbox, sp)
        jn = 0
        if rng.random() < 0.5 or kind == "multi":
            b = grow_road(rng, float(x), float(y), hh + math.pi, bbox, sp)
            jn = len(b) - 1
            a = np.concatenate([b[::-1], a[1:]])
        if len(a) < 50:
            continue
        cls = "track" if j == n_extra else "secondary"
        world.roads.append(make_road(rng, a, world, cls, winter))
        world.roads[-1].junction_s = float(world.roads[-1].line.s[jn])
    occ = Occupancy()
    for i, r in enumerate(world.roads):
        occ.add_road(i, r, k)
    # ---- convoys
    n_conv = {"single": 1, "abreast": 1, "gappy": 1, "bends": 1, "none": 0,
              "multi": int(rng.integers(2, 4)), "mixed": int(rng.choice([0, 1, 1, 2]))}[kind]
    cand = [i for i, r in enumerate(world.roads) if fr.interval(r)[1] - fr.interval(r)[0] >= 260]
    order = ([0] if 0 in cand else []) + [i for i in rng.permutation(cand).tolist() if i != 0]
    if kind == "multi":
        order = [i for i in rng.permutation(cand).tolist()]
    placed = []
    for ri in order:
        if len(world.convoys) >= n_conv:
            break
        road = world.roads[ri]
        s0, s1 = fr.interval(road)
        I = s1 - s0
        p = dict(gap=prof["gap"], gap_clip=prof["gap_clip"], big_gap=prof["big_gap"], road_width=road.width,
                 light_frac=float(rng.uniform(*prof["light_frac"])), abreast=0.03, abreast_max=2,
                 stray_gap_prob=prof["stray_gap"], min_vehicles=10)
        flavour = kind if kind != "mixed" else str(rng.choice(["single", "abreast", "gappy"]))
        if flavour == "abreast":
            p.update(abreast=float(rng.uniform(*prof["abreast"])) * 1.8, abreast_max=int(rng.choice([2, 3, 3])))
        if flavour == "gappy":
            p["big_gaps"] = int(rng.integers(1, 4))
            p["big_gap"] = (prof["big_gap"][0], min(prof["big_gap"][1], max(prof["big_gap"][0] + 10, 0.25 * I)))
        if kind == "multi":
            I = I * 0.8
        cidx = len(world.convoys)
        for attempt in range(25):
            hi = 0.75 * I if kind != "multi" else 0.6 * I
            target = rng.uniform(max(200.0, 0.3 * I), max(205.0, hi)) * (0.9 ** attempt)
            target = max(target, 200.0)
            items, ab = layout_column(rng, target, p)
            b_tail = max(b + spec[1] for b, _, spec in items)
            if b_tail > I:
                continue
            direction = rng.choice([-1.0, 1.0])
            if direction > 0:
                s_head = rng.uniform(s0 + b_tail, s1)
            else:
                s_head = rng.uniform(s0, s1 - b_tail)
            if kind == "multi" and placed and road.junction_s is not None and attempt < 8 and rng.random() < 0.6:
                # columns meeting at a junction: this one's head just short of the crossing
                s_head = road.junction_s - direction * rng.uniform(25, 90)
                if not (s0 + (b_tail if direction > 0 else 0) <= s_head <= s1 - (0 if direction > 0 else b_tail)):
                    continue
            vs, b_tail, gap = place_column(world, ri, s_head, direction, items, cidx, rng=rng)
            corners = np.array([c for v in vs for c in footprint_corners(v, k)])
            if not fr.inside(corners[:, 0], corners[:, 1], margin=10.0).all():
                continue
            if placed:
                P = np.array([(v.x, v.y) for v in vs])
                Q = np.array([(v.x, v.y) for v in placed])
                dmin = np.sqrt(((P[:, None, :] - Q[None, :, :]) ** 2).sum(-1)).min()
                if dmin < 15 * k:
                    continue
            world.vehicles.extend(vs)
            placed.extend(vs)
            road.convoy = True
            world.convoys.append(dict(road=ri, s_head=float(s_head), s_tail=float(s_head - direction * b_tail),
                                      direction=float(direction), vehicles=len(vs), abreast_max=int(ab),
                                      largest_gap=float(gap), flavour=flavour))
            break
    if len(world.convoys) < n_conv:
        raise PlacementError(kind)
    add_distractors(rng, world, fr, occ, prof, kind, gsd)
    return world


def add_distractors(rng, world, fr, occ, prof, kind, gsd, dens=None):
    k = world.k
    winter = world.season == "winter"
    S = fr.S
    none = kind == "none"
    dens = dens or {}
    conv_pts = np.array([(v.x, v.y) for v in world.vehicles]) if world.vehicles else np.zeros((0, 2))

    def clear_of_convoys(x, y, r):
        if not len(conv_pts):
            return True
        return np.hypot(conv_pts[:, 0] - x, conv_pts[:, 1] - y).min() > r + 8 * k

    # ---- tree rows along roads (crowns at regular spacing)
    for ri, road in enumerate(world.roads):
        for _ in range(int(rng.integers(0, 3) + (1 if none else 0) + dens.get("tree_rows", 0))):
            if rng.random() > 0.75:
                continue
            L = road.line.length
            a = rng.uniform(0, 0.8) * L
            b = min(L, a + rng.uniform(0.15, 0.6) * L)
            spacing = rng.uniform(*prof["tree_spacing"])
            rbase = rng.uniform(1.6, 4.5)
            conifer = rng.random() < 0.25
            if winter:
                colour = (40, 54, 44) if conifer else (100, 92, 84)
            else:
                colour = (40, 62, 44) if conifer else tuple(c + rng.normal(0, 5) for c in (56, 88, 48))
            sides = [1] if rng.random() < 0.5 else [-1] if rng.random() < 0.5 else [-1, 1]
            off = road.width / 2 + road.verge + rng.uniform(1.0, 4.0) + rbase * 0.6
            ss = np.arange(a, b, spacing)
            if len(ss) < 5:
                continue
            x, y, tx, ty = road.line.at(ss)
            for side in sides:
                jit = rng.normal(0, 0.4, len(ss))
                px = x + (-ty) * side * (off + jit) * k
                py = y + tx * side * (off + jit) * k
                ok = occ.clear(px, py, rbase * k, exclude=(ri,)) & fr.inside(px, py, margin=-50)
                n = 0
                for xi, yi in zip(px[ok], py[ok]):
                    if not clear_of_convoys(xi, yi, rbase * k):
                        continue
                    world.crowns.append(Crown(float(xi), float(yi), float(rbase * rng.uniform(0.85, 1.15)),
                                              float(rng.uniform(7, 16)), conifer, colour))
                    n += 1
                if n >= 5:
                    world.counts["tree_rows"] += 1
    # ---- villages along roads
    n_vil = dens.get("villages", int(rng.integers(1, 4)) if none else int(rng.integers(0, 3)))
    for vi in range(n_vil):
        ri = int(rng.integers(len(world.roads))) if "village_road" not in dens else dens["village_road"]
        road = world.roads[ri]
        L = road.line.length
        vl = min(rng.uniform(150, 1200), 0.5 * L)
        a = rng.uniform(0, L - vl)
        if "village_at" in dens and vi < len(dens["village_at"]):
            a, vl = dens["village_at"][vi]
        xm, ym, _, _ = road.line.at(a + vl / 2)
        world.clearings.append((float(xm), float(ym), vl / 2 + 80 * k))
        ss = a
        roof_bias = rng.integers(len(ROOFS))
        while ss < a + vl:
            ss += rng.uniform(14, 32)
            x, y, tx, ty = road.line.at(ss)
            for side in (-1, 1):
                if rng.random() < 0.2:
                    continue
                bl, bw = rng.uniform(8, 16), rng.uniform(6, 11)
                set_back = road.width / 2 + road.verge + rng.uniform(4, 14) + bw / 2
                bx = float(x + (-ty) * side * set_back * k)
                by = float(y + tx * side * set_back * k)
                ang = math.atan2(ty, tx) + (math.pi / 2 if rng.random() < 0.3 else 0) + rng.normal(0, 0.05)
                rad = math.hypot(bl, bw) / 2 * k
                if not occ.clear(bx, by, rad, exclude=())[0] or not clear_of_convoys(bx, by, rad):
                    continue
                roof = ROOFS[(roof_bias + rng.integers(0, 3)) % len(ROOFS)]
                roof = tuple(c + rng.normal(0, 6) for c in roof)
                world.buildings.append(Building(bx, by, ang, bl, bw, float(rng.uniform(4, 7.5)), roof, rng.random() < 0.7))
                world.counts["buildings"] += 1
                gx = float(x + (-ty) * side * (set_back + bw / 2 + 16) * k)
                gy = float(y + tx * side * (set_back + bw / 2 + 16) * k)
                gcol = (222, 224, 230) if winter else tuple(c + rng.normal(0, 8) for c in (104, 118, 72))
                if occ.clear(gx, gy, 16 * k)[0]:
                    world.yards.append(Yard(gx, gy, math.atan2(ty, tx), rng.uniform(14, 24), 28, gcol, 10.0))
        # a parking row of civilian cars at the village
        if rng.random() < 0.6:
            x, y, tx, ty = road.line.at(a + vl * rng.uniform(0.2, 0.8))
            side = rng.choice([-1, 1])
            d = road.width / 2 + road.verge + 9
            px, py = float(x + (-ty) * side * d * k), float(y + tx * side * d * k)
            n = int(rng.integers(4, 11))
            row_ang = math.atan2(ty, tx)
            add_parked_row(rng, world, occ, px, py, row_ang, n, civilian=True, fr=fr)
    # ---- depots: military vehicles side by side in rows (long axes perpendicular to the row)
    n_dep = dens.get("depots", int(rng.integers(1, 3)) if none else int(rng.random() < 0.5))
    for _ in range(n_dep):
        for attempt in range(30):
            ln, wd = rng.uniform(60, min(170, 0.3 * S)), rng.uniform(40, min(110, 0.25 * S))
            if attempt < 20:   # beside a road, as depots and halts are
                road = world.roads[int(rng.integers(len(world.roads)))]
                x, y, tx, ty = road.line.at(rng.uniform(0, road.line.length))
                side = rng.choice([-1, 1])
                d = (road.width / 2 + road.verge + rng.uniform(15, 120) + math.hypot(ln, wd) / 2) * k
                dx, dy = float(x - ty * side * d), float(y + tx * side * d)
            else:
                dx = float(rng.uniform(fr.bbox[0], fr.bbox[2]))
                dy = float(rng.uniform(fr.bbox[1], fr.bbox[3]))
            rad = math.hypot(ln, wd) / 2 * k
            if fr.inside([dx], [dy], margin=rad)[0] and occ.clear(dx, dy, rad + 5)[0] and clear_of_convoys(dx, dy, rad):
                break
        else:
            continue
        ang = float(rng.uniform(0, math.pi))
        gcol = (200, 200, 204) if winter else (150, 146, 132)
        world.yards.append(Yard(dx, dy, ang, ln, wd, gcol, 8.0))
        world.clearings.append((dx, dy, rad + 40))
        occ.add_box(("depot", dx), dx, dy, rad)
        n_rows = int(rng.integers(1, 4))
        ca, sa = math.cos(ang), math.sin(ang)
        for r in range(n_rows):
            off = (r - (n_rows - 1) / 2) * (wd / max(n_rows, 1)) * 0.9
            px, py = dx - sa * off * k, dy + ca * off * k
            n = int(max(4, min(20, (ln - 10) / 4.5)))
            add_parked_row(rng, world, occ, px, py, ang, n, civilian=False, fr=fr, max_len=ln - 8)
    # ---- sparse civilian traffic on roads without a convoy
    for ri, road in enumerate(world.roads):
        if road.convoy:
            continue
        s = rng.uniform(50, 400)
        while s < road.line.length:
            x, y, tx, ty = road.line.at(s)
            d = 1.0 if rng.random() < 0.5 else -1.0
            lat = -d * road.width / 4
            kind_, L, W, H, col = civilian_vehicle(rng)
            vx, vy = float(x + (-ty) * lat * k), float(y + tx * lat * k)
            if fr.inside([vx], [vy], margin=-20)[0] and occ.clear(vx, vy, 0, exclude=(ri,))[0]:
                world.vehicles.append(Vehicle(vx, vy, math.atan2(ty * d, tx * d), L, W, H, kind_, col, None, False))
                world.counts["civilian_vehicles"] += 1
            s += rng.uniform(200, 800)


def add_parked_row(rng, world, occ, px, py, row_ang, n, civilian, fr, max_len=None):
    k = world.k
    specs = [civilian_vehicle(rng) if civilian else military_vehicle(rng, 0.15) for _ in range(n)]
    specs = [s for s in specs if s[0] != "civtruck"] or specs
    pitch = max(s[2] for s in specs) + rng.uniform(1.0, 2.6 if not civilian else 1.2)
    if max_len:
        n = min(len(specs), max(3, int(max_len / pitch)))
        specs = specs[:n]
    ca, sa = math.cos(row_ang), math.sin(row_ang)
    facing = row_ang + math.pi / 2 * rng.choice([-1, 1])
    placed = 0
    for i, (kind, L, W, H, col) in enumerate(specs):
        o = (i - (len(specs) - 1) / 2) * pitch
        x, y = px + ca * o * k, py + sa * o * k
        if not fr.inside([x], [y], margin=-30)[0]:
            continue
        if civilian and not occ.clear(x, y, L / 2 * k)[0]:
            continue
        world.vehicles.append(Vehicle(x, y, facing + rng.normal(0, 0.03), L, W, H, kind, col, None, True))
        placed += 1
    if placed >= 3:
        world.counts["parked_rows"] += 1
