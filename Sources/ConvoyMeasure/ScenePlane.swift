import ConvoyCore
import ConvoyGeo
import Foundation

/// The metric plane in which a scene's columns are linked: for georeferenced images an
/// azimuthal equidistant projection centred on the scene (through PROJ), where distances from
/// the centre are true and nearby ones nearly so; for a `--gsd` image, its pixels times the GSD.
/// Lengths are never taken from the plane when there is a georeference: paths go back to
/// longitude/latitude and are measured as WGS84 geodesics.
struct ScenePlane: Sendable {
    private let toLonLat: CoordinateTransform?
    private let gsd: Double

    /// A plane for georeferenced images centred at `centre`.
    init(centre: LonLat) throws {
        let definition = String(format: "+proj=aeqd +lat_0=%.9f +lon_0=%.9f +datum=WGS84 +units=m +type=crs",
                                centre.lat, centre.lon)
        toLonLat = try CoordinateTransform(from: CoordinateReferenceSystem(definition: definition))
        gsd = 1
    }

    /// A plane of pixels × `metresPerPixel` (y pointing down the image).
    init(metresPerPixel: Double) {
        toLonLat = nil
        gsd = metresPerPixel
    }

    func points(_ positions: [LonLat]) throws -> [PlanePoint] {
        try toLonLat!.mapPoints(positions).map { PlanePoint(x: $0.x, y: $0.y) }
    }

    func lonLats(_ points: [PlanePoint]) throws -> [LonLat] {
        try toLonLat!.lonLat(points.map { MapPoint(x: $0.x, y: $0.y) })
    }

    func point(pixelX x: Double, pixelY y: Double) -> PlanePoint { PlanePoint(x: x * gsd, y: y * gsd) }
}
