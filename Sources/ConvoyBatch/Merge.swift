/// `convoy merge`: the records of several JSON Lines files (shards of one batch, or runs
/// resumed) as one list, one record per image path, sorted by path. Records are added one at a
/// time as the files are read, and only the one chosen for each path is kept.
public struct Merge: Sendable {
    private var chosen: [String: BatchRecord] = [:]

    public init() {}

    /// For a path recorded more than once, the record of the newest file version (`mtime`) wins;
    /// for the same version an ok record beats an error record, and otherwise the later record
    /// (in file order, then line order) wins.
    public mutating func add(_ r: BatchRecord) {
        guard let old = chosen[r.path] else { chosen[r.path] = r; return }
        let newer = (r.mtime ?? 0) > (old.mtime ?? 0)
        let sameVersion = (r.mtime ?? 0) == (old.mtime ?? 0)
        if newer || (sameVersion && (r.ok || !old.ok)) { chosen[r.path] = r }
    }

    /// The records chosen, sorted by path.
    public var records: [BatchRecord] { chosen.values.sorted { $0.path < $1.path } }

    /// `records` of all of `records` added in order.
    public static func combine(_ records: [BatchRecord]) -> [BatchRecord] {
        var merge = Merge()
        for r in records { merge.add(r) }
        return merge.records
    }
}
