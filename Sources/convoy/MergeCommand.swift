import ArgumentParser
import ConvoyBatch
import ConvoyExport
import Foundation

/// `convoy merge FILE.jsonl... --out ALL`: shard outputs combined, one record per image.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine batch JSON Lines files (shards, resumed runs) into one, without duplicates, or export them.",
        discussion: """
            One record per image path, sorted by path (the newest file version's, an ok record before an error). \
            Unreadable lines are skipped and named on stderr (exit 1); an incomplete last line left by a killed \
            batch is only noted. The output is written whole or not at all.
            """)

    @Argument(help: "JSON Lines files written by convoy batch.") var files: [String]
    @Option(help: ArgumentHelp("Where to write the result.", valueName: "file")) var out: String
    @Option(help: "Output format: jsonl, geojson, kml or csv.") var format: MergeFormat = .jsonl

    func run() throws {
        try OutputPath.refuseIfInput(out, inputs: files)
        // records are read a piece of a file at a time and only the one kept for each image is held
        var merge = Merge(), broken = false
        for file in files {
            let problems = try ResultLog.forEachRecord(path: file, mustExist: true) { merge.add($0) }
            for p in problems {
                if p.isIncompleteLastLine { reportNote("\(file): \(p): skipped") } else { reportError("\(file): \(p): skipped") }
                broken = broken || !p.isIncompleteLastLine
            }
        }
        let merged = merge.records
        if let export = ExportFormat(rawValue: format.rawValue) {
            let result = try export.render(ExportedConvoy.fromImages(merged.compactMap { r in r.convoys.map { (r.path, $0) } }))
            reportUnmapped(result.unmapped, format: format.rawValue)
            try AtomicFile.write(result.data, to: out)
        } else {
            // line by line into the temporary file: the output is never held whole either
            try AtomicFile.write(to: out) { put in
                for r in merged { try put([UInt8](try r.line())) }
            }
        }
        if broken { throw ExitCode(ExitStatus.inputFailed) }
    }
}

/// `merge --format`.
enum MergeFormat: String, ExpressibleByArgument, CaseIterable {
    case jsonl, geojson, kml, csv
}
