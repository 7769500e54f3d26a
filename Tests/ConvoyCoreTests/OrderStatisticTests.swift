@testable import ConvoyCore
import Testing

@Suite struct OrderStatisticTests {
    /// Every index of arrays with repeats, sorted, reversed and shuffled input, against sorting.
    @Test(arguments: [
        [5.0],
        [2, 1],
        [3, 3, 3, 3],
        [1, 2, 3, 4, 5, 6, 7],
        [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
        [110, 170, 110, 210, 60, 170, 170, 110, 95, 170, 210, 60, 110],
    ])
    func matchesSorting(_ values: [Double]) {
        let sorted = values.sorted()
        for k in values.indices {
            var v = values
            #expect(v.orderStatistic(k) == sorted[k], "index \(k) of \(values)")
            #expect(v.sorted() == sorted) // only reordered
        }
    }
}
