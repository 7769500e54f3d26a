import ConvoyCore
import ConvoyGeo
import ConvoyImageIO

/// One image of a scene, read and searched: its scale, its luminance at the working
/// resolution and the vehicle candidates found in it.
public struct SceneImage: Sendable {
    public let path: String
    public let header: ImageHeader
    public let scale: ImageScale
    /// Ground metres per source pixel at the image centre (mean of the two axes).
    public let metresPerPixel: Double
    public let gray: GrayImage
    public let candidates: [VehicleCandidate]

    /// Whether the working resolution shows vehicles' shapes.
    public var resolvesShape: Bool {
        VehicleCandidateFilter(metresPerPixel: metresPerPixel * Double(gray.factor), factor: gray.factor).resolvesShape
    }

    /// Reads `path` as a stream of row bands into an 8-bit working image and finds candidates.
    public init(path: String, options: MeasureOptions, detector: ConvoyDetector) throws {
        let reader = try ImageReader(path: path, limits: options.limits)
        let georeference: Georeference?
        do {
            georeference = try Georeference.of(reader, crsOverride: options.crsOverride)
        } catch {
            throw MeasureError.georeference(image: path, reason: "\(error)")
        }
        if let georeference {
            scale = .georeferenced(georeference)
        } else if let gsd = options.groundSampleDistance {
            scale = .groundSampleDistance(gsd)
        } else {
            throw MeasureError.noScale(image: path)
        }
        let h = reader.header
        let gsd = try scale.metresPerPixel(width: h.width, height: h.height)
        metresPerPixel = (gsd.x + gsd.y) / 2
        var builder = GrayImageBuilder(sourceWidth: h.width, sourceHeight: h.height,
                                       factor: ConvoyDetector.workingFactor(metresPerPixel: metresPerPixel))
        while let band = try reader.nextBand() { builder.add(band.raster) }
        self.path = path
        header = h
        gray = builder.finish()
        candidates = detector.candidates(in: gray, metresPerPixel: metresPerPixel)
    }
}
