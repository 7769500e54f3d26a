import ConvoyCore
import Testing

/// A column that runs along a longer reported one is the same convoy seen twice.
@Suite struct ColumnOverlapTests {
    static func line(from x0: Double, to x1: Double, y: Double, step: Double) -> [PlanePoint] {
        stride(from: x0, through: x1, by: step).map { PlanePoint(x: $0, y: y) }
    }

    @Test func shareOfAPathAlongAnother() {
        var overlap = ColumnOverlap()
        #expect(overlap.share(of: Self.line(from: 0, to: 500, y: 0, step: 50)) == 0, "nothing reported yet")
        // the reported column: 1 km along y = 0, vertices 200 m apart
        overlap.add(Self.line(from: 0, to: 1000, y: 0, step: 200))
        // a second chain through the same stretch, vertices between the first's, 4 m aside
        #expect(overlap.share(of: Self.line(from: 110, to: 890, y: 4, step: 60)) == 1)
        // a column on a road 20 m away
        #expect(overlap.share(of: Self.line(from: 0, to: 1000, y: 20, step: 50)) == 0)
        // half along it, half beyond its end
        let half = overlap.share(of: Self.line(from: 500, to: 1500, y: 0, step: 100))
        #expect(abs(half - 0.5) < 0.02, "\(half)")
    }
}
