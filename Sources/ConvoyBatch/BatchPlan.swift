import Foundation

/// What a batch will do before it starts: the images found (by content) in its folders, its
/// shard of them, and which of those an earlier run with the same `--out` already recorded.
public struct BatchPlan: Sendable {
    /// Images of this shard, in path order.
    public var images: [InputFile]
    /// Images still to measure.
    public var toRun: [InputFile]
    /// Records of images already done by an earlier run (same path, size and mtime).
    public var alreadyDone: [BatchRecord]
    /// Files looked at and skipped as not images (sidecars, notes...).
    public var skippedFiles: Int
    /// Lines of the existing `--out` that could not be read (skipped).
    public var logProblems: [BatchRecord.Problem]

    public init(inputs: [String], recursive: Bool, shard: Shard, out: String?, retryFailed: Bool) throws {
        let scan = try InputScan(arguments: inputs, recursive: recursive)
        if let out { try OutputPath.refuseIfInput(out, inputs: inputs + scan.files.map(\.path)) }
        images = scan.files.filter(shard.contains)
        skippedFiles = scan.skipped
        var index = ResumeIndex([])
        logProblems = []
        if let out {
            let existing = try ResultLog.read(path: out)
            index = ResumeIndex(existing.records)
            logProblems = existing.problems
        }
        var toRun: [InputFile] = [], done: [BatchRecord] = []
        for file in images {
            if let record = index.record(for: file, retryFailed: retryFailed) { done.append(record) } else { toRun.append(file) }
        }
        self.toRun = toRun
        alreadyDone = done
    }
}
