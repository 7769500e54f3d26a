import ArgumentParser
import ConvoyCore
import ConvoyGeo
import ConvoyMeasure

/// `convoy measure IMAGE...`: find convoys, measure their length and their head's distance to a target.
struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find vehicle columns in images and measure their length along their path.",
        discussion: """
            Georeferenced images (GeoTIFF, or world file with .prj/.aux.xml, or --crs) given together form \
            one scene: a column crossing tile edges is joined and overlapping tiles are not counted twice. \
            Images without georeference need --gsd and are measured one by one.
            """)

    @Argument(help: "PNG, JPEG or TIFF images.") var images: [String]
    @Option(help: ArgumentHelp("Ground sample distance in metres per pixel, for images without georeference.", valueName: "metres"))
    var gsd: String?
    @OptionGroup var georeference: GeoreferenceOptions
    @OptionGroup var target: TargetOptions
    @Option(help: "Output format: text or json.") var format: ReportFormat = .text
    @Option(help: ArgumentHelp("Write a PNG of the image with detections and convoy paths drawn.", valueName: "out.png"))
    var overlay: String?
    @Option(help: ArgumentHelp("Longest gap between vehicles within one column, metres.", valueName: "metres"))
    var maxGap: Double = 300
    @Option(help: ArgumentHelp("Shortest column reported, metres.", valueName: "metres")) var minLength: Double = 200
    @Option(help: ArgumentHelp("Fewest vehicles in a column reported.", valueName: "n")) var minVehicles: Int = 10
    @Flag(help: "Also list every vehicle candidate found.") var detections = false
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        guard maxGap > 0, maxGap.isFinite else { throw ValidationError("--max-gap must be a positive number of metres") }
        guard minLength >= 0, minLength.isFinite else { throw ValidationError("--min-length must be zero or more metres") }
        guard minVehicles >= 1 else { throw ValidationError("--min-vehicles must be at least 1") }
    }

    func run() throws {
        if let overlay {
            do {
                try OutputPath(path: overlay).refuseOverwriting(inputs: images)
            } catch {
                reportError(error)
                throw ExitCode(ExitStatus.usage)
            }
        }
        var options = MeasureOptions()
        options.detection = DetectionParameters(maxGap: maxGap, minLength: minLength, minVehicles: minVehicles)
        options.groundSampleDistance = try gsd.map { try GroundSampleDistance(parsing: $0) }
        options.crsOverride = try georeference.crsOverride()
        options.target = try target.resolvedTarget()
        options.limits = limits.decodeLimits
        let measurement = try SceneMeasurement.measure(paths: images, options: options)
        let report = MeasurementReport(measurement, includeDetections: detections)
        switch format {
        case .json: print(try encodeJSON(report))
        case .text: print(report.text)
        }
        if let overlay { try Overlay.write(measurement, to: overlay) }
    }
}
