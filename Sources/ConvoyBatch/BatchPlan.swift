import Foundation

/// What a batch will do before it starts: the images found (by content) in its folders, its
/// shard of them, and which of those an earlier run with the same `--out` already recorded.
public struct BatchPlan: Sendable {
    /// Images of this shard, in path order.
    public var images: [InputFile]
    /// Images still to measure.
    public var toRun: [InputFile]
    /// Images already done by an earlier run (a record with the same path, size and mtime).
    public var alreadyDone: [InputFile]
    /// How many of those the earlier run recorded as failed.
    public var alreadyFailed: Int
    /// Files looked at and skipped as not images (sidecars, notes...).
    public var skippedFiles: Int
    /// Lines of the existing `--out` that could not be read (skipped).
    public var logProblems: [BatchRecord.Problem]

    public init(inputs: [String], recursive: Bool, shard: Shard, out: String?, retryFailed: Bool) throws {
        let scan = try InputScan(arguments: inputs, recursive: recursive)
        if let out { try OutputPath.refuseIfInput(out, inputs: inputs + scan.files.map(\.path)) }
        images = scan.files.filter(shard.contains)
        skippedFiles = scan.skipped
        var index = ResumeIndex()
        logProblems = []
        if let out {
            // read a record at a time, keeping only what resuming needs of each
            logProblems = try ResultLog.forEachRecord(path: out) { index.add($0) }
        }
        var toRun: [InputFile] = [], done: [InputFile] = [], failed = 0
        for file in images {
            if let entry = index.entry(for: file, retryFailed: retryFailed) {
                done.append(file)
                if !entry.ok { failed += 1 }
            } else {
                toRun.append(file)
            }
        }
        self.toRun = toRun
        alreadyDone = done
        alreadyFailed = failed
    }
}
