import ConvoyCore
import Testing

/// The road test on synthetic ground, sampled as a function of plane position.
@Suite struct RoadSupportTests {
    /// A road 8 m wide along x (gray 150) between fields (100); 16 dark objects (60, 3 m wide)
    /// 30 m apart on it, each `objectLength` m long: 7 m for vehicles, 30 m for a line that never
    /// breaks (a road edge). The column's path runs 2 m beside the objects' centres, on the road
    /// surface, as a path traced through a thin line's detections can.
    func score(objectLength: Double) -> RoadSupport.Score {
        let members = (0..<16).map { PlanePoint(x: Double($0) * 30, y: 0) }
        let path = [PlanePoint(x: -4, y: 2), PlanePoint(x: 454, y: 2)]
        return RoadSupport(resolved: true).evaluate(path: path, members: members) { points in
            points.map { p in
                if abs(p.y) >= 4 { return 100 }
                let along = p.x - (p.x / 30).rounded() * 30
                return abs(along) <= objectLength / 2 && abs(p.y) <= 1.5 ? 60 : 150
            }
        }
    }

    @Test func vehiclesApartOnARoadAreAColumn() {
        let s = score(objectLength: 7)
        #expect(s.filledGaps == 0)
        #expect(s.dark == 1)
        #expect(RoadSupport(resolved: true).accepts(s))
    }

    /// Regression: a dark road edge, cut into vehicle-sized dashes by the threshold, was reported
    /// as a 1.26 km convoy in a scene without one (tune-02 of the benchmark).
    @Test func aContinuousDarkLineIsNotAColumn() {
        let s = score(objectLength: 30)
        #expect(s.filledGaps == 1)
        #expect(!RoadSupport(resolved: true).accepts(s))
    }
}
