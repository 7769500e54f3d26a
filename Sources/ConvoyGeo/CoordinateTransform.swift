// Conversion between a CRS's map coordinates and WGS84 longitude/latitude, through PROJ.

/// Transforms map coordinates in a CRS to WGS 84 longitude/latitude (EPSG:4326) and back.
///
/// Built with `proj_create_crs_to_crs` followed by `proj_normalize_for_visualization`, so the axis
/// order is always x = easting (or longitude), y = northing (or latitude) on both sides, whatever
/// the CRS's official axis order is. PROJ's network grids are disabled: the operation PROJ picks
/// is the best one available offline.
///
/// Thread safety: each transform owns its own PROJ context and serialises calls on it, so one
/// instance may be shared between tasks; separate instances run in parallel.
public final class CoordinateTransform: Sendable {
    /// The CRS of the map coordinates.
    public let source: CoordinateReferenceSystem
    private let transformer: PROJTransformer

    /// - Throws: `GeoError.transformFailed` when PROJ finds no operation from `source` to WGS 84.
    public init(from source: CoordinateReferenceSystem) throws {
        self.source = source
        transformer = try PROJTransformer(sourceWKT: source.wkt, sourceLabel: source.description, target: "EPSG:4326")
    }

    /// Map coordinates (CRS units, x = easting/longitude) to WGS 84 longitude/latitude in degrees.
    /// - Throws: `GeoError.pointNotTransformable` for a point outside the projection's domain.
    public func lonLat(_ point: MapPoint) throws -> LonLat {
        try lonLat([point])[0]
    }

    /// Batch form of `lonLat(_:)` using `proj_trans_generic`; the result has the same order and count.
    public func lonLat(_ points: [MapPoint]) throws -> [LonLat] {
        var xs = points.map(\.x)
        var ys = points.map(\.y)
        let failures = transformer.transform(xs: &xs, ys: &ys, inverse: false)
        if let index = failures.firstIndex(where: { $0 != nil }) {
            throw GeoError.pointNotTransformable(x: points[index].x, y: points[index].y, from: source.description,
                                                 to: "WGS 84 longitude/latitude", reason: failures[index] ?? "unknown PROJ error")
        }
        return zip(xs, ys).map { LonLat(lon: $0, lat: $1) }
    }

    /// WGS 84 longitude/latitude in degrees to map coordinates of `source`.
    /// - Throws: `GeoError.pointNotTransformable` when the position cannot be projected.
    public func mapPoint(_ lonLat: LonLat) throws -> MapPoint {
        try mapPoints([lonLat])[0]
    }

    /// Batch form of `mapPoint(_:)`.
    public func mapPoints(_ positions: [LonLat]) throws -> [MapPoint] {
        var xs = positions.map(\.lon)
        var ys = positions.map(\.lat)
        let failures = transformer.transform(xs: &xs, ys: &ys, inverse: true)
        if let index = failures.firstIndex(where: { $0 != nil }) {
            throw GeoError.pointNotTransformable(x: positions[index].lon, y: positions[index].lat,
                                                 from: "WGS 84 longitude/latitude", to: source.description,
                                                 reason: failures[index] ?? "unknown PROJ error")
        }
        return zip(xs, ys).map { MapPoint(x: $0, y: $1) }
    }
}
