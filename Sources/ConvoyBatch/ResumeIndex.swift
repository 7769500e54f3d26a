/// What an earlier run of a batch already recorded: for each path, the version of the file its
/// latest record measured and whether that went well. An image is done when a record has its
/// path, size and modification time (so an image replaced or edited since is measured again).
/// Only that much of each record is kept: a batch over millions of images resumes without
/// holding their convoys.
public struct ResumeIndex: Sendable {
    /// What the latest record of a path says.
    public struct Entry: Sendable, Equatable {
        public var ok: Bool
        public var size: Int64?
        public var mtime: Double?

        public init(_ record: BatchRecord) {
            ok = record.ok
            size = record.size
            mtime = record.mtime
        }
    }

    private var latest: [String: Entry] = [:]

    public init() {}

    /// Later records of a path replace earlier ones.
    public init(_ records: [BatchRecord]) {
        for r in records { add(r) }
    }

    /// Adds the next record read (it replaces any earlier one of its path).
    public mutating func add(_ record: BatchRecord) { latest[record.path] = Entry(record) }

    /// The latest record's entry for this version of the file, if there is one (and, with
    /// `retryFailed`, only when that record is ok).
    public func entry(for file: InputFile, retryFailed: Bool = false) -> Entry? {
        guard let r = latest[file.path], r.size == file.size, r.mtime == file.mtime else { return nil }
        if retryFailed && !r.ok { return nil }
        return r
    }

    public var count: Int { latest.count }
}
