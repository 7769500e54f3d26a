// GDAL's affine geotransform: the map position of every pixel of a north-up or rotated image.

/// The six-coefficient affine transform GDAL uses between pixel and map coordinates.
///
/// With (col, row) in GDAL's pixel-corner convention ((0, 0) = top-left CORNER of the top-left
/// pixel, see `PixelPoint`):
///
///     X = x0 + col * a + row * b
///     Y = y0 + col * d + row * e
///
/// X, Y are in the units of the image's CRS (metres, feet or degrees), x = easting/longitude.
/// `coefficients` is GDAL's `[x0, a, b, y0, d, e]` order (GT(0)...GT(5)). A north-up image has
/// b = d = 0 and e < 0.
public struct GeoTransform: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Map X of the top-left corner of the top-left pixel.
    public var x0: Double
    /// Map X change per column (pixel width for a north-up image).
    public var a: Double
    /// Map X change per row (row rotation, 0 for north-up).
    public var b: Double
    /// Map Y of the top-left corner of the top-left pixel.
    public var y0: Double
    /// Map Y change per column (column rotation, 0 for north-up).
    public var d: Double
    /// Map Y change per row (negative pixel height for a north-up image).
    public var e: Double

    public init(x0: Double, a: Double, b: Double, y0: Double, d: Double, e: Double) {
        self.x0 = x0
        self.a = a
        self.b = b
        self.y0 = y0
        self.d = d
        self.e = e
    }

    /// From GDAL's six-number array `[x0, a, b, y0, d, e]` (as printed by `gdalinfo -json` under
    /// "geoTransform").
    /// - Throws: `GeoError.invalidGeoTIFF` unless there are exactly six finite numbers.
    public init(coefficients: [Double]) throws {
        guard coefficients.count == 6, coefficients.allSatisfy(\.isFinite) else {
            throw GeoError.invalidGeoTIFF(reason: "a geotransform needs six finite numbers, got \(coefficients)")
        }
        self.init(x0: coefficients[0], a: coefficients[1], b: coefficients[2],
                  y0: coefficients[3], d: coefficients[4], e: coefficients[5])
    }

    /// GDAL order: `[x0, a, b, y0, d, e]`.
    public var coefficients: [Double] { [x0, a, b, y0, d, e] }

    public var description: String { "\(coefficients)" }

    /// The determinant a·e − b·d: map area per pixel (signed). Zero means not invertible.
    public var determinant: Double { a * e - b * d }

    /// True when rows and columns are aligned with the map axes (b = d = 0).
    public var isNorthUp: Bool { b == 0 && d == 0 }

    /// Map coordinates of a pixel position (pixel-corner convention).
    public func mapPoint(_ pixel: PixelPoint) -> MapPoint {
        MapPoint(x: x0 + pixel.x * a + pixel.y * b, y: y0 + pixel.x * d + pixel.y * e)
    }

    /// The inverse affine transform (map → pixel) as a GeoTransform whose "map" side is pixels.
    /// - Throws: `GeoError.singularGeoTransform` when a·e − b·d is zero or not finite.
    public func inverted() throws -> GeoTransform {
        let det = determinant
        guard det != 0, det.isFinite else { throw GeoError.singularGeoTransform(coefficients) }
        // Same algebra as GDALInvGeoTransform.
        let inverseDet = 1 / det
        return GeoTransform(x0: (b * y0 - e * x0) * inverseDet,
                            a: e * inverseDet,
                            b: -b * inverseDet,
                            y0: (-a * y0 + d * x0) * inverseDet,
                            d: -d * inverseDet,
                            e: a * inverseDet)
    }

    /// Pixel position (pixel-corner convention, fractional) of a map point.
    /// - Throws: `GeoError.singularGeoTransform` when the transform cannot be inverted.
    public func pixelPoint(_ map: MapPoint) throws -> PixelPoint {
        let det = determinant
        guard det != 0, det.isFinite else { throw GeoError.singularGeoTransform(coefficients) }
        // Offsets from the origin first: map coordinates are large (UTM northings ~5e6), so
        // subtracting before multiplying keeps the pixel position accurate to ~1e-9 pixel.
        let dx = map.x - x0, dy = map.y - y0
        return PixelPoint(x: (e * dx - b * dy) / det, y: (a * dy - d * dx) / det)
    }

    /// The transform of a world file, whose numbers refer to the CENTRE of the top-left pixel.
    ///
    /// World-file lines are A, D, B, E, C, F; GDAL converts them (GDALLoadWorldFile) with
    /// x0 = C − A/2 − B/2 and y0 = F − D/2 − E/2.
    public init(worldFile: WorldFile) {
        self.init(x0: worldFile.c - 0.5 * worldFile.a - 0.5 * worldFile.b,
                  a: worldFile.a, b: worldFile.b,
                  y0: worldFile.f - 0.5 * worldFile.d - 0.5 * worldFile.e,
                  d: worldFile.d, e: worldFile.e)
    }

    /// This transform shifted so that its origin names the centre instead of the corner of the
    /// top-left pixel, or the reverse with `by: -0.5`. GDAL applies `by: -0.5` to PixelIsPoint
    /// GeoTIFFs: x0 −= (a + b)/2, y0 −= (d + e)/2.
    func shiftingOrigin(byPixels fraction: Double) -> GeoTransform {
        GeoTransform(x0: x0 + fraction * (a + b), a: a, b: b, y0: y0 + fraction * (d + e), d: d, e: e)
    }
}
