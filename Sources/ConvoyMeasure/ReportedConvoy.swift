import ConvoyCore
import ConvoyGeo

/// One convoy as every output prints it: the objects of `measure --format json`'s `"convoys"`,
/// of each `batch` record's `"convoys"`, and what `merge` and the GIS exports read back. One
/// Codable model, so `measure` and `batch` encode a convoy identically and a record read back
/// re-encodes to the same text.
public struct ReportedConvoy: Codable, Sendable, Equatable {
    public struct Position: Codable, Sendable, Equatable {
        public var lat: Double
        public var lon: Double
        public init(_ p: LonLat) { lat = p.lat; lon = p.lon }
    }

    public struct Target: Codable, Sendable, Equatable {
        public var name: String?
        public var lat: Double
        public var lon: Double
        public var distance_km: Double
        public var bearing_deg: Double
    }

    public var length_km: Double
    public var length_uncertainty_km: Double
    public var vehicles: Int
    public var vehicles_estimated: Bool
    public var confidence: Double
    /// What the confidence was computed from (absent in records written before it existed).
    public var evidence: ConvoyEvidence?
    public var head: Position?
    public var tail: Position?
    public var head_at_image_edge: Bool
    public var tail_at_image_edge: Bool
    public var target: Target?
    /// `[[lon, lat], ...]` from head to tail, for georeferenced images.
    public var path: [[Double]]?
    /// `[[x, y], ...]` in source pixels of the first image, for images without georeference.
    public var path_px: [[Double]]?
    /// Paths of the images the convoy lies in.
    public var images: [String]
    /// For a column found but not reported (`measure --explain`): the test it failed
    /// (`ColumnRejection.code`) and why, with the figures. Absent for a reported convoy.
    public var rejection: String?
    public var rejected_because: String?

    /// The report of `convoy`, with image indices turned into the images' paths.
    public init(_ c: MeasuredConvoy, imagePaths: [String]) {
        length_km = c.lengthMetres / 1000
        length_uncertainty_km = c.lengthUncertaintyMetres / 1000
        vehicles = c.vehicles
        vehicles_estimated = c.vehiclesEstimated
        confidence = c.confidence
        evidence = c.evidence
        head = c.head.map(Position.init)
        tail = c.tail.map(Position.init)
        head_at_image_edge = c.headAtImageEdge
        tail_at_image_edge = c.tailAtImageEdge
        target = c.target.map {
            Target(name: $0.name, lat: $0.position.lat, lon: $0.position.lon,
                   distance_km: $0.distanceMetres / 1000, bearing_deg: $0.bearingDegrees)
        }
        path = c.path?.map { [$0.lon, $0.lat] }
        path_px = c.pathPixels?.map { [$0.x, $0.y] }
        images = c.images.map { imagePaths[$0] }
        rejection = c.rejection?.code
        rejected_because = c.rejection?.reason
    }

    /// The path as longitude/latitude pairs when the convoy is georeferenced and every number is
    /// a finite, valid coordinate; nil otherwise (a convoy measured in pixels cannot be mapped).
    public var lonLatPath: [LonLat]? {
        guard let path, path.count >= 2 else { return nil }
        let points = path.compactMap { $0.count >= 2 ? LonLat(lon: $0[0], lat: $0[1]) : nil }
        guard points.count == path.count, points.allSatisfy(\.isValid) else { return nil }
        return points
    }
}
