// What `measure` needs from an image to turn pixels into metres: either a full georeference or a
// user-supplied ground sample distance. One type so the command has one code path.

/// How pixel lengths become metres for one image.
public enum ImageScale: Sendable {
    /// Georeferenced image: geodesic lengths on WGS 84, positions available.
    case georeferenced(Georeference)
    /// `--gsd`: pixels × metres per pixel, no positions.
    case groundSampleDistance(GroundSampleDistance)

    /// Where the scale came from ("geotiff", "world file X.pgw + X.prj", "--gsd", ...).
    public var source: GeoreferenceSource {
        switch self {
        case let .georeferenced(georeference): return georeference.source
        case let .groundSampleDistance(gsd): return gsd.source
        }
    }

    /// Length in metres of a polyline in pixel coordinates (pixel-corner convention).
    public func length(ofPixelPath path: [PixelPoint]) throws -> Double {
        switch self {
        case let .georeferenced(georeference): return try georeference.length(ofPixelPath: path)
        case let .groundSampleDistance(gsd): return gsd.length(ofPixelPath: path)
        }
    }

    /// Metres per pixel at the image centre along a row (x) and a column (y).
    public func metresPerPixel(width: Int, height: Int) throws -> (x: Double, y: Double) {
        switch self {
        case let .georeferenced(georeference): return try georeference.groundSampleDistance(width: width, height: height)
        case let .groundSampleDistance(gsd): return (gsd.metresPerPixel, gsd.metresPerPixel)
        }
    }

    /// Longitude/latitude of a pixel, or nil with `--gsd` (no positions).
    public func lonLat(of pixel: PixelPoint) throws -> LonLat? {
        guard case let .georeferenced(georeference) = self else { return nil }
        return try georeference.lonLat(of: pixel)
    }
}
