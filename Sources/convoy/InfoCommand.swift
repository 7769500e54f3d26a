import ArgumentParser
import ConvoyImageIO

/// `convoy info FILE...`: what each image file is, and whether its pixels decode.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show format, size, bands and bit depth of image files, checking that each decodes.",
        discussion: "The world files, .prj and .aux.xml of images given too (tiles/*) are read as their sidecars.")

    @Argument(help: "PNG, JPEG or TIFF files.")
    var files: [String]

    @Option(help: "Output format: text or json.")
    var format: ReportFormat = .text

    @Flag(help: "Read only the headers; do not decode the pixels to check them.")
    var headerOnly = false

    @OptionGroup var georeference: GeoreferenceOptions
    @OptionGroup var limits: LimitOptions

    func run() throws {
        let crs = try georeference.crsOverride()
        var records: [ImageInfoRecord] = []
        for path in imagesWithoutTheirSidecars(files) {
            do {
                let record = try ImageInfoRecord(path: path, verifyPixels: !headerOnly, limits: limits.decodeLimits, crs: crs)
                if let problem = record.error { reportError("\(path): \(problem)") }
                if let problem = record.georeferenceError { reportError("\(path): \(problem)") }
                records.append(record)
            } catch {
                reportError(error)
                records.append(ImageInfoRecord(path: path, error: error))
            }
        }
        switch format {
        case .json: print(try encodeJSON(records))
        case .text: print(ImageInfoRecord.table(records))
        }
        if records.contains(where: { $0.error != nil || $0.georeferenceError != nil }) {
            throw ExitCode(ExitStatus.inputFailed)
        }
    }
}
