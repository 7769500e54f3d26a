@testable import ConvoyCore
import Testing

/// `VerticalExtremum` against its definition: the max (min) of each column over the rows
/// y − r ... y + r that exist.
@Suite struct VerticalExtremumTests {
    func streamed(_ rows: [[UInt8]], radius: Int, max useMax: Bool, filter: inout VerticalExtremum) -> [[UInt8]] {
        var out: [(Int, [UInt8])] = []
        for row in rows {
            if let u = row.withUnsafeBufferPointer({ filter.push($0.baseAddress!) }) { out.append((u, filter.withResult { Array($0) })) }
        }
        while let u = filter.flush() { out.append((u, filter.withResult { Array($0) })) }
        #expect(out.map(\.0) == Array(rows.indices), "every row once, in order")
        return out.map(\.1)
    }

    func reference(_ rows: [[UInt8]], radius r: Int, max useMax: Bool) -> [[UInt8]] {
        let h = rows.count, w = rows[0].count
        return (0..<h).map { y in
            (0..<w).map { x in
                let column = (max(0, y - r)...min(h - 1, y + r)).map { rows[$0][x] }
                return useMax ? column.max()! : column.min()!
            }
        }
    }

    @Test func streamingEqualsTheDefinition() {
        var state: UInt32 = 777
        func next() -> UInt8 { state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(state >> 24) }
        for (w, h, r) in [(7, 40, 1), (5, 31, 3), (9, 50, 7), (3, 4, 6), (4, 1, 2), (6, 23, 0), (5, 19, 9)] {
            for useMax in [true, false] {
                let rows = (0..<h).map { _ in (0..<w).map { _ in next() } }
                var filter = VerticalExtremum(width: w, radius: r, max: useMax)
                #expect(streamed(rows, radius: r, max: useMax, filter: &filter) == reference(rows, radius: r, max: useMax),
                        "w \(w) h \(h) r \(r) max \(useMax)")
                // the same buffers serve a second image of another height
                let again = (0..<(h + 5)).map { _ in (0..<w).map { _ in next() } }
                filter.restart()
                #expect(streamed(again, radius: r, max: useMax, filter: &filter) == reference(again, radius: r, max: useMax),
                        "restarted: w \(w) h \(h + 5) r \(r) max \(useMax)")
            }
        }
    }
}
