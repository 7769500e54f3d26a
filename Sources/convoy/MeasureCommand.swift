import ArgumentParser
import ConvoyBatch
import ConvoyExport
import ConvoyMeasure
import Foundation

/// `convoy measure IMAGE...`: find convoys, measure their length and their head's distance to a target.
struct Measure: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find vehicle columns in images and measure their length along their path.",
        discussion: """
            Georeferenced images (GeoTIFF, or world file with .prj/.aux.xml, or --crs) given together form \
            one scene: a column crossing tile edges is joined and overlapping tiles are not counted twice; \
            the world files, .prj and .aux.xml of images given too (tiles/*) are read as their sidecars. \
            Images without georeference need --gsd and are measured one by one. \
            --format geojson, kml or csv prints a GIS file instead of the report.
            """)

    @Argument(help: "PNG, JPEG or TIFF images.") var images: [String]
    @OptionGroup var measurement: MeasurementOptions
    @Option(help: "Output format: text, json, geojson, kml or csv.") var format: MeasureFormat = .text
    @Option(help: ArgumentHelp("Write a PNG of the image with detections and convoy paths drawn.", valueName: "out.png"))
    var overlay: String?
    @Flag(help: "Also list every vehicle candidate found.") var detections = false
    @Flag(help: "Also list the longest columns found but not reported, each with the test it failed.") var explain = false

    func run() throws {
        let images = imagesWithoutTheirSidecars(self.images)
        if let overlay { try OutputPath.refuseIfInput(overlay, inputs: self.images, sidecars: true) }
        var options = try self.measurement.resolved()
        options.explain = explain
        let terminal = ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
        options.progress = { terminal.show($0.line) }
        defer { terminal.clear() }
        let measurement = try SceneMeasurement.measure(paths: images, options: options)
        terminal.clear()
        let report = MeasurementReport(measurement, includeDetections: detections, explain: explain)
        switch format {
        case .json: try report.writeJSON()
        case .text: print(report.text)
        case .geojson, .kml, .csv:
            let export = try ExportFormat(rawValue: format.rawValue)!.render(ExportedConvoy.fromScene(report.convoys))
            reportUnmapped(export.unmapped, format: format.rawValue)
            if detections { reportNote("--detections lists the vehicle candidates only with --format json; the \(format.rawValue) holds the convoys") }
            try writeStandardOutput(export.data)
        }
        if let overlay { try Overlay.write(measurement, to: overlay) }
    }
}

/// `measure --format`.
enum MeasureFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, geojson, kml, csv
}

extension MeasureProgress {
    /// The progress line drawn on a terminal.
    var line: String {
        switch self {
        case let .readingImage(number, count, path):
            "reading image \(number) of \(count): \((path as NSString).lastPathComponent)"
        case let .linking(candidates):
            "linking \(candidates) vehicle candidates into columns"
        }
    }
}
