import ConvoyCore
import ConvoyGeo
import ConvoyImageIO

/// Everything `measure` needs besides the image paths.
public struct MeasureOptions: Sendable {
    public var detection = DetectionParameters()
    /// Ground sample distance for images with no georeference (`--gsd`).
    public var groundSampleDistance: GroundSampleDistance?
    /// CRS overriding the files' (`--crs`).
    public var crsOverride: CoordinateReferenceSystem?
    /// Where to report the distance to, and which end of a column is its head (`--target`).
    public var target: PlaceOrCoordinate?
    public var limits = DecodeLimits.standard
    /// Also keep the columns found but not reported, each with the test it failed (`--explain`).
    public var explain = false
    /// Told where the measurement is (`convoy measure` draws it on a terminal); nil: silent.
    public var progress: (@Sendable (MeasureProgress) -> Void)?

    public init() {}
}
