/// Why a measurement could not be made, naming the file or value at fault.
public enum MeasureError: Error, CustomStringConvertible, Sendable {
    /// An image has no georeference and no `--gsd` was given.
    case noScale(image: String)
    /// A problem with one image's georeference (sidecar, GeoTIFF keys, CRS).
    case georeference(image: String, reason: String)

    public var description: String {
        switch self {
        case let .noScale(image):
            return "\(image): no georeference (GeoTIFF keys, world file with .prj or .aux.xml); "
                + "give the ground sample distance with --gsd METRES, or the CRS of its world file with --crs"
        case let .georeference(image, reason):
            return "\(image): \(reason)"
        }
    }
}
