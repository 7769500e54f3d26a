import ArgumentParser
import ConvoyBatch
import Foundation

/// `convoy batch DIR...`: every image measured on its own, one JSON Lines record per image.
struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Measure every image in folders, each on its own, writing one JSON Lines record per image.",
        discussion: """
            Images are found by content (PNG, JPEG, TIFF); sidecars and other files are skipped. Each image is \
            measured in its own process, in parallel; a broken, crashing or timed-out image gets an error record \
            and the batch goes on. With --out, a second run skips images already recorded (same path, size and \
            modification time). Exit codes: 0 all images measured; 2 some images failed; 1 the batch could not run.
            """)

    @Argument(help: "Folders (and image files) to measure.") var inputs: [String]
    @Flag(help: "Also measure images in subfolders.") var recursive = false
    @Option(help: "Images measured at once (default: all cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Option(help: ArgumentHelp("Append records to this JSON Lines file, skipping images it already has.", valueName: "file.jsonl"))
    var out: String?
    @Option(help: ArgumentHelp("Take only shard K of N (a deterministic 1/N of the images).", valueName: "K/N")) var shard: String?
    @Option(help: ArgumentHelp("Stop measuring an image after this many seconds (an error record).", valueName: "seconds"))
    var timeout: Double?
    @Flag(help: "With --out, measure again the images whose record is an error.") var retryFailed = false
    @Flag(help: "Also record, per image, the longest columns found but not reported, each with the test it failed.")
    var explain = false
    @OptionGroup var measurement: MeasurementOptions

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let timeout, !(timeout > 0 && timeout.isFinite) { throw ValidationError("--timeout must be a positive number of seconds") }
        if let shard, (try? Shard(parsing: shard)) == nil { throw ValidationError("\(BatchError.invalidShard(text: shard))") }
    }

    func run() throws {
        let target = try measurement.resolved().target
        let plan = try BatchPlan(inputs: inputs, recursive: recursive, shard: try shard.map(Shard.init(parsing:)) ?? .whole,
                                 out: out, retryFailed: retryFailed)
        for p in plan.logProblems { reportNote("\(out!): \(p): skipped") }
        let log = try out.map { try ResultLog(path: $0) } ?? ResultLog(standardOutput: ())
        let worker = MeasureWorker(executable: try executableURL(),
                                   arguments: measurement.childArguments(target: target) + (explain ? ["--explain"] : []),
                                   targetName: target?.name, timeout: timeout)
        let terminal = ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
        let run = BatchRun(files: plan.toRun, worker: worker, jobs: jobs, log: log) { record, progress in
            terminal.clear()
            if let error = record.error { reportError("\(record.path): \(error)") }
            terminal.show(progress.bar())
        }
        terminal.follow(run)
        let progress = try run.run()
        terminal.stop()
        let failed = progress.failed + plan.alreadyFailed
        var summary = String(format: "convoy batch: %d images%@: %d measured, %d failed", plan.images.count,
                             shard.map { " (shard \($0))" } ?? "", progress.done - progress.failed, progress.failed)
        if let out, !plan.alreadyDone.isEmpty {
            summary += ", \(plan.alreadyDone.count) already in \(out)" + (failed > progress.failed ? " (\(failed - progress.failed) failed)" : "")
        }
        summary += String(format: "; %.1f s, %.1f MP/s; %d other files skipped\n", progress.elapsed, progress.megapixelsPerSecond,
                          plan.skippedFiles)
        FileHandle.standardError.write(Data(summary.utf8))
        if failed > 0 { throw ExitCode(ExitStatus.someImagesFailed) }
    }
}

/// This executable, run again as the measuring child.
func executableURL() throws -> URL {
    URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
}
