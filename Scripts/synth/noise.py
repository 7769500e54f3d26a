"""Position-hashed procedural noise: the same world position always gives the same value, so
overlapping tiles and different CRS grids see the same ground."""
import numpy as np

_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xC2B2AE3D27D4EB4F)
_M3 = np.uint64(0x165667B19E3779F9)
_F1 = np.uint64(0xFF51AFD7ED558CCD)
_F2 = np.uint64(0xC4CEB9FE1A85EC53)


def hash01(ix, iy, seed):
    """Uniform [0, 1) from integer lattice coordinates (arrays or scalars) and a seed."""
    ix = np.asarray(ix)
    iy = np.asarray(iy)
    if ix.size > 4096 and iy.size == ix.size:
        # hash the lattice box once and gather: much cheaper when many samples share cells
        ix = ix.astype(np.int64, copy=False)
        iy = iy.astype(np.int64, copy=False)
        x0, x1, y0, y1 = int(ix.min()), int(ix.max()), int(iy.min()), int(iy.max())
        if (x1 - x0 + 1) * (y1 - y0 + 1) * 4 < ix.size:
            gy, gx = np.mgrid[y0:y1 + 1, x0:x1 + 1]
            table = _hash(gx, gy, seed)
            return table[iy - y0, ix - x0]
    return _hash(ix, iy, seed)


def _hash(ix, iy, seed):
    with np.errstate(over="ignore"):
        a = np.asarray(ix, dtype=np.int64).astype(np.uint64)
        b = np.asarray(iy, dtype=np.int64).astype(np.uint64)
        h = a * _M1 ^ (b * _M2) ^ (np.uint64(seed & 0xFFFFFFFF) * _M3)
        h ^= h >> np.uint64(33)
        h *= _F1
        h ^= h >> np.uint64(33)
        h *= _F2
        h ^= h >> np.uint64(33)
    return (h >> np.uint64(11)).astype(np.float64) / float(1 << 53)


def value_noise(x, y, scale, seed):
    """Smooth value noise in [0, 1) with feature size `scale` metres."""
    fx, fy = x / scale, y / scale
    ix, iy = np.floor(fx), np.floor(fy)
    tx, ty = fx - ix, fy - iy
    tx = tx * tx * (3 - 2 * tx)
    ty = ty * ty * (3 - 2 * ty)
    ix = ix.astype(np.int64)
    iy = iy.astype(np.int64)
    if ix.size > 4096:
        x0, x1, y0, y1 = int(ix.min()), int(ix.max()) + 1, int(iy.min()), int(iy.max()) + 1
        if (x1 - x0 + 1) * (y1 - y0 + 1) * 4 < ix.size:
            gy, gx = np.mgrid[y0:y1 + 1, x0:x1 + 1]
            t = _hash(gx, gy, seed)
            jx, jy = ix - x0, iy - y0
            a, b, c, d = t[jy, jx], t[jy, jx + 1], t[jy + 1, jx], t[jy + 1, jx + 1]
            return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty
    a = _hash(ix, iy, seed)
    b = _hash(ix + 1, iy, seed)
    c = _hash(ix, iy + 1, seed)
    d = _hash(ix + 1, iy + 1, seed)
    return (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty


def fbm(x, y, scale, seed, octaves=3):
    total, amp, norm = 0.0, 1.0, 0.0
    for o in range(octaves):
        total = total + amp * value_noise(x, y, scale / (2 ** o), seed + 101 * o)
        norm += amp
        amp *= 0.5
    return total / norm


def box_coverage(d, width, pix):
    """Fraction of a pixel of size `pix` centred at distance `d` from the axis of a band of
    `width` (1-D box filter): analytic anti-aliasing for thin lines and bands."""
    lo = np.maximum(d - pix / 2, -width / 2)
    hi = np.minimum(d + pix / 2, width / 2)
    return np.clip((hi - lo) / pix, 0.0, 1.0)
