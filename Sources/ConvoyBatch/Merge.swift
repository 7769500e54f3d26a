/// `convoy merge`: the records of several JSON Lines files (shards of one batch, or runs
/// resumed) as one list, one record per image path, sorted by path.
public enum Merge {
    /// For a path recorded more than once, the record of the newest file version (`mtime`) wins;
    /// for the same version an ok record beats an error record, and otherwise the later record
    /// (in file order, then line order) wins.
    public static func combine(_ records: [BatchRecord]) -> [BatchRecord] {
        var chosen: [String: BatchRecord] = [:]
        for r in records {
            guard let old = chosen[r.path] else { chosen[r.path] = r; continue }
            let newer = (r.mtime ?? 0) > (old.mtime ?? 0)
            let sameVersion = (r.mtime ?? 0) == (old.mtime ?? 0)
            if newer || (sameVersion && (r.ok || !old.ok)) { chosen[r.path] = r }
        }
        return chosen.values.sorted { $0.path < $1.path }
    }
}
