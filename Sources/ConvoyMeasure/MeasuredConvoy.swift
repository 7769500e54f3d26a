import ConvoyCore
import ConvoyGeo

/// A convoy as reported: its length along its path, its vehicles, where its ends are and how far
/// its head is from the target.
public struct MeasuredConvoy: Sendable {
    /// Length along the path, from the front of the vehicle at one end to the rear of the vehicle
    /// at the other, in metres: a sum of WGS84 geodesics for georeferenced images, pixels × GSD
    /// with `--gsd`.
    public var lengthMetres: Double
    /// How far off the length may be, metres (`LengthUncertainty`): the end positions' and the
    /// path's uncertainty, or the spread of the benchmark's errors at this resolution (a column
    /// is often found only in part), whichever is larger.
    public var lengthUncertaintyMetres: Double
    /// Vehicles counted: the column's candidates (each vehicle-sized blob one, two if as long as
    /// two; streak pieces by their contrast), the vehicles on its path that were no candidate
    /// (`MissedVehicles`) and, where vehicles are resolved, a second vehicle for each blob as wide
    /// as two abreast.
    public var vehicles: Int
    /// The vehicle count is estimated (from streak contrast, blobs read as two vehicles abreast, or
    /// dark patches on the path counted by their area), not counted one by one.
    public var vehiclesEstimated: Bool
    /// What the column rests on, as measured in the image.
    public var evidence: ConvoyEvidence
    /// Probability that this is a real column (`ConvoyConfidence`), from `evidence`.
    public var confidence: Double { ConvoyConfidence.probability(evidence) }
    /// Ends of the path; `head` is the end nearest the target when there is one.
    public var head: LonLat?
    public var tail: LonLat?
    /// Whether an end lies at the edge of the imagery, so the column may go on beyond it and be
    /// longer than measured.
    public var headAtImageEdge: Bool
    public var tailAtImageEdge: Bool
    public var target: TargetDistance?
    /// The path from head to tail in longitude/latitude (georeferenced images).
    public var path: [LonLat]?
    /// The path in source pixels of `images[0]` (images without georeference).
    public var pathPixels: [PixelPoint]?
    /// Indices of the scene's images the convoy lies in.
    public var images: [Int]
    /// Why this column is not reported (`--explain`); nil for a reported convoy.
    public var rejection: ColumnRejection? = nil
    /// The vehicles counted on the path that were no candidate (`MissedVehicles`), in order along
    /// it: drawn on the overlay, listed with `--detections`.
    public var vehiclesOnPath: [VehicleOnPath] = []
}

/// Distance and initial bearing from a convoy's head to the target, on the WGS84 ellipsoid.
public struct TargetDistance: Sendable {
    public var name: String?
    public var position: LonLat
    public var distanceMetres: Double
    /// Compass bearing from the head towards the target, degrees in [0, 360).
    public var bearingDegrees: Double
}
