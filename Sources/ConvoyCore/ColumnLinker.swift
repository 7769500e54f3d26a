#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One vehicle candidate placed in the metric plane where columns are linked.
public struct LinkNode: Sendable, Equatable {
    public var position: PlanePoint
    /// Long-axis direction in the plane, radians (axis, so θ and θ + π are the same); nil when unknown.
    public var axis: Double?
    /// Extent along the long axis, metres.
    public var length: Double
    /// Whether this is a piece of a streak rather than a resolved vehicle.
    public var isStreakPiece: Bool
    /// Whether it comes from an image fine enough to show vehicles one by one.
    public var shapeResolved: Bool

    public init(position: PlanePoint, axis: Double?, length: Double, isStreakPiece: Bool, shapeResolved: Bool = false) {
        self.position = position
        self.axis = axis
        self.length = length
        self.isStreakPiece = isStreakPiece
        self.shapeResolved = shapeResolved
    }
}

/// Links vehicle candidates head to tail into chains by good continuation.
///
/// Candidate links join each node to its nearest neighbours within `maxGap`. A link costs its
/// length, more when it runs across a vehicle's long axis; a link straight across a resolved
/// vehicle (side by side, as in a parking row) is never made. Links are taken cheapest first
/// while both ends are chain ends and the chain turns by less than `maxTurn` at each end, so a
/// chain follows a road through bends and across junctions straight on, rather than jumping to
/// whatever is nearest.
public struct ColumnLinker: Sendable {
    /// Longest gap bridged, metres.
    public var maxGap: Double
    /// Largest turn between consecutive links, radians.
    public var maxTurn: Double = 55 * .pi / 180
    /// Neighbours considered per node.
    public var neighbours = 10

    public init(maxGap: Double) { self.maxGap = maxGap }

    /// Chains as lists of node indices in order along the chain; single nodes are omitted.
    /// `allowed(i, j)`, when given, must also accept a link between nodes i and j (asked only of
    /// links the rules above would make). `judgedAnywhere(i, j)`, when given, answers as `allowed`
    /// would for the links it can judge on any thread, whatever was asked before (nil for the
    /// others): the second pass asks it about many links at once, spread over the cores
    /// (`mapOnAllCores`), so it must only read what it shares.
    public func chains(_ nodes: [LinkNode], allowed: ((Int, Int) -> Bool)? = nil,
                       judgedAnywhere: ((Int, Int) -> Bool?)? = nil) -> [[Int]] {
        let edges = candidateEdges(nodes)
        var degree = [Int](repeating: 0, count: nodes.count)
        var links = [[Int]](repeating: [], count: nodes.count)
        var set = DisjointSet(count: nodes.count)
        for e in edges {
            let (i, j) = (e.i, e.j)
            guard degree[i] < 2, degree[j] < 2, set.find(i) != set.find(j) else { continue }
            guard turnAllowed(at: i, towards: j, nodes, links), turnAllowed(at: j, towards: i, nodes, links) else { continue }
            if let allowed, !allowed(i, j) { continue }
            links[i].append(j)
            links[j].append(i)
            degree[i] += 1
            degree[j] += 1
            set.union(i, j)
        }
        joinEnds(nodes, &links, &degree, &set, allowed: allowed, judgedAnywhere: judgedAnywhere)
        var seen = [Bool](repeating: false, count: nodes.count)
        var result: [[Int]] = []
        for start in nodes.indices where !seen[start] && degree[start] == 1 {
            var chain = [start]
            seen[start] = true
            var previous = -1, current = start
            while let next = links[current].first(where: { $0 != previous }), !seen[next] {
                chain.append(next)
                seen[next] = true
                previous = current
                current = next
            }
            result.append(chain)
        }
        return spliceOverlaps(result, nodes)
    }

    /// How near a chain's end must come to another chain's node to continue along it, metres.
    public var spliceReach = 25.0
    /// Largest angle between a chain's heading at its end and the other chain's direction there.
    public var spliceAngle = 30 * Double.pi / 180

    /// Third pass: a chain whose end runs into the middle of another chain, heading the same way,
    /// goes on along it. Greedy linking takes the short links of a dense stretch first, so a
    /// column often comes out as two chains that overlap at one end — one of them hooked onto a
    /// house or crown beside the road. The spliced chain is the first one followed by the other
    /// from the meeting point on; the other's part behind the meeting point stays a chain of its
    /// own (a hook, or a side branch). A splice is made only when the first chain is longer than
    /// the part of the other behind the meeting point, so a splice is never undone and the passes
    /// end.
    func spliceOverlaps(_ chains: [[Int]], _ nodes: [LinkNode]) -> [[Int]] {
        var chains = chains
        // the nodes that can be spliced never move, so one grid serves every pass; a pass only
        // renumbers which chain holds each node (`owner`) and where (`place`)
        let initial = chains.flatMap { $0 }
        guard initial.count >= 4 else { return chains }
        let grid = SpatialGrid(points: initial.map { nodes[$0].position }, cell: spliceReach)
        var owner = [Int](repeating: -1, count: nodes.count), place = [Int](repeating: -1, count: nodes.count)
        var passes = 0
        while passes < 4 * chains.count + 4 {
            passes += 1
            for n in initial { owner[n] = -1 }
            // arc length along each chain up to each node
            var along = [Double](repeating: 0, count: nodes.count)
            for (c, chain) in chains.enumerated() {
                for (k, n) in chain.enumerated() {
                    owner[n] = c
                    place[n] = k
                    along[n] = k == 0 ? 0 : along[chain[k - 1]] + nodes[chain[k - 1]].position.distance(to: nodes[n].position)
                }
            }
            guard chains.reduce(0, { $0 + $1.count }) >= 4 else { return chains }
            // each chain end's best splice, found on this pass's chains
            var candidates: [(a: Int, atEnd: Bool, b: Int, k: Int, forward: Bool, score: Double)] = []
            for (a, chain) in chains.enumerated() where chain.count >= 3 {
                let last = chain.count - 1
                for atEnd in [false, true] {
                    // the end node, the node 3 links in, and the nodes between them
                    let end = nodes[atEnd ? chain[last] : chain[0]].position
                    let back = nodes[atEnd ? chain[max(0, last - 3)] : chain[min(last, 3)]].position
                    let before = atEnd ? chain[max(0, last - 3)..<last] : chain[1...min(last, 3)]
                    let heading = end - back
                    guard heading.length > 0 else { continue }
                    let h = heading * (1 / heading.length)
                    var beside: [Int: Bool] = [:] // chain → whether A's nodes before its end run beside it
                    var best: (a: Int, atEnd: Bool, b: Int, k: Int, forward: Bool, score: Double)?
                    grid.forEach(near: end, within: spliceReach) { m, d in
                        let n = initial[m], b = owner[n], k = place[n]
                        guard b >= 0, b != a, chains[b].count >= 3 else { return }
                        let chainB = chains[b]
                        let lo = max(0, k - 1), hi = min(chainB.count - 1, k + 1)
                        let u = nodes[chainB[hi]].position - nodes[chainB[lo]].position
                        guard u.length > 0 else { return }
                        let cosine = (h.x * u.x + h.y * u.y) / u.length
                        guard abs(cosine) >= cos(spliceAngle) else { return }
                        let forward = cosine > 0
                        // B must go on beyond the meeting point, and not merely end there (joinEnds' case)
                        let ahead = forward ? chainB.count - 1 - k : k
                        guard ahead >= 2 else { return }
                        // A must be the longer way into the meeting point: else A is the side
                        // branch, and splicing would only cut B (and the next pass would undo it)
                        let lengthA = along[chain[last]]
                        let behind = forward ? along[n] : along[chainB[chainB.count - 1]] - along[n]
                        guard lengthA > behind else { return }
                        // not two lanes side by side: the nodes before A's end must stay clear of B
                        let runsBeside = beside[b] ?? {
                            var near = false
                            for q in before {
                                grid.forEach(near: nodes[q].position, within: 9) { m2, _ in if owner[initial[m2]] == b { near = true } }
                            }
                            beside[b] = near
                            return near
                        }()
                        guard !runsBeside else { return }
                        let score = d + 20 * (1 - abs(cosine))
                        if best == nil || score < best!.score { best = (a, atEnd, b, k, forward, score) }
                    }
                    if let best { candidates.append(best) }
                }
            }
            // best first; a splice whose chains an earlier one of this pass changed waits for the
            // next pass, where its chains are seen as they now are
            let order = candidates.indices.sorted { (candidates[$0].score, $0) < (candidates[$1].score, $1) }
            var touched = Set<Int>(), produced: [[Int]] = []
            for i in order {
                let s = candidates[i]
                guard !touched.contains(s.a), !touched.contains(s.b) else { continue }
                touched.formUnion([s.a, s.b])
                produced += splice(chains[s.a], atEnd: s.atEnd, into: chains[s.b], at: s.k, forward: s.forward, nodes)
            }
            guard !touched.isEmpty else { return chains }
            chains = chains.indices.filter { !touched.contains($0) }.map { chains[$0] } + produced
        }
        return chains
    }

    /// Chain A (its end at `atEnd`) followed by chain B from its node `k` on, in the direction
    /// `forward`; then B's part behind the meeting point, when it is still a chain.
    func splice(_ a: [Int], atEnd: Bool, into chainB: [Int], at k: Int, forward: Bool, _ nodes: [LinkNode]) -> [[Int]] {
        let chainA = atEnd ? a : Array(a.reversed())
        let end = nodes[chainA[chainA.count - 1]].position
        var k = k
        // start the continuation at the first node of B not behind A's end
        let next = k + (forward ? 1 : -1)
        if next >= 0 && next < chainB.count {
            let dir = nodes[chainB[next]].position - nodes[chainB[k]].position
            let offset = nodes[chainB[k]].position - end
            if offset.x * dir.x + offset.y * dir.y < 0 { k = next }
        }
        let continuation = forward ? Array(chainB[k...]) : Array(chainB[...k].reversed())
        let remainder = forward ? Array(chainB[..<k]) : Array(chainB[(k + 1)...])
        return [chainA + continuation] + (remainder.count >= 2 ? [remainder] : [])
    }

    /// Second pass: joins chain ends that continue one another across a gap that the
    /// nearest-neighbour links did not reach (clutter nearer than the next vehicle, a junction).
    /// Both chains must point at each other: the link may turn at most `maxTurn` from the
    /// direction of the last few links at each end.
    ///
    /// With `--max-gap 1500` on the 64 km reconstruction this pass considers a million pairs of
    /// ends and asks about 830,000 of them whether a road runs between (nearly all refused): 17 s
    /// of the 41 s run on one core. The pairs still open are asked `batch` at a time, their
    /// verdicts (`judgedAnywhere`) worked out over the cores, then taken in order: a pair that an
    /// earlier link in its batch closed is skipped as before, so the links are the same.
    func joinEnds(_ nodes: [LinkNode], _ links: inout [[Int]], _ degree: inout [Int], _ set: inout DisjointSet,
                  allowed: ((Int, Int) -> Bool)? = nil, judgedAnywhere: ((Int, Int) -> Bool?)? = nil) {
        let ends = nodes.indices.filter { degree[$0] == 1 }
        guard ends.count >= 2 else { return }
        let grid = SpatialGrid(points: ends.map { nodes[$0].position }, cell: maxGap)
        var edges: [Edge] = []
        for (a, i) in ends.enumerated() {
            guard let di = endDirection(i, nodes, links) else { continue }
            grid.forEach(near: nodes[i].position, within: maxGap) { b, d in
                let j = ends[b]
                guard j > i, d > 0, let dj = endDirection(j, nodes, links) else { return }
                let link = (nodes[j].position - nodes[i].position) * (1 / d)
                let turnI = di.x * link.x + di.y * link.y         // cos of the turn leaving i
                let turnJ = -(dj.x * link.x + dj.y * link.y)      // cos of the turn arriving at j
                let limitI = nodes[i].shapeResolved ? turnLimit(d, d) : maxTurn
                let limitJ = nodes[j].shapeResolved ? turnLimit(d, d) : maxTurn
                guard turnI >= cos(limitI), turnJ >= cos(limitJ) else { return }
                // good continuation: what counts is how far the other end lies off the line each
                // chain is heading along, more than how near it is
                let offLineI = d * (1 - turnI * turnI).squareRoot(), offLineJ = d * (1 - turnJ * turnJ).squareRoot()
                edges.append(Edge(i: i, j: j, cost: d + 6 * (offLineI + offLineJ)))
                _ = a
            }
        }
        edges.sort { ($0.cost, $0.i, $0.j) < ($1.cost, $1.i, $1.j) }
        func open(_ e: Edge) -> Bool { degree[e.i] == 1 && degree[e.j] == 1 && set.find(e.i) != set.find(e.j) }
        let batch = 1024
        var next = 0
        var pending: [Edge] = []
        while next < edges.count {
            // the next pairs still open (a pair closed now stays closed: degrees only grow, sets only merge)
            pending.removeAll(keepingCapacity: true)
            while next < edges.count && pending.count < batch {
                if open(edges[next]) { pending.append(edges[next]) }
                next += 1
            }
            let verdicts: [Bool?] = if let judgedAnywhere, allowed != nil {
                pending.mapOnAllCores { judgedAnywhere($0.i, $0.j) }
            } else {
                [Bool?](repeating: nil, count: pending.count)
            }
            for (k, e) in pending.enumerated() where open(e) {
                if let allowed, !(verdicts[k] ?? allowed(e.i, e.j)) { continue }
                links[e.i].append(e.j)
                links[e.j].append(e.i)
                degree[e.i] += 1
                degree[e.j] += 1
                set.union(e.i, e.j)
            }
        }
    }

    /// Unit direction in which a chain leaves its end node: from the node up to 3 links back
    /// towards the end.
    func endDirection(_ end: Int, _ nodes: [LinkNode], _ links: [[Int]]) -> PlanePoint? {
        var previous = end, current = end
        for _ in 0..<3 {
            guard let next = links[current].first(where: { $0 != previous }) else { break }
            previous = current
            current = next
        }
        guard current != end else { return nil }
        let d = nodes[end].position - nodes[current].position
        let len = d.length
        return len > 0 ? d * (1 / len) : nil
    }

    struct Edge { let i: Int, j: Int, cost: Double }

    func candidateEdges(_ nodes: [LinkNode]) -> [Edge] {
        // the nearest neighbours are searched in growing circles (from 50 m, doubling up to
        // `maxGap`), so that a node among thousands within a long `maxGap` (a forest, with
        // --max-gap 1500) does not sort them all; circles wider than 8 cells are searched in a
        // grid of `maxGap` cells, so that a lone node does not visit thousands of empty cells
        let cell = min(maxGap, 50)
        let positions = nodes.map(\.position)
        let fine = SpatialGrid(points: positions, cell: cell)
        let coarse = maxGap > 8 * cell ? SpatialGrid(points: positions, cell: maxGap) : fine
        var edges: [Edge] = []
        var near: [(Int, Double)] = []
        for i in nodes.indices {
            var radius = cell
            while true {
                near.removeAll(keepingCapacity: true)
                (radius > 8 * cell ? coarse : fine).forEach(near: nodes[i].position, within: radius) { j, d in
                    if j != i { near.append((j, d)) }
                }
                if near.count >= neighbours || radius >= maxGap { break }
                radius = min(maxGap, 2 * radius)
            }
            near.sort { ($0.1, $0.0) < ($1.1, $1.0) }
            for (j, d) in near.prefix(neighbours) {
                guard let cost = linkCost(nodes[i], nodes[j], distance: d) else { continue }
                edges.append(Edge(i: min(i, j), j: max(i, j), cost: cost))
            }
        }
        edges.sort { ($0.cost, $0.i, $0.j) < ($1.cost, $1.i, $1.j) }
        // a pair found from both ends appears twice; keep the first
        var unique: [Edge] = []
        var last: (Int, Int) = (-1, -1)
        for e in edges where (e.i, e.j) != last {
            unique.append(e)
            last = (e.i, e.j)
        }
        return unique
    }

    /// The cost of linking a and b, or nil when the link runs across a resolved vehicle.
    func linkCost(_ a: LinkNode, _ b: LinkNode, distance: Double) -> Double? {
        guard distance > 0 else { return 0 }
        let direction = atan2(b.position.y - a.position.y, b.position.x - a.position.x)
        var penalty = 1.0
        for node in [a, b] {
            guard let axis = node.axis else { continue }
            let across = abs(sin(direction - axis)) // 0 along the long axis, 1 across it
            // side by side (a parking row, or the next lane when two abreast): never linked
            if across > 0.77 { return nil }
            penalty += 1.5 * across
        }
        return distance * penalty
    }

    /// Largest turn between links of these lengths, metres: a road bends little over a short
    /// step, so between streak pieces 10 m apart a chain may turn about 30°, not the 55° allowed
    /// between vehicles 50 m apart — else at a crossing with a field edge or hedge it switches
    /// lines. `tightestRadius` of road plus 20° for the jitter of centroids.
    func turnLimit(_ a: Double, _ b: Double) -> Double {
        min(maxTurn, 20 * .pi / 180 + (a + b) / 2 / tightestRadius)
    }

    /// Radius of the tightest road bend a column follows, metres.
    public var tightestRadius = 50.0

    func turnAllowed(at i: Int, towards j: Int, _ nodes: [LinkNode], _ links: [[Int]]) -> Bool {
        guard let k = links[i].first else { return true }
        let incoming = nodes[i].position - nodes[k].position
        let outgoing = nodes[j].position - nodes[i].position
        let cosine = (incoming.x * outgoing.x + incoming.y * outgoing.y) / max(1e-9, incoming.length * outgoing.length)
        return cosine >= cos(nodes[i].shapeResolved ? turnLimit(incoming.length, outgoing.length) : maxTurn)
    }
}

/// Union-find over integers.
struct DisjointSet {
    private var parent: [Int]
    init(count: Int) { parent = Array(0..<count) }
    mutating func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
        return i
    }
    mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}

/// Points bucketed in square cells, for "what is near here" in the plane.
public struct SpatialGrid: Sendable {
    private(set) var points: [PlanePoint]
    let cell: Double
    private var buckets: [Int64: [Int]] = [:]

    public init(points: [PlanePoint], cell: Double) {
        self.points = points
        self.cell = cell
        for (i, p) in points.enumerated() { buckets[key(p), default: []].append(i) }
    }

    /// Adds a point; its index is the number of points before it.
    public mutating func append(_ p: PlanePoint) {
        buckets[key(p), default: []].append(points.count)
        points.append(p)
    }

    private func cellOf(_ p: PlanePoint) -> (Int64, Int64) { (Int64(floor(p.x / cell)), Int64(floor(p.y / cell))) }
    private func key(_ p: PlanePoint) -> Int64 { let (cx, cy) = cellOf(p); return key(cx, cy) }
    private func key(_ cx: Int64, _ cy: Int64) -> Int64 { (cx << 32) ^ (cy & 0xFFFF_FFFF) }

    /// Calls `body(index, distance)` for every point within `radius` of `p`.
    public func forEach(near p: PlanePoint, within radius: Double, _ body: (Int, Double) -> Void) {
        let (cx, cy) = cellOf(p)
        let reach = Int64(ceil(radius / cell))
        for dy in -reach...reach {
            for dx in -reach...reach {
                for j in buckets[key(cx + dx, cy + dy)] ?? [] {
                    let d = p.distance(to: points[j])
                    if d <= radius { body(j, d) }
                }
            }
        }
    }
}
