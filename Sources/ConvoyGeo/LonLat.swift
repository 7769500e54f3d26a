// The coordinate types shared by the whole library: a WGS84 position, a point in an image and a
// point in a CRS's own map units. Kept as plain value types so they cross concurrency domains.

/// A position on the WGS84 ellipsoid (EPSG:4326), longitude first as in GIS software.
///
/// - `lon`: longitude in decimal degrees, east positive; any value is accepted by the geodesic
///   routines, values produced by this library are in [-180, 180].
/// - `lat`: latitude in decimal degrees, north positive, in [-90, 90].
public struct LonLat: Sendable, Hashable, Codable, CustomStringConvertible {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }

    /// `[lon, lat]`, the GeoJSON order.
    public var pair: [Double] { [lon, lat] }

    /// True when both values are finite and the latitude is in [-90, 90] and longitude in [-180, 180].
    public var isValid: Bool {
        lat.isFinite && lon.isFinite && (-90...90).contains(lat) && (-180...180).contains(lon)
    }

    public var description: String { "(\(lat), \(lon))" }
}

/// A position in an image, in pixels, using GDAL's pixel-corner convention.
///
/// `x` is the column direction (to the right), `y` the row direction (down). (0, 0) is the
/// top-left CORNER of the top-left pixel, so the centre of pixel (column i, row j) is
/// (i + 0.5, j + 0.5) and (width, height) is the bottom-right corner of the image.
public struct PixelPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The centre of the pixel at integer column `column`, row `row`.
    public static func centre(column: Int, row: Int) -> PixelPoint {
        PixelPoint(x: Double(column) + 0.5, y: Double(row) + 0.5)
    }
}

/// A position in a CRS's own axes and units, normalised to GIS order: `x` is easting (or
/// longitude for a geographic CRS), `y` northing (or latitude). Units are the CRS's units
/// (metres, US survey feet, degrees, ...), see `CoordinateReferenceSystem.unitName`.
public struct MapPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}
