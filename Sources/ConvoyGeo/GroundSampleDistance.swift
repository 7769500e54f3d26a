// The `--gsd M` fallback: an image without georeferencing, measured with a known pixel size.
import Foundation

/// A fixed ground size of one pixel, in metres, for images without georeferencing (`--gsd`).
///
/// It gives lengths only: no positions, no longitude/latitude. The pixel is assumed square and
/// the image free of perspective, so a pixel-polyline length is its length in pixels × the GSD.
public struct GroundSampleDistance: Sendable, Hashable, CustomStringConvertible {
    /// Metres on the ground per pixel, finite and > 0.
    public let metresPerPixel: Double

    /// - Throws: `GeoError.invalidGroundSampleDistance` unless `metresPerPixel` is finite and > 0.
    public init(metresPerPixel: Double) throws {
        guard metresPerPixel.isFinite, metresPerPixel > 0 else {
            throw GeoError.invalidGroundSampleDistance("\(metresPerPixel)")
        }
        self.metresPerPixel = metresPerPixel
    }

    /// Parses the text of a `--gsd` option, e.g. "0.5" (metres per pixel). An optional "m" suffix is accepted.
    /// - Throws: `GeoError.invalidGroundSampleDistance` naming the text.
    public init(parsing text: String) throws {
        var trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        if trimmed.hasSuffix("m") { trimmed = trimmed.dropLast() }
        guard let value = Double(trimmed.trimmingCharacters(in: .whitespaces)), value.isFinite, value > 0 else {
            throw GeoError.invalidGroundSampleDistance(text)
        }
        metresPerPixel = value
    }

    /// Always `.gsdOption`.
    public var source: GeoreferenceSource { .gsdOption }

    public var description: String { "\(metresPerPixel) m/pixel" }

    /// Length in metres of a polyline in pixel coordinates: the sum of its segments' Euclidean
    /// pixel lengths × `metresPerPixel`. Fewer than two vertices give 0.
    public func length(ofPixelPath path: [PixelPoint]) -> Double {
        guard path.count >= 2 else { return 0 }
        var pixels = 0.0
        for index in 1..<path.count {
            let dx = path[index].x - path[index - 1].x, dy = path[index].y - path[index - 1].y
            pixels += (dx * dx + dy * dy).squareRoot()
        }
        return pixels * metresPerPixel
    }
}
