import ConvoyCore
import ConvoyGeo
import ConvoyImageIO

/// One image of a scene, read and searched: its scale, the vehicle candidates found in it and a
/// luminance image for what later stages read (the road test, the overlay).
///
/// The image is streamed: a second thread decodes bands of rows and averages them down to the
/// working resolution while this one searches them (`CandidateFinder`), so memory follows the
/// image's width, not its area, and the result equals whole-image processing.
public struct SceneImage: Sendable {
    public let path: String
    public let header: ImageHeader
    public let scale: ImageScale
    /// Ground metres per source pixel at the image centre (mean of the two axes).
    public let metresPerPixel: Double
    /// Source pixels per working pixel (detection's resolution).
    public let workingFactor: Int
    /// Luminance for the road test and the overlay: the working image itself up to
    /// `contextPixels` working pixels, else averaged down by the smallest integer factor that
    /// fits (`gray.factor` is source pixels per pixel of it).
    public let gray: GrayImage
    /// Colourfulness (largest minus smallest of red, green and blue) at the same pixels as
    /// `gray`, for colour images where the detector follows roads (`RoadFollowing`); else nil.
    public let chroma: GrayImage?
    public let candidates: [VehicleCandidate]

    /// Largest context image kept whole, in pixels (one byte each).
    public static let contextPixels = 64 << 20

    /// Whether the working resolution shows vehicles' shapes.
    public var resolvesShape: Bool {
        VehicleCandidateFilter(metresPerPixel: metresPerPixel * Double(workingFactor), factor: workingFactor).resolvesShape
    }

    /// Reads `path` as a stream of row bands and finds candidates.
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
        let factor = ConvoyDetector.workingFactor(metresPerPixel: metresPerPixel)
        let readsColour = h.bands >= 3 && RoadFollowing.applies(metresPerWorkingPixel: metresPerPixel * Double(factor))
        let pipeline = WorkingRowPipeline(reader: reader, factor: factor, aheadRows: detector.thresholdRegionRows / 4,
                                          withChroma: readsColour)
        let (w, wh) = (pipeline.width, pipeline.height)
        var finder = CandidateFinder(width: w, height: wh, factor: factor, metresPerPixel: metresPerPixel, detector: detector)
        let shrink = Self.contextShrink(width: w, height: wh)
        var context = GrayImageBuilder(sourceWidth: w, sourceHeight: wh, factor: shrink)
        var colour = pipeline.deliversChroma ? GrayImageBuilder(sourceWidth: w, sourceHeight: wh, factor: shrink) : nil
        try pipeline.run { rows, chroma, count in
            finder.add(rows: rows, count: count)
            context.add(gray: rows, count: count)
            if let chroma { colour?.add(gray: chroma, count: count) }
        }
        self.path = path
        header = h
        workingFactor = factor
        let c = context.finish()
        gray = GrayImage(width: c.width, height: c.height, factor: factor * shrink, pixels: c.pixels)
        chroma = colour.map { builder in
            let c = builder.finish()
            return GrayImage(width: c.width, height: c.height, factor: factor * shrink, pixels: c.pixels)
        }
        candidates = finder.finish()
    }

    /// Working pixels averaged into one context pixel for a working image of `width` × `height`.
    static func contextShrink(width: Int, height: Int) -> Int {
        var s = 1
        while ((width + s - 1) / s) * ((height + s - 1) / s) > contextPixels { s += 1 }
        return s
    }
}
