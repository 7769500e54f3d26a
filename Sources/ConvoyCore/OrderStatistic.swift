extension Array where Element == Double {
    /// The value at index `k` of the array sorted ascending, by selection (Hoare partitions
    /// around the middle value, expected linear time); the array is reordered. The road tests
    /// take quartiles and medians of a few dozen samples per link or step, millions of times on
    /// a large scene (sorting each was a tenth of the 256 MP scale scene's run at 0.5 m).
    mutating func orderStatistic(_ k: Int) -> Double {
        precondition(k >= 0 && k < count, "index \(k) outside 0..<\(count)")
        var lo = 0, hi = count - 1
        while lo < hi {
            // the k-th smallest stays within [lo, hi]
            let pivot = self[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while self[i] < pivot { i += 1 }
                while self[j] > pivot { j -= 1 }
                if i <= j { swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return self[k] }
        }
        return self[k]
    }
}
