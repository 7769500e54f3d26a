@testable import ConvoyCore
import Testing

/// Pieces of one column joined along their road, and only along it (`ColumnJoining`).
@Suite struct ColumnJoiningTests {
    /// Gray level of a scene with an 8 m road (100) along the x axis on snow (180), a road
    /// crossing it at x = 300 m, and, when `secondRoad`, a road parallel to the first 60 m north.
    static func level(secondRoad: Bool = false) -> (PlanePoint) -> Double? {
        { p in
            let onRoad = abs(p.y) <= 4 || abs(p.x - 300) <= 4 || (secondRoad && abs(p.y - 60) <= 4)
            return onRoad ? 100 : 180
        }
    }

    /// Vehicles every 40 m at x = 0…240 (piece A) and x = 380…620 at height `y` (piece B), their
    /// columns, and a rebuild that passes every column.
    static func pieces(bAt y: Double = 0) -> (nodes: [LinkNode], screened: [(column: Column, rejection: ColumnRejection?)],
                                             rebuild: ([Int]) -> (column: Column, rejection: ColumnRejection?)?) {
        let xs = stride(from: 0.0, through: 240, by: 40).map { ($0, 0.0) } + stride(from: 380.0, through: 620, by: 40).map { ($0, y) }
        let nodes = xs.map { LinkNode(position: PlanePoint(x: $0.0, y: $0.1), axis: 0, length: 7, isStreakPiece: false, shapeResolved: true) }
        let builder = ColumnBuilder()
        let rebuild: ([Int]) -> (column: Column, rejection: ColumnRejection?)? = { members in
            builder.column(for: [members], nodes: nodes) { _ in 1 }.map { ($0, nil) }
        }
        let screened = [Array(0..<7), Array(7..<14)].compactMap(rebuild)
        return (nodes, screened, rebuild)
    }

    @Test func piecesOnOneRoadAcrossAJunctionAreOneColumn() throws {
        let (nodes, screened, rebuild) = Self.pieces()
        let joined = ColumnJoining(metresPerWorkingPixel: 1, maxGap: 300)
            .joined(screened, nodes: nodes, rebuild: rebuild, level: Self.level())
        try #require(joined.count == 1)
        #expect(Set(joined[0].column.members) == Set(0..<14))
        #expect(abs(joined[0].column.planeLength - 627) < 5, "from the rear of the first vehicle to the front of the last")
    }

    @Test func piecesOnDifferentRoadsStaySeparate() {
        let (nodes, screened, rebuild) = Self.pieces(bAt: 60)
        let joined = ColumnJoining(metresPerWorkingPixel: 1, maxGap: 300)
            .joined(screened, nodes: nodes, rebuild: rebuild, level: Self.level(secondRoad: true))
        #expect(joined.count == 2, "the road from A's end runs on along y = 0, 60 m from B's end")
    }

    @Test func aGapLongerThanMaxGapIsNotBridged() {
        let (nodes, screened, rebuild) = Self.pieces()
        let joined = ColumnJoining(metresPerWorkingPixel: 1, maxGap: 120)
            .joined(screened, nodes: nodes, rebuild: rebuild, level: Self.level())
        #expect(joined.count == 2, "A's end at 243.5 m, B's at 376.5 m")
    }

    /// A join must not make a column less credible than its weaker piece, nor take a reported
    /// piece out of the report; a piece off any road is not joined at all.
    @Test func aJoinThatLowersTheConfidenceIsRefused() {
        let (nodes, screened, rebuild) = Self.pieces()
        let joining = ColumnJoining(metresPerWorkingPixel: 1, maxGap: 300)
        func run(pieces: Double?, joined: Double) -> Int {
            joining.joined(screened, nodes: nodes, rebuild: rebuild,
                           credibility: { $0.members.count > 7 ? joined : pieces }, minConfidence: 0.5,
                           level: Self.level()).count
        }
        #expect(run(pieces: 0.9, joined: 0.95) == 1)
        #expect(run(pieces: 0.9, joined: 0.6) == 2, "less credible than either piece")
        #expect(run(pieces: 0.9, joined: 0.45) == 2, "both pieces would be reported, the joined column would not")
        #expect(run(pieces: 0.3, joined: 0.35) == 1, "no piece was reported: the joined column may be, or not")
        #expect(run(pieces: nil, joined: 0.9) == 2, "pieces off the road test are not joined")
    }
}
