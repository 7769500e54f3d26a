"""Render a World into a Grid: procedural ground evaluated at pixel centres, roads with analytic
(box-filter) anti-aliasing from the distance to their centre lines, objects (vehicles, crowns,
buildings, yards, shadows) supersampled inside their bounding boxes, then a sensor model
(Gaussian PSF, noise). Everything is evaluated at each pixel's UTM position, so any output CRS
shows the same ground."""
import math

from .deps import np
from .noise import box_coverage, fbm, hash01, value_noise

SS = 3  # supersampling factor per axis for objects


# ----------------------------------------------------------------------------- ground

def smooth(fn, X, Y, finest, pix):
    """fn(X, Y) for a field with no detail below `finest` metres: evaluated on a coarse lattice
    of pixels and bilinearly interpolated (fast, visually identical)."""
    n = int(finest / (4 * pix))
    if n < 2 or X.ndim != 2:
        return fn(X, Y)
    H, W = X.shape
    ri = np.unique(np.append(np.arange(0, H, n), H - 1))
    ci = np.unique(np.append(np.arange(0, W, n), W - 1))
    c = fn(X[np.ix_(ri, ci)], Y[np.ix_(ri, ci)])
    r = np.arange(H)
    j = np.clip(np.searchsorted(ri, r, side="right") - 1, 0, len(ri) - 2)
    t = ((r - ri[j]) / (ri[j + 1] - ri[j]))[:, None]
    c = c[j] * (1 - t) + c[j + 1] * t
    q = np.arange(W)
    j = np.clip(np.searchsorted(ci, q, side="right") - 1, 0, len(ci) - 2)
    t = ((q - ci[j]) / (ci[j + 1] - ci[j]))[None, :]
    return c[:, j] * (1 - t) + c[:, j + 1] * t


SUMMER_CROPS = [(96, 124, 62), (112, 140, 72), (168, 158, 108), (132, 112, 86), (104, 124, 76),
                (96, 82, 66), (150, 146, 96), (120, 132, 70), (140, 124, 98)]
WINTER_BARE = [(118, 104, 88), (104, 96, 82), (126, 118, 96)]


def ground(world, X, Y, pix):
    b, seed = world.bg, world.seed
    winter = world.season == "winter"
    c, s = math.cos(b["theta"]), math.sin(b["theta"])
    dx, dy = X - b["ox"], Y - b["oy"]
    u = dx * c + dy * s
    v = -dx * s + dy * c
    colw = b["colw"]
    iu = np.floor(u / colw)
    vv = v + hash01(iu, 7, seed) * 600.0
    Lv = 120.0 + 380.0 * hash01(iu, 11, seed)
    iv = np.floor(vv / Lv)
    h1 = hash01(iu * 7919 + iv, 3, seed)
    h2 = hash01(iu, iv, seed + 5)
    h3 = hash01(iu, iv, seed + 6)
    if winter:
        base = np.array([(228, 231, 237)] * 1, dtype=np.float32)[np.zeros(X.shape, dtype=np.int64)]
        base = base * (1 + ((h2 - 0.5) * 0.03)[..., None])
    else:
        pal = np.array(SUMMER_CROPS, dtype=np.float32)
        pal = pal * 0.65 + pal.mean(axis=1, keepdims=True) * 0.35
        base = pal[np.floor(h1 * len(pal)).astype(np.int64)]
        base = base * (1 + ((h2 - 0.5) * 0.12)[..., None])
    # furrows / drill lines, faded where they are finer than the pixel
    period = 2.0 + 6.0 * h3
    w = np.where(h2 < 0.5, u, vv)
    fade = np.clip((period / pix - 1.5) / 1.5, 0.0, 1.0)
    amp = (0.06 if winter else 0.07) * fade * (hash01(iu, iv, seed + 8) > 0.25)
    base = base * (1 + amp * np.sin(2 * math.pi * w / period))[..., None]
    # large-scale tone and soil grain
    tone = (smooth(lambda x, y: fbm(x, y, 180.0, seed + 31, 2), X, Y, 90.0, pix) - 0.5) * 0.12 \
        + (value_noise(X, Y, 6.0, seed + 33) - 0.5) * 0.05
    base = base * (1 + tone)[..., None]
    if winter:  # thawed patches
        bare = np.clip((smooth(lambda x, y: fbm(x, y, 350.0, seed + 35, 3), X, Y, 80.0, pix) - b["bare_thr"]) * 150, 0, 1)
        pal = np.array(WINTER_BARE, dtype=np.float32)
        bc = pal[np.floor(h1 * len(pal)).astype(np.int64)]
        base = base * (1 - bare[..., None]) + bc * bare[..., None]
    img = base.astype(np.float32)
    # hedges along field-column boundaries, fences along parcel ends
    ib = np.round(u / colw)
    du = np.abs(u - ib * colw)
    hedge = (hash01(ib, np.floor(v / 250.0), seed + 9) < b["hedge_prob"])
    hw = 2.0 + 2.0 * hash01(ib, 1, seed + 10)
    cov = box_coverage(du, hw, pix) * hedge
    sel = cov > 0
    hc = np.array((70, 82, 58) if winter else (48, 72, 40), dtype=np.float32)
    hc = hc * (0.8 + 0.4 * value_noise(X[sel], Y[sel], 1.5, seed + 12))[..., None]
    cs = cov[sel][..., None]
    img[sel] = img[sel] * (1 - cs) + hc * cs
    rv = vv - iv * Lv
    dv = np.minimum(rv, Lv - rv)
    fence = hash01(iu, iv, seed + 13) < b["fence_prob"]
    cov = box_coverage(dv, 0.15, pix) * fence * 0.7
    img = img * (1 - cov[..., None] * 0.5)
    # forest
    F = smooth(lambda x, y: fbm(x, y, b["forest_scale"], seed + 21, 3), X, Y, b["forest_scale"] / 4, pix)
    F = F + (smooth(lambda x, y: value_noise(x, y, 60.0, seed + 22), X, Y, 60.0, pix) - 0.5) * 0.04
    fm = np.clip((F - b["forest_thr"]) * 400.0 + 0.5, 0, 1)
    for cx, cy, r in world.clearings:
        fm = fm * np.clip((np.hypot(X - cx, Y - cy) - r) / 20.0, 0, 1)
    sel = fm > 0
    if sel.any():
        img[sel] = forest(world, X[sel], Y[sel], pix, img[sel], fm[sel])
    return img


def smooth_any(X, Y, scale, seed):
    return value_noise(X, Y, scale, seed)


def forest(world, X, Y, pix, under, fm):
    seed = world.seed
    winter = world.season == "winter"
    (sx, sy), _ = world.shadow_dir
    sx, sy = -sx, -sy  # towards the sun
    cs = 5.0
    t = float(np.clip((cs / pix - 0.8) / 1.5, 0, 1))
    if t == 0:
        # crowns well below the pixel: a mottled mean (crown cells averaged per pixel)
        cell = value_noise(X, Y, cs * 1.5, seed + 44)
        conifer = cell < 0.25 + 0.6 * smooth_any(X, Y, 500.0, seed + 45)
        best = np.full(X.shape, 0.3) + 0.4 * value_noise(X, Y, cs, seed + 46)
        lit = np.zeros(X.shape)
    else:
        fx, fy = X / cs, Y / cs
        ix, iy = np.floor(fx), np.floor(fy)
        fx = (fx - ix).astype(np.float32)          # position inside the cell, cell units
        fy = (fy - iy).astype(np.float32)
        ix, iy = ix.astype(np.int64), iy.astype(np.int64)
        # per-cell random tables over the cell range (+1 border), gathered by flat index
        x0, y0 = int(ix.min()) - 1, int(iy.min()) - 1
        tw, th = int(ix.max()) + 2 - x0, int(iy.max()) + 2 - y0
        gy, gx = np.mgrid[y0:y0 + th, x0:x0 + tw]
        tabs = [hash01(gx, gy, seed + k).astype(np.float32).ravel() for k in (41, 42, 43, 44)]
        flat = (iy - y0) * tw + (ix - x0)
        best = np.full(X.shape, -1.0, np.float32)
        lit = np.zeros(X.shape, np.float32)
        cell = np.zeros(X.shape, np.float32)
        sxf, syf = np.float32(sx), np.float32(sy)
        for ox in (-1, 0, 1):
            for oy in (-1, 0, 1):
                f = flat + (oy * tw + ox)
                ddx = fx - (ox + 0.15 + 0.7 * tabs[0][f])
                ddy = fy - (oy + 0.15 + 0.7 * tabs[1][f])
                r = 0.45 + 0.3 * tabs[2][f]
                q = 1 - (ddx * ddx + ddy * ddy) / (r * r)
                upd = q > best
                np.maximum(best, q, out=best)
                np.copyto(lit, (ddx * sxf + ddy * syf) / r, where=upd)
                np.copyto(cell, tabs[3][f], where=upd)
        conifer = cell < 0.25 + 0.6 * smooth_any(X, Y, 500.0, seed + 45)
    crown = np.clip(best * 3, 0, 1)
    shade = 0.78 + 0.35 * np.clip(lit, -1, 1) * np.sqrt(np.clip(best, 0, 1))
    if winter:
        cc = np.where(conifer[..., None], np.array([38, 52, 42], np.float32), np.array([104, 96, 88], np.float32))
        gap = np.array([84, 88, 96], np.float32)
    else:
        cc = np.where(conifer[..., None], np.array([40, 62, 42], np.float32), np.array([56, 86, 46], np.float32))
        gap = np.array([22, 32, 22], np.float32)
    val = cc * shade[..., None] * crown[..., None] + gap * (1 - crown[..., None])
    mean = cc * 0.8 * 0.75 + gap * 0.25
    val = mean + max(t, 0.35) * (val - mean)
    f = fm[..., None]
    return (under * (1 - f) + val * f).astype(np.float32)


# ----------------------------------------------------------------------------- roads

def road_colours(world, road):
    winter = world.season == "winter"
    t = road.tone
    if winter:
        verge = (236, 238, 243)
        if road.surface == "dirt" or road.snow:
            surf = (212 + t, 214 + t, 220 + t)
        else:
            surf = (98 + t, 100 + t, 104 + t)
    else:
        verge = (124, 136, 88) if road.cls != "main" else (150, 146, 128)
        surf = {"asphalt": (112 + t, 114 + t, 118 + t), "concrete": (160 + t, 158 + t, 152 + t),
                "dirt": (152 + t, 130 + t, 100 + t)}[road.surface]
    return np.array(verge, np.float32), np.array(surf, np.float32)


def road_fields(world, grid, X, Y, pix):
    """Per road: pixel window, distance (ground m) to the centre line and arc length there."""
    out = []
    k = world.k
    step = int(np.clip(round(4 * pix), 4, 12))
    for road in world.roads:
        pts = road.line.pts
        idx = np.unique(np.concatenate([np.arange(0, len(pts), step), [len(pts) - 1]]))
        P = pts[idx]
        S = road.line.s[idx]
        fr, fc = grid.utm_to_pixel(P[:, 0], P[:, 1])
        reach = (road.width / 2 + road.verge + 1.0) * k / pix + 2
        R0 = max(0, int(np.floor(fr.min() - reach)))
        R1 = min(grid.height, int(np.ceil(fr.max() + reach)))
        C0 = max(0, int(np.floor(fc.min() - reach)))
        C1 = min(grid.width, int(np.ceil(fc.max() + reach)))
        if R1 <= R0 or C1 <= C0:
            out.append(None)
            continue
        lo_r = np.minimum(fr[:-1], fr[1:]) - reach
        hi_r = np.maximum(fr[:-1], fr[1:]) + reach
        lo_c = np.minimum(fc[:-1], fc[1:]) - reach
        hi_c = np.maximum(fc[:-1], fc[1:]) + reach
        segs = np.nonzero((hi_r > 0) & (lo_r < grid.height) & (hi_c > 0) & (lo_c < grid.width))[0]
        if not len(segs):
            out.append(None)
            continue
        R0 = max(R0, int(np.floor(lo_r[segs].min())))
        R1 = min(R1, int(np.ceil(hi_r[segs].max())))
        C0 = max(C0, int(np.floor(lo_c[segs].min())))
        C1 = min(C1, int(np.ceil(hi_c[segs].max())))
        D = np.full((R1 - R0, C1 - C0), np.inf, np.float32)
        SA = np.zeros((R1 - R0, C1 - C0), np.float32)
        for i in segs:
            r0 = max(R0, int(np.floor(min(fr[i], fr[i + 1]) - reach)))
            r1 = min(R1, int(np.ceil(max(fr[i], fr[i + 1]) + reach)))
            c0 = max(C0, int(np.floor(min(fc[i], fc[i + 1]) - reach)))
            c1 = min(C1, int(np.ceil(max(fc[i], fc[i + 1]) + reach)))
            if r1 <= r0 or c1 <= c0:
                continue
            x = X[r0:r1, c0:c1]
            y = Y[r0:r1, c0:c1]
            ax, ay = P[i]
            ddx, ddy = P[i + 1] - P[i]
            L2 = ddx * ddx + ddy * ddy
            t = np.clip(((x - ax) * ddx + (y - ay) * ddy) / L2, 0, 1)
            d = np.hypot(x - ax - t * ddx, y - ay - t * ddy) / k
            sub = D[r0 - R0:r1 - R0, c0 - C0:c1 - C0]
            upd = d < sub
            sub[upd] = d[upd]
            SA[r0 - R0:r1 - R0, c0 - C0:c1 - C0][upd] = (S[i] + t * (S[i + 1] - S[i]))[upd]
        out.append((R0, R1, C0, C1, D, SA))
    return out


def draw_roads(img, world, grid, X, Y, pix):
    fields = road_fields(world, grid, X, Y, pix)
    seed = world.seed
    winter = world.season == "winter"
    sels = []
    for road, f in zip(world.roads, fields):      # verges first, so junctions keep their surface
        if f is None:
            sels.append(None)
            continue
        R0, R1, C0, C1, D, SA = f
        sel = np.nonzero(D < road.width / 2 + road.verge + pix)
        sels.append(sel)
        d = D[sel]
        x, y = X[R0:R1, C0:C1][sel], Y[R0:R1, C0:C1][sel]
        verge, _ = road_colours(world, road)
        cov = box_coverage(d, road.width + 2 * road.verge, pix)[..., None]
        tex = (1 + (value_noise(x, y, 2.0, seed + 51) - 0.5) * 0.12)[..., None]
        sub = img[R0:R1, C0:C1]
        sub[sel] = sub[sel] * (1 - cov) + verge * tex * cov
    prio = {"track": 0, "secondary": 1, "main": 2}
    order = sorted(range(len(world.roads)), key=lambda i: (prio[world.roads[i].cls], world.roads[i].convoy, i))
    for road, f, sel in [(world.roads[i], fields[i], sels[i]) for i in order]:
        if f is None:
            continue
        R0, R1, C0, C1, D, SA = f
        sel = tuple(i[D[sel] < road.width / 2 + pix] for i in sel)
        d, sa = D[sel], SA[sel]
        x, y = X[R0:R1, C0:C1][sel], Y[R0:R1, C0:C1][sel]
        _, surf = road_colours(world, road)
        hw = road.width / 2
        tex = 1 + (value_noise(x, y, 1.2, seed + 52) - 0.5) * 0.08 + (value_noise(x, y, 14.0, seed + 53) - 0.5) * 0.10
        col = surf * tex[..., None]
        if road.surface == "dirt" or road.snow:
            lane = 0.9 if road.width < 7 else road.width / 4
            rut = box_coverage(np.abs(d - lane), 0.55, pix) * 0.18
            if road.width >= 7:
                rut = rut + box_coverage(np.abs(d - lane - 1.7), 0.55, pix) * 0.12
            col = col * (1 - (rut * (1.3 if winter else 1.0))[..., None])
        if road.markings and not winter:
            sm = np.mod(sa, 9.0)
            dash = np.clip((np.minimum(sm + pix / 2, 3.0) - np.maximum(sm - pix / 2, 0.0)) / pix, 0, 1)
            m = box_coverage(d, 0.15, pix) * dash + box_coverage(np.abs(d - (hw - 0.3)), 0.15, pix)
            m = np.clip(m * 0.75, 0, 1)[..., None]
            col = col * (1 - m) + np.array([222, 222, 216], np.float32) * m
        cov = box_coverage(d, road.width, pix)[..., None]
        sub = img[R0:R1, C0:C1]
        sub[sel] = sub[sel] * (1 - cov) + col * cov


# ----------------------------------------------------------------------------- objects

def hull(points):
    pts = sorted(set(points))
    if len(pts) <= 2:
        return pts

    def cross(o, a, b):
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    lower, upper = [], []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def inside_convex(poly, X, Y):
    ok = np.ones(X.shape, bool)
    n = len(poly)
    for i in range(n):
        ax, ay = poly[i]
        bx, by = poly[(i + 1) % n]
        ok &= (bx - ax) * (Y - ay) - (by - ay) * (X - ax) >= 0
    return ok


def rect_corners(x, y, ang, L, W, k):
    c, s = math.cos(ang), math.sin(ang)
    hl, hw = L / 2 * k, W / 2 * k
    return [(x + c * a - s * b, y + s * a + c * b) for a, b in ((hl, hw), (-hl, hw), (-hl, -hw), (hl, -hw))]


def swept_shadow(corners, off):
    return hull([(round(px, 6), round(py, 6)) for px, py in corners] +
                [(round(px + off[0], 6), round(py + off[1], 6)) for px, py in corners])


def local(X, Y, x, y, ang, k):
    c, s = math.cos(ang), math.sin(ang)
    dx, dy = X - x, Y - y
    return (dx * c + dy * s) / k, (-dx * s + dy * c) / k


class Painter:
    def __init__(self, world, grid, pix):
        self.world, self.grid, self.pix = world, grid, pix
        self.k = world.k
        (self.shx, self.shy), self.shlen = world.shadow_dir

    def boxes(self, xs, ys, radii):
        fr, fc = self.grid.utm_to_pixel(np.asarray(xs, float), np.asarray(ys, float))
        rp = np.asarray(radii, float) / (self.pix * self.k) * 1.08 + 1.5
        r0 = np.clip(np.floor(fr - rp), 0, self.grid.height).astype(int)
        r1 = np.clip(np.ceil(fr + rp), 0, self.grid.height).astype(int)
        c0 = np.clip(np.floor(fc - rp), 0, self.grid.width).astype(int)
        c1 = np.clip(np.ceil(fc + rp), 0, self.grid.width).astype(int)
        return r0, r1, c0, c1

    def samples(self, r0, r1, c0, c1):
        rows = r0 + (np.arange((r1 - r0) * SS) + 0.5) / SS
        cols = c0 + (np.arange((c1 - c0) * SS) + 0.5) / SS
        return self.grid.utm_xy_sep(rows, cols)

    def paint(self, img, objs, centre, radius, fn):
        """fn(obj, X, Y) -> (alpha, rgb) on supersamples; composited with box-filter coverage."""
        if not objs:
            return
        xs, ys = zip(*[centre(o) for o in objs])
        r0, r1, c0, c1 = self.boxes(xs, ys, [radius(o) for o in objs])
        for i in np.nonzero((r1 > r0) & (c1 > c0))[0]:
            o = objs[i]
            X, Y = self.samples(r0[i], r1[i], c0[i], c1[i])
            a, rgb = fn(o, X, Y)
            if not a.any():
                continue
            nr, nc = r1[i] - r0[i], c1[i] - c0[i]
            cov = a.reshape(nr, SS, nc, SS).mean(axis=(1, 3))[..., None]
            pre = (rgb * a[..., None]).reshape(nr, SS, nc, SS, 3).mean(axis=(1, 3))
            sub = img[r0[i]:r1[i], c0[i]:c1[i]]
            sub[:] = sub * (1 - cov) + pre

    def shade_into(self, buf, objs, centre, radius, fn):
        if not objs:
            return
        xs, ys = zip(*[centre(o) for o in objs])
        r0, r1, c0, c1 = self.boxes(xs, ys, [radius(o) for o in objs])
        for i in np.nonzero((r1 > r0) & (c1 > c0))[0]:
            o = objs[i]
            X, Y = self.samples(r0[i], r1[i], c0[i], c1[i])
            a = fn(o, X, Y)
            nr, nc = r1[i] - r0[i], c1[i] - c0[i]
            cov = a.reshape(nr, SS, nc, SS).mean(axis=(1, 3))
            sub = buf[r0[i]:r1[i], c0[i]:c1[i]]
            np.maximum(sub, cov, out=sub)

    # --- shapes
    def shadow_off(self, h):
        return (self.shx * h * self.shlen * self.k, self.shy * h * self.shlen * self.k)

    def vehicle_shadow(self, v, X, Y):
        off = self.shadow_off(v.height)
        poly = swept_shadow(rect_corners(v.x, v.y, v.ang, v.length, v.width, self.k), off)
        return inside_convex(poly, X, Y).astype(np.float32)

    def building_shadow(self, b, X, Y):
        off = self.shadow_off(b.height)
        poly = swept_shadow(rect_corners(b.x, b.y, b.ang, b.length, b.width, self.k), off)
        return inside_convex(poly, X, Y).astype(np.float32)

    def crown_shadow(self, c, X, Y):
        o1 = self.shadow_off(c.h * 0.92)
        o0 = self.shadow_off(c.h * 0.55)
        ax, ay = c.x + o0[0], c.y + o0[1]
        dx, dy = o1[0] - o0[0], o1[1] - o0[1]
        L2 = dx * dx + dy * dy + 1e-9
        t = np.clip(((X - ax) * dx + (Y - ay) * dy) / L2, 0, 1)
        d = np.hypot(X - ax - t * dx, Y - ay - t * dy)
        return (d < c.r * self.k * 0.95).astype(np.float32) * (0.35 if (not c.conifer and self.world.season == "winter") else 1.0)

    def vehicle(self, v, X, Y):
        a, b = local(X, Y, v.x, v.y, v.ang, self.k)
        L, W = v.length, v.width
        body = (np.abs(a) <= L / 2) & (np.abs(b) <= W / 2)
        if v.kind in ("car", "light"):
            body &= ~((np.abs(a) > L / 2 - 0.3) & (np.abs(b) > W / 2 - 0.3))
        col = np.empty(a.shape + (3,), np.float32)
        col[:] = v.colours["body"]
        det = np.array(v.colours["detail"], np.float32)
        if v.kind in ("truck", "civtruck"):
            cab = a > L / 2 - 2.3
            col[cab] = v.colours.get("cab", tuple(1.06 * c for c in v.colours["body"]))
            col[np.abs(a - (L / 2 - 2.4)) < 0.15] = det
            cargo = a < L / 2 - 2.55
            cc = np.array(v.colours.get("cargo", tuple(0.94 * c for c in v.colours["body"])), np.float32)
            rib = 1 + 0.06 * np.sign(np.sin(2 * math.pi * a / 1.2))
            col[cargo] = cc * rib[cargo][..., None]
        elif v.kind == "tanker":
            tank = a < L / 2 - 2.5
            col[tank] = v.colours["cargo"]
            col[np.abs(a - (L / 2 - 2.4)) < 0.15] = det
        elif v.kind == "tank":
            turret = np.hypot(a + 0.4, b) < 1.35
            col[turret] = det * 1.25
            barrel = (np.abs(b) < 0.14) & (a > 0.5) & (a < L / 2)
            col[barrel] = det * 0.8
        elif v.kind == "apc":
            col[a > L / 2 - 1.2] = det * 1.15
            col[(np.abs(a + 1.0) < 0.5) & (np.abs(b) < 0.5)] = det * 0.8
        elif v.kind in ("car", "light"):
            glass = ((a > 0.35 * L / 2) & (a < 0.62 * L / 2)) | ((a < -0.55 * L / 2) & (a > -0.75 * L / 2))
            col[glass & (np.abs(b) < W / 2 - 0.15)] = (30, 34, 40)
        # side facing the sun a little brighter
        c, s = math.cos(v.ang), math.sin(v.ang)
        side = -(-s * self.shx + c * self.shy)  # sun component along the vehicle's left normal
        col *= (1 + 0.12 * side * np.clip(b / (W / 2), -1, 1))[..., None]
        return body.astype(np.float32), col

    def crown(self, c, X, Y):
        dx, dy = (X - c.x) / self.k, (Y - c.y) / self.k
        th = np.arctan2(dy, dx)
        h = hash01(int(c.x * 10), int(c.y * 10), 77)
        r = c.r * (1 + 0.1 * np.sin(5 * th + 6.28 * h) + 0.06 * np.sin(9 * th + 3 * h))
        d2 = (dx * dx + dy * dy) / (r * r)
        q = 1 - d2
        a = np.clip(q * 5, 0, 1).astype(np.float32)
        lit = (dx * -self.shx + dy * -self.shy) / c.r
        tex = value_noise(X, Y, 0.9 if not c.conifer else 0.6, 91)
        shade = 0.72 + 0.32 * np.clip(lit, -1, 1) + 0.22 * (tex - 0.5)
        col = np.array(c.colour, np.float32) * shade[..., None]
        if self.world.season == "winter" and not c.conifer:
            a = a * (0.55 + 0.3 * tex)
        return a, col

    def building(self, bld, X, Y):
        a, b = local(X, Y, bld.x, bld.y, bld.ang, self.k)
        body = (np.abs(a) <= bld.length / 2) & (np.abs(b) <= bld.width / 2)
        col = np.empty(a.shape + (3,), np.float32)
        col[:] = bld.roof
        if bld.gabled:
            c, s = math.cos(bld.ang), math.sin(bld.ang)
            side = -(-s * self.shx + c * self.shy)
            col *= (1 + 0.18 * side * np.sign(b))[..., None]
            col[np.abs(b) < 0.12] *= 0.85
        else:
            rim = (np.abs(a) > bld.length / 2 - 0.4) | (np.abs(b) > bld.width / 2 - 0.4)
            col[rim] *= 0.85
        if self.world.season == "winter" and bld.gabled:
            snow = value_noise(X, Y, 1.5, 95) > 0.35
            col[snow] = col[snow] * 0.3 + np.array([230, 232, 236], np.float32) * 0.7
        return body.astype(np.float32), col

    def yard(self, y, X, Y):
        a, b = local(X, Y, y.x, y.y, y.ang, self.k)
        body = (np.abs(a) <= y.length / 2) & (np.abs(b) <= y.width / 2)
        tex = 1 + (value_noise(X, Y, 2.5, 97) - 0.5) * y.texture / 50
        col = np.array(y.colour, np.float32) * tex[..., None]
        return body.astype(np.float32), col


def rect_radius(o, k):
    return math.hypot(o.length, o.width) / 2 * k


def render_world(world, grid, gsd):
    """Float RGB image of the world on the grid (no sensor effects)."""
    pix = float(gsd)
    H, W = grid.height, grid.width
    X, Y = grid.utm_xy_sep(np.arange(H) + 0.5, np.arange(W) + 0.5)
    img = ground(world, X, Y, pix)
    P = Painter(world, grid, pix)
    k = world.k
    ctr = lambda o: (o.x, o.y)  # noqa: E731
    P.paint(img, world.yards, ctr, lambda o: rect_radius(o, k), P.yard)
    draw_roads(img, world, grid, X, Y, pix)
    del X, Y
    shlen = P.shlen * k
    shadow = np.zeros((H, W), np.float32)
    P.shade_into(shadow, world.buildings, ctr, lambda o: rect_radius(o, k) + o.height * shlen, P.building_shadow)
    P.shade_into(shadow, world.vehicles, ctr, lambda o: rect_radius(o, k) + o.height * shlen, P.vehicle_shadow)
    P.shade_into(shadow, world.crowns, ctr, lambda o: o.r * k * 1.2 + o.h * shlen, P.crown_shadow)
    level = 0.5 if world.season == "summer" else 0.58
    tint = np.array([1.0, 1.0, 1.06] if world.season == "winter" else [1.0, 1.0, 1.03], np.float32)
    img *= (1 - shadow[..., None] * (1 - level * tint))
    del shadow
    P.paint(img, world.buildings, ctr, lambda o: rect_radius(o, k), P.building)
    P.paint(img, world.vehicles, ctr, lambda o: rect_radius(o, k), P.vehicle)
    P.paint(img, world.crowns, ctr, lambda o: o.r * k * 1.25, P.crown)
    return img


def gaussian_blur(img, sigma):
    if sigma <= 0:
        return img
    rad = max(1, int(math.ceil(3 * sigma)))
    x = np.arange(-rad, rad + 1)
    w = np.exp(-0.5 * (x / sigma) ** 2)
    w = (w / w.sum()).astype(np.float32)
    for axis in (0, 1):
        pad = [(0, 0)] * img.ndim
        pad[axis] = (rad, rad)
        p = np.pad(img, pad, mode="edge")
        out = np.zeros_like(img)
        n = img.shape[axis]
        for i, wi in enumerate(w):
            sl = [slice(None)] * img.ndim
            sl[axis] = slice(i, i + n)
            out += wi * p[tuple(sl)]
        img = out
    return img


def sensor(img, rng, psf_sigma, noise_sd, gain=1.0, offset=0.0):
    img = gaussian_blur(img, psf_sigma)
    img = img * gain + offset
    H, W, _ = img.shape
    common = rng.standard_normal((H, W, 1), dtype=np.float32)
    chan = rng.standard_normal((H, W, 3), dtype=np.float32)
    img += noise_sd * (0.8 * common + 0.6 * chan)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)
