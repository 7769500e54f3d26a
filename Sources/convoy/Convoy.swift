import ArgumentParser
import ConvoyBatch
import ConvoyExport
import ConvoyGeo
import ConvoyImageIO
import ConvoyMeasure
import Foundation

/// The `convoy` command: measure vehicle convoys in satellite imagery.
@main
struct Convoy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convoy",
        abstract: "Measure vehicle convoys in satellite imagery.",
        discussion: """
            Exit codes: 0 success; 1 one or more inputs could not be read or processed \
            (each named on stderr); 2 batch finished but some images failed (error records); \
            64 invalid command-line usage (including an output path that names an input).
            """,
        version: "convoy 0.1.0 (\(codecLibraryVersions))",
        subcommands: [Measure.self, BatchCommand.self, MergeCommand.self, Info.self, Distance.self]
    )

    /// Runs the command; an input error (a file, a sidecar, a place name) is printed as
    /// `convoy: <what>: <reason>` and exits 1; usage errors keep argument parser's message and 64.
    static func main() {
        OrphanWatch.startIfBatchChild()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as BatchError {
            reportError(error)
            // an output path that names an input is a usage error, as for --overlay
            if case .outputIsInput = error { Foundation.exit(ExitStatus.usage) }
            Foundation.exit(ExitStatus.inputFailed)
        } catch where error is ImageError || error is GeoError || error is ExportError || error is MeasureError {
            reportError(error)
            Foundation.exit(ExitStatus.inputFailed)
        } catch {
            exit(withError: error)
        }
    }
}
