"""Scene content in metres in a local UTM frame: roads (straights and circular arcs, junctions),
convoys laid out along roads, and distractors (tree rows, villages, depots with vehicles side
by side, civilian traffic). Angles are mathematical (radians, 0 = UTM east, counter-clockwise);
lengths of things on the ground are ground metres and are converted to UTM units with the
scale factor `k` of the frame."""
import math
from dataclasses import dataclass, field

from .crs import GEOD, transformer
from .deps import np


class Polyline:
    """Densely sampled centre line in UTM metres with cumulative WGS84 geodesic length `s`."""

    def __init__(self, pts, utm):
        self.pts = np.asarray(pts, dtype=np.float64)
        self.utm = utm
        self.lon, self.lat = transformer(utm, 4326).transform(self.pts[:, 0], self.pts[:, 1])
        _, _, d = GEOD.inv(self.lon[:-1], self.lat[:-1], self.lon[1:], self.lat[1:])
        self.s = np.concatenate([[0.0], np.cumsum(d)])

    @property
    def length(self):
        return float(self.s[-1])

    def at(self, s):
        """UTM position and unit tangent at geodesic arc length(s) s."""
        s = np.asarray(s, dtype=np.float64)
        x = np.interp(s, self.s, self.pts[:, 0])
        y = np.interp(s, self.s, self.pts[:, 1])
        i = np.clip(np.searchsorted(self.s, s, side="right") - 1, 0, len(self.s) - 2)
        t = self.pts[i + 1] - self.pts[i]
        t = t / np.linalg.norm(t, axis=-1, keepdims=True)
        return x, y, t[..., 0], t[..., 1]

    def section_lonlat(self, s0, s1):
        """[lon, lat] vertices of the centre line from s0 to s1 (either order), ends interpolated."""
        lo, hi = min(s0, s1), max(s0, s1)
        inner = np.nonzero((self.s > lo) & (self.s < hi))[0]
        x0, y0, _, _ = self.at(lo)
        x1, y1, _, _ = self.at(hi)
        xs = np.concatenate([[x0], self.pts[inner, 0], [x1]])
        ys = np.concatenate([[y0], self.pts[inner, 1], [y1]])
        lon, lat = transformer(self.utm, 4326).transform(xs, ys)
        path = np.stack([lon, lat], axis=1)
        return path if s0 <= s1 else path[::-1]


def turn_path(x, y, heading, pieces, step=1.0):
    """Points of a path made of (length, curvature) pieces starting at (x, y, heading)."""
    hs = []
    h = heading
    for length, curv in pieces:
        n = max(1, int(round(length / step)))
        dh = curv * step
        hs.append(h + dh * np.arange(1, n + 1))
        h = hs[-1][-1]
    hs = np.concatenate(hs)
    xs = x + np.cumsum(step * np.cos(hs))
    ys = y + np.cumsum(step * np.sin(hs))
    return np.concatenate([[[x, y]], np.stack([xs, ys], axis=1)]), h


def grow_road(rng, x, y, heading, bbox, p, max_len=1e9):
    """Grow a road of straights and circular arcs from (x, y) until it leaves `bbox`
    (xmin, ymin, xmax, ymax). p: straight (min, max) m, radius (min, max) m, turn (min, max) deg,
    maxdev deg (how far the heading may drift from the initial heading)."""
    target = heading
    pts = [np.array([[x, y]])]
    total = 0.0
    h = heading
    while total < max_len:
        pieces = [(rng.uniform(*p["straight"]), 0.0)]
        R = rng.uniform(*p["radius"])
        turn = math.radians(rng.uniform(*p["turn"]))
        dev = (h - target + math.pi) % (2 * math.pi) - math.pi
        if abs(dev) + turn > math.radians(p["maxdev"]):
            sign = -1.0 if dev > 0 else 1.0
        else:
            sign = rng.choice([-1.0, 1.0])
        pieces.append((R * turn, sign / R))
        seg, h = turn_path(pts[-1][-1, 0], pts[-1][-1, 1], h, pieces)
        pts.append(seg[1:])
        total += sum(l for l, _ in pieces)
        last = seg[-1]
        if not (bbox[0] <= last[0] <= bbox[2] and bbox[1] <= last[1] <= bbox[3]):
            break
    pts = np.concatenate(pts)
    inside = (pts[:, 0] >= bbox[0]) & (pts[:, 0] <= bbox[2]) & (pts[:, 1] >= bbox[1]) & (pts[:, 1] <= bbox[3])
    out = np.nonzero(~inside)[0]
    if len(out):
        pts = pts[: out[0] + 1]
    return pts


@dataclass
class Road:
    line: Polyline
    width: float          # ground metres
    verge: float          # each side, ground metres
    surface: str          # asphalt | concrete | dirt
    cls: str              # main | secondary | track
    markings: bool = False
    snow: bool = False    # surface under packed snow
    tone: float = 0.0     # brightness offset
    convoy: bool = False
    junction_s: float = None  # arc length where this road meets the road it branches from


@dataclass
class Vehicle:
    x: float
    y: float
    ang: float            # heading, math angle in the UTM frame
    length: float
    width: float
    height: float
    kind: str             # tank | truck | apc | tanker | light | car | civtruck
    colours: dict
    convoy: object = None
    parked: bool = False


@dataclass
class Crown:
    x: float
    y: float
    r: float
    h: float
    conifer: bool
    colour: tuple


@dataclass
class Building:
    x: float
    y: float
    ang: float
    length: float
    width: float
    height: float
    roof: tuple
    gabled: bool


@dataclass
class Yard:
    x: float
    y: float
    ang: float
    length: float
    width: float
    colour: tuple
    texture: float = 6.0


@dataclass
class World:
    seed: int
    utm: int
    k: float
    season: str
    sun_az: float            # degrees from north, clockwise
    sun_el: float            # degrees
    bg: dict = field(default_factory=dict)
    roads: list = field(default_factory=list)
    vehicles: list = field(default_factory=list)
    crowns: list = field(default_factory=list)
    buildings: list = field(default_factory=list)
    yards: list = field(default_factory=list)
    clearings: list = field(default_factory=list)   # (x, y, r): no forest
    convoys: list = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"parked_rows": 0, "tree_rows": 0,
                                                  "civilian_vehicles": 0, "buildings": 0})

    @property
    def shadow_dir(self):
        """Unit vector (UTM) pointing away from the sun, and shadow length per metre of height."""
        az = math.radians(self.sun_az + 180.0)
        return (math.sin(az), math.cos(az)), 1.0 / math.tan(math.radians(self.sun_el))


class Occupancy:
    """Cells (5 m) near road surfaces, to keep clutter off roads."""

    C = 5.0

    def __init__(self):
        self.keys = {}

    @staticmethod
    def _key(ix, iy):
        return ix.astype(np.int64) * 10_000_019 + iy.astype(np.int64)

    def add_road(self, idx, road, k, margin=2.0):
        pts = road.line.pts[::2]
        r = (road.width / 2 + road.verge + margin) * k
        n = int(math.ceil(r / self.C))
        ix = np.floor(pts[:, 0] / self.C).astype(np.int64)
        iy = np.floor(pts[:, 1] / self.C).astype(np.int64)
        keys = []
        for dx in range(-n, n + 1):
            for dy in range(-n, n + 1):
                cx = (ix + dx + 0.5) * self.C
                cy = (iy + dy + 0.5) * self.C
                near = np.hypot(cx - pts[:, 0], cy - pts[:, 1]) <= r + self.C * 0.71
                keys.append(self._key(ix[near] + dx, iy[near] + dy))
        self.keys[idx] = np.unique(np.concatenate(keys))

    def add_box(self, idx, x, y, half):
        n = int(math.ceil(half / self.C))
        ix0, iy0 = int(math.floor(x / self.C)), int(math.floor(y / self.C))
        g = np.arange(-n, n + 1)
        gx, gy = np.meshgrid(ix0 + g, iy0 + g)
        self.keys[idx] = np.unique(self._key(gx.ravel(), gy.ravel()))

    def clear(self, x, y, radius=0.0, exclude=()):
        """True where the disc (x, y, radius) touches no occupied cell (except `exclude`)."""
        x = np.atleast_1d(np.asarray(x, dtype=np.float64))
        y = np.atleast_1d(np.asarray(y, dtype=np.float64))
        ok = np.ones(len(x), dtype=bool)
        ck = (tuple(sorted(map(str, exclude))), len(self.keys))
        if getattr(self, "_cache_key", None) != ck:
            occ = [v for kk, v in self.keys.items() if kk not in exclude]
            self._cache = np.unique(np.concatenate(occ)) if occ else np.zeros(0, np.int64)
            self._cache_key = ck
        occ = self._cache
        if not len(occ):
            return ok
        offs = [(0.0, 0.0)]
        if radius > 0:
            offs += [(radius * math.cos(a), radius * math.sin(a)) for a in np.linspace(0, 2 * math.pi, 8, endpoint=False)]
        for ox, oy in offs:
            kx = np.floor((x + ox) / self.C).astype(np.int64)
            ky = np.floor((y + oy) / self.C).astype(np.int64)
            q = self._key(kx, ky)
            j = np.minimum(np.searchsorted(occ, q), len(occ) - 1)
            ok &= occ[j] != q
        return ok


# ----------------------------------------------------------------------------- vehicles

MIL_DARK = [(58, 64, 48), (52, 58, 46), (66, 68, 62), (72, 70, 56), (48, 52, 50), (80, 78, 66)]
MIL_LIGHT = [(168, 156, 122), (150, 140, 106), (186, 176, 146), (140, 136, 118)]
CIV = [(230, 230, 228), (200, 202, 205), (160, 162, 166), (30, 30, 34), (150, 30, 30), (40, 60, 120),
       (235, 235, 230), (90, 90, 95), (120, 110, 90)]


def military_vehicle(rng, light_frac=0.2, mix=None):
    mix = mix or {"truck": 0.5, "apc": 0.2, "tank": 0.15, "tanker": 0.07, "light": 0.08}
    kinds = list(mix)
    kind = kinds[rng.choice(len(kinds), p=np.array(list(mix.values())) / sum(mix.values()))]
    dark = MIL_DARK[rng.integers(len(MIL_DARK))]
    body = tuple(c + rng.normal(0, 4) for c in dark)
    colours = {"body": body, "detail": tuple(0.8 * c for c in body)}
    if kind == "tank":
        L, W, H = rng.uniform(6.7, 7.4), rng.uniform(3.3, 3.5), 2.3
    elif kind == "truck":
        L, W, H = rng.uniform(8.0, 12.0), rng.uniform(2.45, 2.55), rng.uniform(2.9, 3.4)
    elif kind == "apc":
        L, W, H = rng.uniform(6.8, 7.6), rng.uniform(2.9, 3.15), 2.3
    elif kind == "tanker":
        L, W, H = rng.uniform(9.0, 11.5), rng.uniform(2.5, 2.55), 3.1
        colours["cargo"] = tuple(c + rng.normal(0, 5) for c in (118, 122, 112))
    else:
        L, W, H = rng.uniform(5.0, 5.7), rng.uniform(2.4, 2.5), 2.0
    if rng.random() < light_frac:
        lc = MIL_LIGHT[rng.integers(len(MIL_LIGHT))]
        if kind == "truck" and rng.random() < 0.5:
            colours["cab"] = (228, 228, 222)           # white cab roof
        elif kind in ("truck", "tanker"):
            colours["cargo"] = lc                       # tarpaulin / tank
        else:
            colours["body"] = lc                        # sand paint
            colours["detail"] = tuple(0.85 * c for c in lc)
    return kind, L, W, H, colours


def civilian_vehicle(rng):
    if rng.random() < 0.12:
        L, W, H, kind = rng.uniform(10, 16), 2.5, 3.6, "civtruck"
    else:
        L, W, H, kind = rng.uniform(4.1, 4.9), rng.uniform(1.7, 1.9), 1.5, "car"
    c = CIV[rng.integers(len(CIV))]
    return kind, L, W, H, {"body": tuple(float(v) for v in c), "detail": tuple(0.6 * v for v in c)}


def layout_column(rng, target_len, p):
    """Vehicles of a column in road coordinates: b = distance behind the head (front of lead),
    lateral offset (ground m, + = left of travel). Returns list of (b_front, lateral, spec) and
    stats. p: gap (min, max) typical gap m, big_gaps n, big_gap (min, max) m, abreast: prob of an
    abreast stretch starting at a rank, abreast_max 1..3, road_width, light_frac, min_vehicles."""
    out = []
    b = 0.0
    n_ranks = 0
    base = rng.uniform(*p["gap"])
    abreast_left = 0
    abreast_n = 1
    abreast_seen = 1
    gaps = []
    # big gaps at chosen fractions of the target length
    big = sorted(rng.uniform(0.15, 0.85, p.get("big_gaps", 0)) * target_len)
    while True:
        if abreast_left == 0 and p.get("abreast_max", 1) > 1 and rng.random() < p.get("abreast", 0.0):
            abreast_n = int(rng.integers(2, p["abreast_max"] + 1))
            abreast_left = int(rng.integers(3, 9))
        n = abreast_n if abreast_left > 0 else 1
        if abreast_left > 0:
            abreast_left -= 1
            if abreast_left == 0:
                abreast_n = 1
        specs = [military_vehicle(rng, p.get("light_frac", 0.2), p.get("mix")) for _ in range(n)]
        widths = [s[2] for s in specs]
        if n == 1:
            lim = max(0.0, p["road_width"] / 2 - widths[0] / 2 - 0.3)
            lats = [float(np.clip(rng.normal(0, 0.5), -lim, lim))]
        else:
            pitch = max(widths) + rng.uniform(0.6, 1.4)
            lats = [(i - (n - 1) / 2) * pitch + rng.normal(0, 0.2) for i in range(n)]
        rank_len = 0.0
        for spec, lat in zip(specs, lats):
            jitter = rng.uniform(0, 2.5) if n > 1 else 0.0
            out.append((b + jitter, lat, spec))
            rank_len = max(rank_len, jitter + spec[1])
        abreast_seen = max(abreast_seen, n)
        n_ranks += 1
        b_rear = b + rank_len
        if b_rear >= target_len and len(out) >= p.get("min_vehicles", 10):
            break
        if big and b_rear >= big[0]:
            big.pop(0)
            gap = rng.uniform(*p["big_gap"])
        else:
            gap = float(np.clip(base * rng.lognormal(0, 0.35), p["gap_clip"][0], p["gap_clip"][1]))
            if rng.random() < p.get("stray_gap_prob", 0.0):
                gap = rng.uniform(100, 160)
        gaps.append(gap)
        b = b_rear + gap
    return out, abreast_seen


def place_column(world, road_idx, s_head, direction, items, cidx, yaw_sd=1.5, rng=None):
    """Put column items (from layout_column) on road `road_idx` with the head (front of the lead
    vehicle) at arc length s_head, travelling towards increasing s if direction > 0."""
    road = world.roads[road_idx]
    line, k = road.line, world.k
    vs = []
    intervals = []
    rng = rng if rng is not None else np.random.default_rng([cidx, 7])
    yaws = rng.normal(0, yaw_sd, len(items))
    for (b_front, lat, (kind, L, W, H, colours)), yaw in zip(items, yaws):
        s_c = s_head - direction * (b_front + L / 2)
        x, y, tx, ty = line.at(s_c)
        tx, ty = float(tx) * direction, float(ty) * direction
        nx, ny = -ty, tx
        ang = math.atan2(ty, tx) + math.radians(yaw)
        vs.append(Vehicle(float(x) + nx * lat * k, float(y) + ny * lat * k, ang, L, W, H, kind, colours, cidx, False))
        intervals.append((b_front, b_front + L))
    b_tail = max(e for _, e in intervals)
    # largest gap along the road between consecutive occupied intervals
    iv = sorted(intervals)
    largest, reach = 0.0, iv[0][1]
    for a, e in iv[1:]:
        if a > reach:
            largest = max(largest, a - reach)
        reach = max(reach, e)
    return vs, b_tail, largest


def footprint_corners(v, k, grow=0.0):
    c, s = math.cos(v.ang), math.sin(v.ang)
    hl, hw = (v.length / 2 + grow) * k, (v.width / 2 + grow) * k
    return [(v.x + c * a - s * b, v.y + s * a + c * b) for a, b in ((hl, hw), (hl, -hw), (-hl, -hw), (-hl, hw))]
