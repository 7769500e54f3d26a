/// What an earlier run of a batch already recorded: for each path, its latest record. An image
/// is done when a record has its path, size and modification time (so an image replaced or
/// edited since is measured again).
public struct ResumeIndex: Sendable {
    private var latest: [String: BatchRecord] = [:]

    /// Later records of a path replace earlier ones.
    public init(_ records: [BatchRecord]) {
        for r in records { latest[r.path] = r }
    }

    /// The record of this version of the file, if there is one (and, with `retryFailed`, only
    /// when it is an ok record).
    public func record(for file: InputFile, retryFailed: Bool = false) -> BatchRecord? {
        guard let r = latest[file.path], r.size == file.size, r.mtime == file.mtime else { return nil }
        if retryFailed && !r.ok { return nil }
        return r
    }

    public var count: Int { latest.count }
}
