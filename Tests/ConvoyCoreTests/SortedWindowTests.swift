@testable import ConvoyCore
import Testing

@Suite struct SortedWindowTests {
    /// A window slid over gray levels with many repeats (values 0–15, so ties everywhere), two
    /// in and two out per step: every index and the median absolute deviation about every
    /// centre equal what selecting from the same values gives (`orderStatistic`).
    @Test func slidingMatchesSelection() {
        var state: UInt64 = 7 // a linear congruential sequence, the same on every run
        let sequence = (0..<400).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double((state >> 33) % 16)
        }
        var window = SortedWindow()
        let width = 31
        for v in sequence[0..<width] { window.insert(v) }
        var start = 0
        while start + width + 2 <= sequence.count {
            let values = Array(sequence[start..<(start + width)])
            #expect(window.count == values.count)
            for k in values.indices {
                var v = values
                #expect(window[k] == v.orderStatistic(k))
            }
            for centre in [0, width / 2, width - 1] {
                let m = window[centre]
                for k in [0, width / 2, width - 1] {
                    var deviations = values.map { abs($0 - m) }
                    #expect(window.deviation(at: k, from: centre) == deviations.orderStatistic(k), "k \(k), centre \(centre)")
                }
            }
            for q in start..<(start + 2) { window.remove(sequence[q]) }
            for q in (start + width)..<(start + width + 2) { window.insert(sequence[q]) }
            start += 2
        }
    }

    /// The median absolute deviation of a small window worked by hand: 1, 2, 3, 4, 100 has
    /// median 3 and deviations 2, 1, 0, 1, 97 → sorted 0, 1, 1, 2, 97.
    @Test func medianAbsoluteDeviationByHand() {
        var window = SortedWindow()
        for v in [100.0, 3, 1, 4, 2] { window.insert(v) }
        #expect(window.values == [1, 2, 3, 4, 100])
        #expect((0..<5).map { window.deviation(at: $0, from: 2) } == [0, 1, 1, 2, 97])
        window.remove(100)
        #expect(window.values == [1, 2, 3, 4])
    }
}
