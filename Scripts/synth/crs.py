"""Output pixel grids in UTM, EPSG:4326 and EPSG:3857, and the mapping between a grid's pixels
and the local UTM frame in which scene content is built (through PROJ, via pyproj)."""
import math
import subprocess
from functools import lru_cache

from .deps import np, pyproj

GEOD = pyproj.Geod(ellps="WGS84")


def utm_epsg(lon, lat):
    zone = int(math.floor((lon + 180.0) / 6.0)) + 1
    return (32600 if lat >= 0 else 32700) + zone


@lru_cache(maxsize=None)
def transformer(src, dst):
    return pyproj.Transformer.from_crs(f"EPSG:{src}", f"EPSG:{dst}", always_xy=True)


@lru_cache(maxsize=None)
def esri_wkt(epsg):
    out = subprocess.run(["gdalsrsinfo", "-o", "wkt_esri", f"EPSG:{epsg}"], check=True,
                         capture_output=True, text=True).stdout
    return "".join(line.strip() for line in out.splitlines() if line.strip())


def scale_factor(utm, lon, lat):
    """UTM units per ground metre at (lon, lat) (transverse Mercator point scale)."""
    return pyproj.Proj(f"EPSG:{utm}").get_factors(lon, lat).meridional_scale


class Grid:
    """A north-up raster grid: GDAL geotransform [x0, px, 0, y0, 0, -py] in `epsg`, plus the
    local UTM frame (`utm`) of the scene content."""

    NODE = 8  # pixels between exactly projected nodes; bilinear in between (error < 1 mm)

    def __init__(self, epsg, x0, y0, px, py, width, height, utm):
        self.epsg, self.x0, self.y0, self.px, self.py = epsg, x0, y0, px, py
        self.width, self.height, self.utm = width, height, utm
        self.affine = epsg == utm
        if not self.affine:
            n = self.NODE
            self.node_r = np.arange(0, height + n, n, dtype=np.float64)
            self.node_c = np.arange(0, width + n, n, dtype=np.float64)
            cc, rr = np.meshgrid(self.node_c, self.node_r)
            self.node_x, self.node_y = self.exact_utm(rr, cc)

    @property
    def geotransform(self):
        return [self.x0, self.px, 0.0, self.y0, 0.0, -self.py]

    def crs_xy(self, fr, fc):
        """CRS coordinates of fractional pixel positions (0, 0 = outer top-left corner)."""
        return self.x0 + np.asarray(fc) * self.px, self.y0 - np.asarray(fr) * self.py

    def exact_utm(self, fr, fc):
        x, y = self.crs_xy(fr, fc)
        if self.affine:
            return x, y
        return transformer(self.epsg, self.utm).transform(x, y)

    def utm_xy(self, fr, fc):
        """Local UTM position of fractional pixel positions (vectorised)."""
        if self.affine:
            return self.crs_xy(fr, fc)
        fr = np.asarray(fr, dtype=np.float64)
        fc = np.asarray(fc, dtype=np.float64)
        n = self.NODE
        i = np.clip(np.floor(fr / n).astype(np.int64), 0, len(self.node_r) - 2)
        j = np.clip(np.floor(fc / n).astype(np.int64), 0, len(self.node_c) - 2)
        ty = fr / n - i
        tx = fc / n - j
        out = []
        for g in (self.node_x, self.node_y):
            a, b, c, d = g[i, j], g[i, j + 1], g[i + 1, j], g[i + 1, j + 1]
            out.append((a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty)
        return out[0], out[1]

    def utm_xy_sep(self, rows, cols):
        """UTM positions on the lattice rows x cols (1-D fractional pixel coordinates), as
        (len(rows), len(cols)) arrays: separable bilinear interpolation of the projected nodes."""
        rows = np.asarray(rows, dtype=np.float64)
        cols = np.asarray(cols, dtype=np.float64)
        if self.affine:
            shape = (len(rows), len(cols))
            return (np.broadcast_to(self.x0 + cols * self.px, shape),
                    np.broadcast_to((self.y0 - rows * self.py)[:, None], shape))
        n = self.NODE
        i = np.clip(np.floor(rows / n).astype(np.int64), 0, len(self.node_r) - 2)
        ty = (rows / n - i)[:, None]
        j = np.clip(np.floor(cols / n).astype(np.int64), 0, len(self.node_c) - 2)
        tx = (cols / n - j)[None, :]
        out = []
        for g in (self.node_x, self.node_y):
            a = g[i] * (1 - ty) + g[i + 1] * ty          # (len(rows), n_node_cols)
            out.append(a[:, j] * (1 - tx) + a[:, j + 1] * tx)
        return out[0], out[1]

    def utm_to_pixel(self, x, y):
        """Fractional (row, col) of UTM positions."""
        if self.affine:
            cx, cy = np.asarray(x), np.asarray(y)
        else:
            cx, cy = transformer(self.utm, self.epsg).transform(x, y)
        return (self.y0 - np.asarray(cy)) / self.py, (np.asarray(cx) - self.x0) / self.px

    def corners_utm(self):
        fr = np.array([0, 0, self.height, self.height], dtype=float)
        fc = np.array([0, self.width, self.width, 0], dtype=float)
        return self.exact_utm(fr, fc)

    def corners_lonlat(self):
        """Outer corners [lon, lat]: top-left, top-right, bottom-right, bottom-left."""
        fr = np.array([0, 0, self.height, self.height], dtype=float)
        fc = np.array([0, self.width, self.width, 0], dtype=float)
        x, y = self.crs_xy(fr, fc)
        lon, lat = transformer(self.epsg, 4326).transform(x, y)
        return [[float(a), float(b)] for a, b in zip(lon, lat)]


def make_grid(crs, lon0, lat0, gsd, width, height, utm=None):
    """Grid of `width` x `height` pixels centred on (lon0, lat0) with ground sample distance
    `gsd` metres at the centre. crs: 'utm' (pixel = gsd UTM metres), '3857' (gsd / cos(lat)
    Web Mercator units) or '4326' (gsd/111320/cos(lat) by gsd/110574 degrees)."""
    utm = utm or utm_epsg(lon0, lat0)
    if crs == "utm":
        epsg = utm
        cx, cy = transformer(4326, utm).transform(lon0, lat0)
        px = py = float(gsd)
        q = px  # snap the corner to whole pixels of the zone's grid
    elif crs == "3857":
        epsg = 3857
        cx, cy = transformer(4326, 3857).transform(lon0, lat0)
        px = py = gsd / math.cos(math.radians(lat0))
        q = 0.01
    elif crs == "4326":
        epsg = 4326
        cx, cy = lon0, lat0
        px = gsd / 111320.0 / math.cos(math.radians(lat0))
        py = gsd / 110574.0
        q = 1e-7
    else:
        raise ValueError(f"unknown crs {crs!r} (utm, 4326, 3857)")
    x0 = round((cx - width / 2 * px) / q) * q
    y0 = round((cy + height / 2 * py) / q) * q
    return Grid(epsg, x0, y0, px, py, width, height, utm)
