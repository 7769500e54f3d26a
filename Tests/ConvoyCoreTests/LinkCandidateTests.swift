@testable import ConvoyCore
import Foundation
import Testing

/// The links the linker considers: each node's `neighbours` nearest nodes within `maxGap`.
@Suite struct LinkCandidateTests {
    /// The definition, by brute force: every other node by distance (ties by index), the nearest
    /// `neighbours` of them within `maxGap`, each pair once, cheapest first.
    static func definition(_ linker: ColumnLinker, _ nodes: [LinkNode]) -> [(Int, Int, Double)] {
        var edges: [(Int, Int, Double)] = []
        for i in nodes.indices {
            let near = nodes.indices.filter { $0 != i }
                .map { ($0, nodes[i].position.distance(to: nodes[$0].position)) }
                .filter { $0.1 <= linker.maxGap }
                .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            for (j, d) in near.prefix(linker.neighbours) {
                guard let cost = linker.linkCost(nodes[i], nodes[j], distance: d) else { continue }
                edges.append((min(i, j), max(i, j), cost))
            }
        }
        edges.sort { ($0.2, $0.0, $0.1) < ($1.2, $1.0, $1.1) }
        var unique: [(Int, Int, Double)] = []
        for e in edges where unique.last.map({ ($0.0, $0.1) != (e.0, e.1) }) ?? true { unique.append(e) }
        return unique
    }

    /// Regression (found with --max-gap 1500 on forest tiles): every node sorted all the nodes
    /// within `maxGap` to take its ten nearest, thousands per node where candidates are dense;
    /// the search now grows from 50 m. The links must be exactly those of the definition, for
    /// dense clusters, sparse nodes kilometres apart, and nodes with fewer neighbours than asked.
    @Test(arguments: [300.0, 1500.0, 30.0])
    func linksAreEachNodesNearestWithinTheGap(maxGap: Double) {
        var state: UInt64 = 42
        func random() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var nodes: [LinkNode] = []
        for _ in 0..<600 { // a dense patch 200 m across
            nodes.append(LinkNode(position: PlanePoint(x: 200 * random(), y: 200 * random()),
                                  axis: random() < 0.5 ? .pi * random() : nil, length: 6, isStreakPiece: false))
        }
        for k in 0..<40 { // sparse nodes along a line, 40 to 900 m apart
            nodes.append(LinkNode(position: PlanePoint(x: 400 + Double(k) * (40 + 860 * random()), y: -300),
                                  axis: nil, length: 6, isStreakPiece: false))
        }
        let linker = ColumnLinker(maxGap: maxGap)
        let found = linker.candidateEdges(nodes).map { ($0.i, $0.j, $0.cost) }
        let expected = Self.definition(linker, nodes)
        #expect(found.count == expected.count)
        #expect(zip(found, expected).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 && $0.2 == $1.2 })
    }

    /// The second pass asks about pairs of chain ends a batch at a time, their verdicts worked out
    /// over the cores (`judgedAnywhere`) and taken in order: the chains are those of asking one
    /// pair at a time. Short chains scattered over 3 km with `--max-gap 1500` give thousands of
    /// pairs (several batches); nine in ten are refused, and the verdicts of a third of the
    /// pairs are left to `allowed` (nil), as the detector leaves links between resolved vehicles.
    @Test func endsJoinedOverTheCoresAreTheEndsJoinedInTurn() {
        var state: UInt64 = 7
        func random() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var nodes: [LinkNode] = []
        for _ in 0..<400 { // pieces of three vehicles 20 m apart, heading anywhere
            let start = PlanePoint(x: 3000 * random(), y: 3000 * random()), heading = 2 * .pi * random()
            for k in 0..<3 {
                nodes.append(LinkNode(position: start + PlanePoint(x: cos(heading), y: sin(heading)) * (20 * Double(k)),
                                      axis: nil, length: 6, isStreakPiece: false))
            }
        }
        @Sendable func verdict(_ i: Int, _ j: Int) -> Bool {
            var h = UInt64(min(i, j)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(max(i, j)) &* 0xC2B2_AE3D_27D4_EB4F
            h ^= h >> 29
            return i / 3 == j / 3 || h % 10 == 0 // a piece's own vehicles link
        }
        let linker = ColumnLinker(maxGap: 1500)
        var askedInTurn = 0
        let inTurn = linker.chains(nodes, allowed: { askedInTurn += 1; return verdict($0, $1) })
        var askedAfter = 0
        let overTheCores = linker.chains(nodes, allowed: { askedAfter += 1; return verdict($0, $1) },
                                         judgedAnywhere: { i, j in (i + j) % 3 == 0 ? nil : verdict(i, j) })
        #expect(overTheCores == inTurn)
        #expect(inTurn.contains { $0.count > 3 }, "some pieces were joined")
        // the first pass asks `allowed` in turn as before; of the second pass's pairs, two in
        // three were judged over the cores, more than a batch of them
        #expect(askedInTurn - askedAfter > 1_024, "\(askedAfter) of \(askedInTurn) asked in turn")
    }
}
