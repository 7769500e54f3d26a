@testable import ConvoyCore
import Foundation
import Testing

/// Following a road from a resolved vehicle (`RoadTracer`), and the links it refuses
/// (`FollowedRoads`), on synthetic ground given as a function of plane position: asphalt (170)
/// 7 m wide with bright edge lines (210, 1 m) between fields (110), all with a few levels of
/// texture, and dark vehicles (60, 3 × 7 m) on it.
@Suite struct RoadTracerTests {
    /// A few levels of deterministic texture, by a hash of the metre cell.
    static func texture(_ p: PlanePoint) -> Double {
        let i = Int(p.x.rounded(.down)), j = Int(p.y.rounded(.down))
        var h = UInt64(bitPattern: Int64(i &* 73_856_093 ^ j &* 19_349_663))
        h = (h ^ (h >> 33)) &* 0xff51afd7ed558ccd
        h ^= h >> 33
        return Double(h % 9) - 4
    }

    /// The level at signed distance `d` from a road's centre line.
    static func acrossRoad(_ d: Double) -> Double { abs(d) <= 3.5 ? 170 : abs(d) <= 4.5 ? 210 : 110 }

    /// Whether p lies on a vehicle centred at c, 7 m long along unit direction u, 3 m wide.
    static func onVehicle(_ p: PlanePoint, _ c: PlanePoint, _ u: PlanePoint) -> Bool {
        let d = p - c
        return abs(d.x * u.x + d.y * u.y) <= 3.5 && abs(-d.x * u.y + d.y * u.x) <= 1.5
    }

    /// A straight road along the x axis from x = -100 to `end`, plain field beyond it, with
    /// vehicles at `vehicles` (x positions, on the centre line).
    static func straightRoad(end: Double = 1000, vehicles: [Double] = [0]) -> (PlanePoint) -> Double? {
        { p in
            for x in vehicles where onVehicle(p, PlanePoint(x: x, y: 0), PlanePoint(x: 1, y: 0)) { return 60 }
            let level = p.x >= -100 && p.x <= end ? acrossRoad(p.y) : 110
            return level + texture(p)
        }
    }

    /// A road bending left along a circle of `radius` metres through the origin (heading +x
    /// there, centre at (0, radius)), with a vehicle at the origin.
    static func bend(radius: Double) -> (PlanePoint) -> Double? {
        { p in
            if onVehicle(p, PlanePoint(x: 0, y: 0), PlanePoint(x: 1, y: 0)) { return 60 }
            let d = radius - p.distance(to: PlanePoint(x: 0, y: radius))
            return acrossRoad(d) + texture(p)
        }
    }

    /// Plain field: no road anywhere.
    static func field(_ p: PlanePoint) -> Double? { 110 + texture(p) }

    let tracer = RoadTracer(metresPerPixel: 0.6)

    /// The trace from a vehicle at the origin, along its axis (+x).
    func forwardStart(_ ground: (PlanePoint) -> Double?) -> RoadTracer.Start? {
        tracer.starts(at: PlanePoint(x: 0, y: 0), axis: 0, length: 7, ground: ground).first { $0.direction.x > 0 }
    }

    @Test func aVehicleOnARoadStartsBothWaysAlongIt() {
        // the blob's axis is skewed 12° by its shadow: the road's own direction is found
        let starts = tracer.starts(at: PlanePoint(x: 0, y: 0), axis: 12 * .pi / 180, length: 7, ground: Self.straightRoad())
        #expect(starts.count == 2)
        for s in starts { #expect(abs(s.direction.y) < sin(3 * Double.pi / 180)) }
    }

    @Test func plainGroundHasNoRoadToFollow() {
        #expect(tracer.starts(at: PlanePoint(x: 0, y: 0), axis: 0, length: 7, ground: Self.field).isEmpty)
    }

    @Test func theTraceBendsWithTheRoad() throws {
        let radius = 150.0
        let ground = Self.bend(radius: radius)
        let start = try #require(forwardStart(ground))
        let trace = tracer.follow(start, maximumLength: 200, ground: ground)
        #expect(!trace.lost)
        #expect(trace.length >= 199)
        // every centre within 1.5 m of the road's centre line, 76° round the bend
        let worst = trace.centres.map { abs(radius - $0.point.distance(to: PlanePoint(x: 0, y: radius))) }.max()!
        #expect(worst < 1.5)
    }

    @Test func theTraceIsLostWhereTheRoadEnds() throws {
        let ground = Self.straightRoad(end: 60)
        let start = try #require(forwardStart(ground))
        let trace = tracer.follow(start, maximumLength: 500, ground: ground)
        #expect(trace.lost)
        // it coasts at most `coast` metres past the road's end
        #expect(trace.length >= 58)
        #expect(trace.length <= 60 + tracer.coast + tracer.step, "followed \(trace.length) m")
    }

    @Test func theTraceCrossesAVehicleOnTheRoad() throws {
        let ground = Self.straightRoad(vehicles: [0, 40, 80])
        let start = try #require(forwardStart(ground))
        let trace = tracer.follow(start, maximumLength: 150, ground: ground)
        #expect(!trace.lost)
        #expect(trace.centres.allSatisfy { abs($0.point.y) < 1 })
    }

    // MARK: links refused

    static func node(_ x: Double, _ y: Double, axis: Double? = 0) -> LinkNode {
        LinkNode(position: PlanePoint(x: x, y: y), axis: axis, length: 7, isStreakPiece: false, shapeResolved: true)
    }

    @Test func aLinkToAHouseBesideTheRoadIsRefused() {
        // vehicles at 0 and 80 m on the road; a house's shadow 30 m on and 12 m to the side
        let nodes = [Self.node(0, 0), Self.node(80, 0), Self.node(30, 12, axis: nil)]
        let roads = FollowedRoads(nodes: nodes, metresPerWorkingPixel: 0.6, ground: Self.straightRoad(vehicles: [0, 80]))
        #expect(roads.allows(0, 1))
        #expect(!roads.allows(0, 2))
        #expect(!roads.allows(1, 2))
    }

    @Test func withoutARoadToFollowTheLinkerDecides() {
        let nodes = [Self.node(0, 0), Self.node(30, 12, axis: nil)]
        #expect(FollowedRoads(nodes: nodes, metresPerWorkingPixel: 0.6, ground: Self.field).allows(0, 1))
    }

    @Test func aLinkTooLongToJudgeIsLeftToTheLinker() {
        // a house's shadow 12 m beside a straight road, 3 km on: a trace would pass it, but a
        // link that long is not judged (and no road is followed for kilometres)
        let nodes = [Self.node(0, 0), Self.node(3000, 12, axis: nil)]
        let roads = FollowedRoads(nodes: nodes, metresPerWorkingPixel: 0.6, ground: Self.straightRoad(end: 10_000))
        #expect(roads.allows(0, 1))
        let near = [Self.node(0, 0), Self.node(1500, 12, axis: nil)]
        #expect(!FollowedRoads(nodes: near, metresPerWorkingPixel: 0.6, ground: Self.straightRoad(end: 10_000)).allows(0, 1))
    }

    /// Regression (tune-00, 0.3 m): the linker strung a column's vehicle to a house beside its
    /// road, nearer than the next vehicle, and the chain zigzagged off the road.
    @Test func aChainStaysOnItsRoadPastAHouseNearerThanTheNextVehicle() {
        var nodes = (0..<6).map { Self.node(Double($0) * 40, 0) }
        nodes.append(Self.node(200 + 80, 0))            // the next vehicle, 80 m on
        nodes.append(Self.node(200 + 30, 9, axis: nil)) // a house's shadow 30 m on, 9 m aside
        let ground = Self.straightRoad(vehicles: nodes.prefix(7).map(\.position.x))
        let linker = ColumnLinker(maxGap: 300)
        // without the road the house is taken (the test's premise)
        #expect(linker.chains(nodes).contains { $0.contains(7) })
        let roads = FollowedRoads(nodes: nodes, metresPerWorkingPixel: 0.6, ground: ground)
        let chains = linker.chains(nodes, allowed: roads.allows)
        #expect(chains.count == 1)
        #expect(Set(chains[0]) == Set(0..<7))
    }
}
