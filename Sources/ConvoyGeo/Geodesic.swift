// Distances and bearings on the WGS84 ellipsoid: Karney's algorithms as shipped in PROJ's
// geodesic.h (accurate to ~15 nm, valid for any pair of points including antipodes and poles).

/// Geodesics (shortest paths) on an ellipsoid of revolution, WGS 84 by default.
///
/// Conventions, as in GeographicLib's geodesic.h:
/// - latitudes in degrees, in [-90, 90]; a latitude outside that range gives NaN results;
/// - longitudes in degrees, any value (they are reduced modulo 360);
/// - distances in metres along the ellipsoid surface (no heights, no terrain);
/// - azimuths in degrees clockwise from north, in (-180, 180] (e.g. -90 is due west).
///   `GeodesicLine.initialBearing` gives the same direction as a compass bearing in [0, 360),
///   which is what the command-line output calls `bearing_deg`.
public struct Geodesic: Sendable {
    /// Equatorial radius in metres.
    public let equatorialRadius: Double
    /// Flattening (a - b) / a; 0 for a sphere.
    public let flattening: Double
    private let solver: GeodesicSolver

    /// WGS 84: a = 6378137 m, f = 1/298.257223563 (the ellipsoid of EPSG:4326 and GPS).
    public static let wgs84 = Geodesic(equatorialRadius: 6_378_137, flattening: 1 / 298.257223563)

    /// - Parameters:
    ///   - equatorialRadius: a, in metres, > 0.
    ///   - flattening: f = (a - b) / a, dimensionless; 0 for a sphere, negative for a prolate ellipsoid.
    public init(equatorialRadius: Double, flattening: Double) {
        self.equatorialRadius = equatorialRadius
        self.flattening = flattening
        solver = GeodesicSolver(equatorialRadius: equatorialRadius, flattening: flattening)
    }

    /// The result of the inverse problem between two points.
    public struct Line: Sendable, Equatable {
        /// Length of the geodesic in metres, ≥ 0.
        public let distance: Double
        /// Azimuth of the geodesic at the first point, degrees clockwise from north in (-180, 180].
        public let initialAzimuth: Double
        /// Azimuth at the second point (direction of travel on arrival), degrees in (-180, 180].
        public let finalAzimuth: Double

        /// `initialAzimuth` as a compass bearing in [0, 360): 0 north, 90 east, 180 south, 270 west.
        public var initialBearing: Double { Geodesic.bearing(fromAzimuth: initialAzimuth) }
    }

    /// Solves the inverse problem: the shortest path from `start` to `end`.
    ///
    /// - Parameters:
    ///   - start: first point; latitude in [-90, 90] degrees, longitude any.
    ///   - end: second point; same ranges.
    /// - Returns: distance in metres and azimuths in degrees; for coincident points the distance
    ///   is 0 and the azimuths are those of a meridian (0 or 180).
    public func inverse(from start: LonLat, to end: LonLat) -> Line {
        let result = solver.inverse(lat1: start.lat, lon1: start.lon, lat2: end.lat, lon2: end.lon)
        return Line(distance: result.distance, initialAzimuth: result.azimuth1, finalAzimuth: result.azimuth2)
    }

    /// Solves the direct problem: where a geodesic from `start` ends after `distance` metres.
    ///
    /// - Parameters:
    ///   - start: first point; latitude in [-90, 90] degrees, longitude any.
    ///   - azimuth: initial azimuth in degrees clockwise from north, any value.
    ///   - distance: metres along the geodesic; may be negative (travel backwards).
    /// - Returns: the end point (longitude in [-180, 180]) and the azimuth there in (-180, 180].
    public func direct(from start: LonLat, azimuth: Double, distance: Double) -> (end: LonLat, finalAzimuth: Double) {
        let result = solver.direct(lat1: start.lat, lon1: start.lon, azimuth1: azimuth, distance: distance)
        return (LonLat(lon: result.lon, lat: result.lat), result.azimuth2)
    }

    /// Length in metres of a polyline whose vertices are joined by geodesics: the sum of the
    /// segment lengths. Fewer than two vertices give 0.
    public func length(of path: [LonLat]) -> Double {
        guard path.count >= 2 else { return 0 }
        var total = 0.0
        for index in 1..<path.count {
            total += inverse(from: path[index - 1], to: path[index]).distance
        }
        return total
    }

    /// An azimuth in degrees (any value) as a compass bearing in [0, 360).
    public static func bearing(fromAzimuth azimuth: Double) -> Double {
        guard azimuth.isFinite else { return azimuth }
        let reduced = azimuth.truncatingRemainder(dividingBy: 360)
        let bearing = reduced < 0 ? reduced + 360 : reduced
        return bearing >= 360 || bearing == 0 ? 0 : bearing  // -1e-17 + 360 rounds to 360; -0 becomes 0
    }
}
