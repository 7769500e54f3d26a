import ConvoyCore
import Testing

/// `PeakGate` on tiny synthetic responses with exact expected results.
@Suite struct PeakGateTests {
    /// Runs `rows` through a gate and collects what comes out, in order.
    func gated(_ rows: [[UInt8]], radius: Int) -> [[UInt8]] {
        var gate = PeakGate(width: rows[0].count, radius: radius)
        var out: [(Int, [UInt8])] = []
        for row in rows { row.withUnsafeBufferPointer { gate.add($0) { y, r in out.append((y, Array(r))) } } }
        gate.finish { y, r in out.append((y, Array(r))) }
        #expect(out.map(\.0) == Array(rows.indices), "every row once, in order")
        return out.map(\.1)
    }

    /// The definition, pixel by pixel: kept where 3 × value ≥ the largest value in the clamped square.
    func reference(_ rows: [[UInt8]], radius r: Int) -> [[UInt8]] {
        let h = rows.count, w = rows[0].count
        return (0..<h).map { y in
            (0..<w).map { x in
                var peak: UInt8 = 0
                for yy in max(0, y - r)...min(h - 1, y + r) { for xx in max(0, x - r)...min(w - 1, x + r) { peak = max(peak, rows[yy][xx]) } }
                return 3 * Int(rows[y][x]) >= Int(peak) ? rows[y][x] : 0
            }
        }
    }

    @Test func faintResponseTouchingAVehicleIsCutAwayButFarFromItKept() {
        // a road edge of response 20 along row 5, a vehicle of response 90 on it at x = 8...11
        var rows = [[UInt8]](repeating: [UInt8](repeating: 0, count: 40), count: 11)
        for x in 0..<40 { rows[5][x] = 20 }
        for y in 4...6 { for x in 8...11 { rows[y][x] = 90 } }
        let out = gated(rows, radius: 4)
        #expect(Array(out[5][4...15]) == [0, 0, 0, 0, 90, 90, 90, 90, 0, 0, 0, 0], "edge within 4 px of the vehicle is cut")
        #expect(out[5][16...].allSatisfy { $0 == 20 }, "the edge far from any vehicle stays whole")
        #expect(out[4][8...11].allSatisfy { $0 == 90 } && out[6][8...11].allSatisfy { $0 == 90 })
    }

    @Test func streamingEqualsTheDefinition() {
        // deterministic pseudo-random responses, several shapes and radii, clamped borders included
        var state: UInt32 = 12345
        func next() -> UInt8 { state = state &* 1_664_525 &+ 1_013_904_223; return UInt8(state >> 24) }
        for (w, h, r) in [(17, 9, 1), (23, 31, 3), (5, 4, 6), (1, 1, 2)] {
            let rows = (0..<h).map { _ in (0..<w).map { _ in next() } }
            #expect(gated(rows, radius: r) == reference(rows, radius: r), "w \(w) h \(h) r \(r)")
        }
    }
}
