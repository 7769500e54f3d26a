/// The values of a window that slides along a sequence, kept sorted, so that its order
/// statistics and its median absolute deviation are read without selecting afresh at every
/// position. `MissedVehicles` takes the road's level (upper quartile) and noise (median absolute
/// deviation) of a 50 m window at every 4 m along each offset of a column's path; selecting them
/// from the window's values each time was a tenth of the 256 MP scale scene's run (README,
/// *Scale benchmark*), sliding moves 4 of about 50 values per step.
///
/// Answers are exactly those of `orderStatistic` on the same values (a multiset: which copy of a
/// repeated value is removed does not matter).
struct SortedWindow {
    private(set) var values: [Double] = []

    var count: Int { values.count }

    /// First index whose value is not less than `v`.
    private func lowerBound(_ v: Double) -> Int {
        var lo = 0, hi = values.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func insert(_ v: Double) {
        values.insert(v, at: lowerBound(v))
    }

    /// Removes one copy of `v`, which must be in the window.
    mutating func remove(_ v: Double) {
        let i = lowerBound(v)
        precondition(i < values.count && values[i] == v, "removing \(v), not in the window")
        values.remove(at: i)
    }

    mutating func removeAll() { values.removeAll(keepingCapacity: true) }

    /// The value at index `k` of the window sorted ascending (0 ≤ k < count).
    subscript(k: Int) -> Double { values[k] }

    /// The value at index `k` of the absolute deviations from `values[centre]`, sorted
    /// ascending: the deviations below the centre and above it are two ascending runs, merged
    /// up to their k-th element.
    func deviation(at k: Int, from centre: Int) -> Double {
        precondition(k >= 0 && k < values.count && centre >= 0 && centre < values.count)
        let m = values[centre]
        var below = centre - 1, above = centre // next deviation of each run: m − values[below], values[above] − m
        var taken = -1, last = 0.0
        while taken < k {
            let a = below >= 0 ? abs(values[below] - m) : .infinity
            let b = above < values.count ? abs(values[above] - m) : .infinity
            if a < b { last = a; below -= 1 } else { last = b; above += 1 }
            taken += 1
        }
        return last
    }
}
