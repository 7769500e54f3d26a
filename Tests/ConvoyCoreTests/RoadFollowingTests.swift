@testable import ConvoyCore
import Foundation
import Testing

/// Road following at coarse resolution, on synthetic ground given as a function of plane
/// position: a road 8 m wide along the x axis (|y| < 4 m).
@Suite struct RoadFollowingTests {
    /// Grey asphalt (level 110, colourless) between green fields of the same gray level.
    static func asphaltInFields(_ p: PlanePoint) -> GroundSample? {
        abs(p.y) < 4 ? GroundSample(level: 110, chroma: 4) : GroundSample(level: 110, chroma: 40)
    }

    /// The same scene as a panchromatic image: no colour, and no gray-level difference.
    static func asphaltInFieldsGray(_ p: PlanePoint) -> GroundSample? { GroundSample(level: 110) }

    /// A cleared road (90) through snow (210), gray only.
    static func roadInSnow(_ p: PlanePoint) -> GroundSample? { GroundSample(level: abs(p.y) < 4 ? 90 : 210) }

    /// Forest: crowns 6 m across, each 40–100 by a position hash, no road anywhere.
    static func forest(_ p: PlanePoint) -> GroundSample? {
        let i = Int((p.x / 6).rounded(.down)), j = Int((p.y / 6).rounded(.down))
        var h = UInt64(bitPattern: Int64(i &* 73_856_093 ^ j &* 19_349_663))
        h = (h ^ (h >> 33)) &* 0xff51afd7ed558ccd
        h ^= h >> 33
        return GroundSample(level: 40 + Double(h % 61), chroma: 30)
    }

    /// A forest edge along y = 0: forest (level 50) for y > 0, a field (level 140) below.
    static func forestEdge(_ p: PlanePoint) -> GroundSample? { GroundSample(level: p.y > 0 ? 50 : 140, chroma: 30) }

    let test = RoadAlongLink(metresPerWorkingPixel: 2)

    @Test func aLinkAlongGreyAsphaltBetweenFieldsOfTheSameGrayIsOnARoad() {
        #expect(test.accepts(PlanePoint(x: 0, y: 0), PlanePoint(x: 60, y: 1), ground: Self.asphaltInFields))
        // without colour nothing tells this road from its fields
        #expect(!test.accepts(PlanePoint(x: 0, y: 0), PlanePoint(x: 60, y: 1), ground: Self.asphaltInFieldsGray))
    }

    @Test func aLinkAlongARoadInSnowIsOnARoad() {
        #expect(test.accepts(PlanePoint(x: 0, y: 0), PlanePoint(x: 150, y: -2), ground: Self.roadInSnow))
        // two vehicles close together: judged on 12 m of ground around them
        #expect(test.accepts(PlanePoint(x: 0, y: 0), PlanePoint(x: 3, y: 0), ground: Self.roadInSnow))
    }

    @Test func aLinkAcrossTheRoadIsNot() {
        #expect(!test.accepts(PlanePoint(x: 0, y: -30), PlanePoint(x: 0, y: 30), ground: Self.roadInSnow))
        #expect(!test.accepts(PlanePoint(x: 0, y: -30), PlanePoint(x: 5, y: 30), ground: Self.asphaltInFields))
    }

    /// The reason for the rule: between crowns in a forest the ground on the link is the same
    /// texture as beside it, whatever the link's direction. Not every such link is refused
    /// (quartiles of a few crowns differ by chance); in the benchmark's scenes about one in six
    /// clutter links passes, and the mass floor, `onRoad` and the confidence model do the rest.
    @Test func mostLinksBetweenCrownsInAForestAreNot() {
        var accepted = 0, judged = 0
        for k in 0..<200 {
            let a = PlanePoint(x: Double(k * 37 % 500), y: Double(k * 53 % 500))
            let angle = Double(k) * 0.7
            let b = a + PlanePoint(x: cos(angle), y: sin(angle)) * Double(8 + k % 40)
            judged += 1
            if test.accepts(a, b, ground: Self.forest) { accepted += 1 }
        }
        #expect(accepted * 5 <= judged, "\(accepted) of \(judged) links through forest accepted")
    }

    @Test func aLinkAlongAForestEdgeIsNot() {
        #expect(!test.accepts(PlanePoint(x: 0, y: 0), PlanePoint(x: 80, y: 0), ground: Self.forestEdge))
    }

    @Test func groundOutsideTheImageryDecidesNothing() {
        #expect(test.accepts(PlanePoint(x: 0, y: 0), PlanePoint(x: 80, y: 0)) { _ in nil })
    }

    /// The link test's quartiles by selection are the sorted values' (the 64 km case with
    /// `--max-gap 1500` spent a tenth of its time sorting them).
    @Test func quantilesBySelectionAreTheSortedValues() {
        var state: UInt64 = 12_345
        for n in 1...60 {
            for _ in 0..<20 {
                let values = (0..<n).map { _ -> Double in
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    return Double(state >> 59) // 32 levels: many ties
                }
                let sorted = values.sorted()
                for q in [0, 0.25, 0.5, 0.75, 0.99, 1] {
                    #expect(test.quantile(values, q) == sorted[min(n - 1, Int(q * Double(n)))], "n \(n), q \(q)")
                }
            }
        }
    }

    @Test func appliesWhereVehiclesMergeIntoStreaksUpToFourMetres() {
        #expect(!RoadFollowing.applies(metresPerWorkingPixel: 0.9))
        #expect(!RoadFollowing.applies(metresPerWorkingPixel: 1.2))
        #expect(RoadFollowing.applies(metresPerWorkingPixel: 1.5))
        #expect(RoadFollowing.applies(metresPerWorkingPixel: 4))
        #expect(!RoadFollowing.applies(metresPerWorkingPixel: 5))
    }

    @Test func aCandidateOnTheRoadIsOnARoadOneInTheFieldIsNot() {
        let follow = RoadFollowing(metresPerWorkingPixel: 2)
        #expect(follow.onRoad(PlanePoint(x: 40, y: 1), ground: Self.asphaltInFields))
        #expect(!follow.onRoad(PlanePoint(x: 40, y: 30), ground: Self.asphaltInFields))
        #expect(!follow.onRoad(PlanePoint(x: 40, y: 30), ground: Self.roadInSnow))
        #expect(!follow.onRoad(PlanePoint(x: 40, y: 0), ground: Self.forestEdge))
    }

    /// A chain that runs on along the road over its noise ends where its column does; weak
    /// members between strong ones stay (a small vehicle in the column).
    @Test func aChainIsTrimmedToItsStrongEnds() {
        let masses: [Double] = [150, 200, 900, 1200, 300, 1000, 1100, 250, 180]
        let follow = RoadFollowing(metresPerWorkingPixel: 2)
        #expect(follow.trimmed(Array(0..<9)) { masses[$0] } == [2, 3, 4, 5, 6])
        #expect(follow.trimmed([3]) { masses[$0] } == [3])
    }

    /// The linker with the road test: a column along a road passes a block of forest crowns
    /// beside it. The clutter filter alone drops the column's vehicles there (the crowns
    /// outnumber its neighbours within 40 m) and the column comes out in pieces; following the
    /// road it is one column from end to end.
    @Test func aColumnPastAForestEdgeIsOneColumnWhenTheRoadIsFollowed() {
        var nodes: [LinkNode] = []
        for k in 0..<41 { nodes.append(LinkNode(position: PlanePoint(x: Double(k) * 25, y: 0), axis: nil, length: 8, isStreakPiece: false)) }
        // crowns 6 m apart in a forest from 15 to 51 m beside the road, x 300 to 700
        for i in 0..<67 {
            for j in 0..<7 {
                nodes.append(LinkNode(position: PlanePoint(x: 300 + Double(i) * 6, y: 15 + Double(j) * 6), axis: nil, length: 6,
                                      isStreakPiece: false))
            }
        }
        let counts = [Double](repeating: 1, count: nodes.count)
        let masses = [Double](repeating: 900, count: nodes.count)
        func ground(_ p: PlanePoint) -> GroundSample? {
            if p.x >= 296 && p.x <= 704 && p.y >= 13 && p.y <= 54 { return Self.forest(p) }
            return Self.roadInSnow(p)
        }
        let detector = ConvoyDetector()
        let plain = detector.columns(nodes: nodes, counts: counts, masses: masses)
        let screened = detector.screenedColumns(nodes: nodes, counts: counts, masses: masses, ground: ground, workingGSD: 2)
        let followed = screened.filter { $0.rejection == nil }.map(\.column)
        #expect((plain.first?.planeLength ?? 0) < 700, "without the road: \(plain.map(\.planeLength))")
        let longest = followed.first
        #expect(abs((longest?.planeLength ?? 0) - 1000) < 30,
                "following the road: \(screened.map { ($0.column.planeLength, $0.column.members.count, $0.rejection?.code ?? "ok") })")
        #expect(longest?.members.count == 41)
        #expect(longest?.members.allSatisfy { $0 < 41 } == true)
    }
}
