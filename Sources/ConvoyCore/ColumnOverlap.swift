/// How much of a column's path runs along other columns' paths: the test that keeps one column
/// from being reported twice.
///
/// Why: where a column's vehicles are tens of metres apart, the linker can thread two chains
/// through the same stretch (vehicles two abreast, or a chain on the vehicles and one on the
/// road's edge beside them) whose members are never within a few metres of each other, so the
/// builder (`ColumnBuilder.mergeSideBySide`, which compares members) keeps them apart. Merging
/// them into one column widens it past three abreast (the 64 km reconstruction: 17–25 m), so the
/// shorter one is dropped instead: the longer one already covers that stretch.
public struct ColumnOverlap: Sendable {
    /// Lateral distance within which two paths run together, metres: a road and its verges.
    public static let width = 9.0
    /// Largest share of a column's path that may run along longer reported columns.
    public static let maximumShare = 0.5
    private var grid = SpatialGrid(points: [], cell: ColumnOverlap.width)

    public init() {}

    /// Adds a reported column's path (plane metres).
    public mutating func add(_ path: [PlanePoint]) {
        for p in Self.sampled(path, step: Self.width / 2) { grid.append(p) }
    }

    /// Share of `path` (sampled every 5 m) within `width` of the paths added.
    public func share(of path: [PlanePoint]) -> Double {
        let samples = Self.sampled(path, step: 5)
        guard !samples.isEmpty, !grid.points.isEmpty else { return 0 }
        var near = 0
        for p in samples {
            var hit = false
            grid.forEach(near: p, within: Self.width) { _, _ in hit = true }
            if hit { near += 1 }
        }
        return Double(near) / Double(samples.count)
    }

    static func sampled(_ path: [PlanePoint], step: Double) -> [PlanePoint] {
        var out: [PlanePoint] = []
        for (a, b) in zip(path, path.dropFirst()) {
            let n = max(1, Int((a.distance(to: b) / step).rounded(.up)))
            for k in 0..<n { out.append(a + (b - a) * (Double(k) / Double(n))) }
        }
        if let last = path.last { out.append(last) }
        return out
    }
}
