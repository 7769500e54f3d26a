"""Ground truth from the same geometry that is rendered: column paths along road centre lines,
lengths as sums of WGS84 geodesic segments (Karney, via pyproj.Geod)."""
import math

from . import GENERATOR
from .crs import GEOD, transformer
from .deps import np


def simplify(pts, tol):
    """Douglas-Peucker (iterative) on (N, 2) points; returns kept indices."""
    n = len(pts)
    keep = np.zeros(n, bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        p, q = pts[a], pts[b]
        seg = pts[a + 1:b]
        d = q - p
        L = math.hypot(d[0], d[1])
        if L == 0:
            dist = np.hypot(seg[:, 0] - p[0], seg[:, 1] - p[1])
        else:
            dist = np.abs(d[0] * (seg[:, 1] - p[1]) - d[1] * (seg[:, 0] - p[0])) / L
        i = int(np.argmax(dist))
        if dist[i] > tol:
            m = a + 1 + i
            keep[m] = True
            stack.append((a, m))
            stack.append((m, b))
    return np.nonzero(keep)[0]


def geodesic_length(path):
    path = np.asarray(path)
    return float(GEOD.line_length(path[:, 0], path[:, 1]))


def compact_path(path, utm, rel=2e-5):
    """Fewer vertices for JSON, keeping the geodesic polyline length within `rel` (0.002 %)."""
    full = geodesic_length(path)
    x, y = transformer(4326, utm).transform(path[:, 0], path[:, 1])
    pts = np.stack([x, y], axis=1)
    tol = 0.02
    while True:
        idx = simplify(pts, tol)
        out = path[idx]
        if abs(geodesic_length(out) - full) <= rel * full or tol < 1e-4:
            return out
        tol /= 3


def convoy_truth(world, c):
    road = world.roads[c["road"]]
    path = road.line.section_lonlat(c["s_head"], c["s_tail"])   # head -> tail
    length = geodesic_length(path)
    out = compact_path(path, world.utm)
    return {
        "length_m": round(length, 3),
        "vehicles": c["vehicles"],
        "head": {"lat": float(path[0, 1]), "lon": float(path[0, 0])},
        "tail": {"lat": float(path[-1, 1]), "lon": float(path[-1, 0])},
        "path": [[round(float(a), 8), round(float(b), 8)] for a, b in out],
        "path_order": "head to tail",
        "abreast_max": c["abreast_max"],
        "largest_gap_m": round(c["largest_gap"], 2),
        "road_surface": road.surface,
        "road_width_m": round(road.width, 2),
        "flavour": c.get("flavour"),
    }


def vehicles_truth(world):
    vs = world.vehicles
    if not vs:
        return []
    x = np.array([v.x for v in vs])
    y = np.array([v.y for v in vs])
    ang = np.array([v.ang for v in vs])
    t = transformer(world.utm, 4326)
    lon, lat = t.transform(x, y)
    lon2, lat2 = t.transform(x + np.cos(ang), y + np.sin(ang))
    az, _, _ = GEOD.inv(lon, lat, lon2, lat2)
    out = []
    for i, v in enumerate(vs):
        out.append({"lon": round(float(lon[i]), 8), "lat": round(float(lat[i]), 8),
                    "heading_deg": round(float(az[i]) % 360.0, 2), "length_m": round(v.length, 2),
                    "width_m": round(v.width, 2), "type": v.kind, "convoy": v.convoy, "parked": v.parked})
    return out


def ground_pixel(grid):
    """Geodesic width and height of the centre pixel of the actual grid, metres."""
    fr = np.array([grid.height / 2, grid.height / 2, grid.height / 2 + 1])
    fc = np.array([grid.width / 2, grid.width / 2 + 1, grid.width / 2])
    x, y = grid.crs_xy(fr, fc)
    lon, lat = transformer(grid.epsg, 4326).transform(x, y)
    _, _, dx = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    _, _, dy = GEOD.inv(lon[0], lat[0], lon[2], lat[2])
    return [round(float(dx), 5), round(float(dy), 5)]


def scene_truth(world, grid, meta):
    d = {"generator": GENERATOR}
    d.update(meta)
    d.update({
        "crs": f"EPSG:{grid.epsg}",
        "width": grid.width, "height": grid.height,
        "geotransform": grid.geotransform,
        "corners": grid.corners_lonlat(),
        "ground_pixel_m": ground_pixel(grid),
        "local_utm": f"EPSG:{world.utm}",
        "sun": {"azimuth_deg": round(world.sun_az, 2), "elevation_deg": round(world.sun_el, 2)},
        "convoys": [convoy_truth(world, c) for c in world.convoys],
        "vehicles": vehicles_truth(world),
        "distractors": dict(world.counts),
    })
    return d
