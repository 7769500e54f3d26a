import ConvoyCore
import ConvoyGeo

/// Where a georeferenced image lies in the scene's plane: the bounding box of a 5 × 5 grid of its
/// pixels (corners and edges included), widened by `margin`. Used to ask PROJ for a point's
/// pixel only in the images that can hold it: the road test sampled a mosaic's points through
/// PROJ image by image until one held each point, about half of the 48 tiles per point on the
/// 64 km case (6 s of its 41 s).
struct ImageFootprint {
    let minX: Double, maxX: Double, minY: Double, maxY: Double
    /// Metres added on every side: far more than an image's edges bow between grid points in the
    /// plane (millimetres for tiles kilometres across), so no point inside the image is left out.
    static let margin = 50.0

    init(georeference g: Georeference, width: Int, height: Int, plane: ScenePlane) throws {
        var pixels: [PixelPoint] = []
        for r in 0..<5 {
            for c in 0..<5 { pixels.append(PixelPoint(x: Double(width) * Double(c) / 4, y: Double(height) * Double(r) / 4)) }
        }
        let points = try plane.points(try g.lonLats(of: pixels))
        minX = points.map(\.x).min()! - Self.margin
        maxX = points.map(\.x).max()! + Self.margin
        minY = points.map(\.y).min()! - Self.margin
        maxY = points.map(\.y).max()! + Self.margin
    }

    func contains(_ p: PlanePoint) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }
}
