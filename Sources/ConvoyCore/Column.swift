#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column of vehicles found in the plane: which candidates belong to it and the path it
/// follows, from the front of the vehicle at one end to the rear of the vehicle at the other.
public struct Column: Sendable {
    /// Indices of its nodes in the linker's input.
    public var members: [Int]
    /// Centre path in plane metres, end to end, including the end vehicles' own length.
    public var path: [PlanePoint]
    /// Estimated number of vehicles.
    public var vehicles: Int
    /// Whether the count comes from streaks (vehicles merged at coarse resolution) rather than
    /// from vehicles seen one by one.
    public var vehiclesEstimated: Bool
    /// The vehicles found on the path that were no candidate (`MissedVehicles`), counted in
    /// `vehicles`; nil where they were not looked for.
    public var foundOnPath: [MissedVehicles.Found]? = nil
    /// How many of `vehicles` those stand for.
    public var vehiclesOnPath: Int? { foundOnPath.map { $0.reduce(0) { $0 + $1.vehicles } } }

    /// Length of the path in plane metres.
    public var planeLength: Double { zip(path, path.dropFirst()).reduce(0) { $0 + $1.0.distance(to: $1.1) } }

    /// Whether most of `members` (indices into `nodes`) are vehicles seen one by one, which sets
    /// how a column's path is smoothed, the road test's thresholds and where vehicles the
    /// candidates missed are looked for.
    public static func mostlyResolved(_ members: [Int], _ nodes: [LinkNode]) -> Bool {
        members.filter { nodes[$0].shapeResolved }.count * 2 > members.count
    }
}

/// Builds columns from the linker's chains: drops members that stick out sideways and stragglers
/// cut off at the ends, merges chains that run side by side (stretches two or three abreast)
/// into one column, and traces the column's centre path.
public struct ColumnBuilder: Sendable {
    /// Lateral distance within which parallel chains are one column, metres.
    public var abreastWidth = 9.0
    /// Spacing of the path's vertices, metres.
    public var pathStep = 20.0

    public init() {}

    public func columns(chains: [[Int]], nodes: [LinkNode], vehicleCount: (Int) -> Double) -> [Column] {
        let straightened = chains.map { trimStragglers(removeSpikes($0, nodes), nodes) }.filter { $0.count >= 2 }
        let groups = mergeSideBySide(straightened, nodes)
        return groups.compactMap { column(for: $0, nodes: nodes, vehicleCount: vehicleCount) }
    }

    /// Largest sideways step, metres, that a chain may take off the line through its neighbours.
    public var maxSpike = 4.5

    /// Drops members that stick out sideways from their chain (a shadow of a house beside the
    /// road, a crown on the verge): a node further than `maxSpike` from the straight line
    /// through its two neighbours (at an end, through the two before it) where the chain zigzags
    /// — it turns one way at the node and the other way at its neighbours. On a road bend the
    /// chain turns the same way at every node, and with vehicles 50 m apart on a 150 m radius a
    /// node lies 8 m off its neighbours' chord: that stays.
    func removeSpikes(_ chain: [Int], _ nodes: [LinkNode]) -> [Int] {
        var chain = chain
        func offset(_ p: PlanePoint, _ a: PlanePoint, _ b: PlanePoint) -> Double {
            let ab = b - a, len = ab.length
            guard len > 0 else { return p.distance(to: a) }
            return abs(ab.x * (p.y - a.y) - ab.y * (p.x - a.x)) / len
        }
        // sign of the turn at interior node k (+1 left, -1 right, 0 straight)
        func turn(_ k: Int) -> Int {
            let a = nodes[chain[k - 1]].position, b = nodes[chain[k]].position, c = nodes[chain[k + 1]].position
            let u = b - a, v = c - b
            let cross = u.x * v.y - u.y * v.x
            let scale = u.length * v.length
            guard scale > 0, abs(cross) > 0.02 * scale else { return 0 }
            return cross > 0 ? 1 : -1
        }
        func zigzags(_ k: Int) -> Bool {
            // streak pieces of coarse images lie metres apart: any sideways step is a spike there
            guard nodes[chain[k]].shapeResolved else { return true }
            let n = chain.count
            if k == 0 || k == n - 1 {
                // an end: the turn at its neighbour against the turn one further in
                guard n >= 4 else { return true }
                let (a, b) = k == 0 ? (1, 2) : (n - 2, n - 3)
                return turn(a) != turn(b)
            }
            let here = turn(k)
            let around = [k - 1, k + 1].filter { $0 >= 1 && $0 <= n - 2 }.map(turn)
            guard !around.isEmpty else { return true }
            return around.allSatisfy { $0 != here }
        }
        var changed = true
        while changed && chain.count >= 3 {
            changed = false
            var worst = (index: -1, offset: maxSpike)
            for k in chain.indices {
                let p = nodes[chain[k]].position
                let d: Double
                if k == 0 {
                    d = offset(p, nodes[chain[1]].position, nodes[chain[2]].position)
                } else if k == chain.count - 1 {
                    d = offset(p, nodes[chain[k - 1]].position, nodes[chain[k - 2]].position)
                } else {
                    d = offset(p, nodes[chain[k - 1]].position, nodes[chain[k + 1]].position)
                }
                if d > worst.offset && zigzags(k) { worst = (k, d) }
            }
            if worst.index >= 0 {
                chain.remove(at: worst.index)
                changed = true
            }
        }
        return chain
    }

    /// Drops one or two vehicles at a chain's end that are cut off from it by a gap far wider than
    /// the chain's usual spacing (more than 4 times its median and 100 m): traffic or a parked
    /// vehicle further along the same road, not the column's head or tail. A gap inside a column
    /// has the column on both sides; a straggler has at most two vehicles beyond it.
    func trimStragglers(_ chain: [Int], _ nodes: [LinkNode]) -> [Int] {
        var chain = chain
        func gaps() -> [Double] { zip(chain, chain.dropFirst()).map { nodes[$0.0].position.distance(to: nodes[$0.1].position) } }
        var trimmed = true
        while trimmed && chain.count >= 6 {
            trimmed = false
            let g = gaps()
            let median = g.sorted()[g.count / 2]
            let limit = max(100, 4 * median)
            for (reversed, cut) in [(false, 1), (false, 2), (true, 1), (true, 2)] {
                let k = reversed ? g.count - cut : cut - 1 // index of the gap that isolates `cut` end nodes
                guard k >= 0, k < g.count, g[k] > limit else { continue }
                if reversed { chain.removeLast(cut) } else { chain.removeFirst(cut) }
                trimmed = true
                break
            }
        }
        return chain
    }

    /// Groups of chains running side by side, each group listed longest chain first.
    func mergeSideBySide(_ chains: [[Int]], _ nodes: [LinkNode]) -> [[[Int]]] {
        guard !chains.isEmpty else { return [] }
        var owner = [Int](repeating: -1, count: nodes.count)
        for (c, chain) in chains.enumerated() { for n in chain { owner[n] = c } }
        let members = chains.flatMap { $0 }
        let grid = SpatialGrid(points: members.map { nodes[$0].position }, cell: abreastWidth)
        var set = DisjointSet(count: chains.count)
        let lengths = chains.map { chainLength($0, nodes) }
        for (c, chain) in chains.enumerated() {
            var near: [Int: Int] = [:] // other chain → nodes of this chain close to it
            for n in chain {
                var hit = Set<Int>()
                grid.forEach(near: nodes[n].position, within: abreastWidth) { k, _ in
                    let o = owner[members[k]]
                    if o != c { hit.insert(o) }
                }
                for o in hit { near[o, default: 0] += 1 }
            }
            for (o, count) in near where count * 2 >= min(chain.count, chains[o].count) && lengths[c] <= lengths[o] {
                set.union(c, o)
            }
        }
        var groups: [Int: [[Int]]] = [:]
        for (c, chain) in chains.enumerated() { groups[set.find(c), default: []].append(chain) }
        // in a fixed order (longest first, ties by their first node), whatever the dictionary's
        // order, so that the same image gives the same report on every run
        func before(_ a: [Int], _ b: [Int]) -> Bool {
            let (la, lb) = (chainLength(a, nodes), chainLength(b, nodes))
            return la != lb ? la > lb : a.lexicographicallyPrecedes(b)
        }
        return groups.keys.sorted().map { groups[$0]!.sorted(by: before) }.sorted { before($0[0], $1[0]) }
    }

    func chainLength(_ chain: [Int], _ nodes: [LinkNode]) -> Double {
        zip(chain, chain.dropFirst()).reduce(0) { $0 + nodes[$1.0].position.distance(to: nodes[$1.1].position) }
    }

    /// Traces a group's centre path: every node is placed by arc length along the longest
    /// chain (extrapolated past its ends), nodes are averaged in steps of `pathStep`, and the
    /// ends are extended by half the end vehicles' length.
    func column(for group: [[Int]], nodes: [LinkNode], vehicleCount: (Int) -> Double) -> Column? {
        let backbone = group[0].map { nodes[$0].position }
        guard backbone.count >= 2 else { return nil }
        let members = group.flatMap { $0 }
        let placed = members.map { (node: $0, t: arcParameter(of: nodes[$0].position, along: backbone)) }
            .sorted { $0.t < $1.t }
        // bins of pathStep along t: mean position of the nodes in each
        var vertices: [(t: Double, p: PlanePoint)] = []
        var i = 0
        while i < placed.count {
            let t0 = placed[i].t
            var sum = PlanePoint(x: 0, y: 0), sumT = 0.0, n = 0.0
            while i < placed.count && placed[i].t < t0 + pathStep {
                sum = sum + nodes[placed[i].node].position
                sumT += placed[i].t
                n += 1
                i += 1
            }
            vertices.append((sumT / n, sum * (1 / n)))
        }
        guard vertices.count >= 2 else { return nil }
        // vehicles seen one by one sit on the road; coarse streak pieces are smoothed everywhere
        let resolved = Column.mostlyResolved(members, nodes)
        var path = smooth(vertices.map(\.p), keepingSparseVertices: resolved)
        // The end vertices are bin means, inside the column: carry them out to the extreme
        // vehicles' positions along the path, then on by half those vehicles' length, so the
        // path runs from the front of the lead vehicle to the rear of the last.
        let first = placed.first!, last = placed.last!
        let n = path.count
        path[0] = extend(path[0], awayFrom: path[1], by: vertices[0].t - first.t + nodes[first.node].length / 2)
        path[n - 1] = extend(path[n - 1], awayFrom: path[n - 2],
                             by: last.t - vertices[vertices.count - 1].t + nodes[last.node].length / 2)
        let count = members.reduce(0.0) { $0 + vehicleCount($1) }
        let estimated = members.contains { nodes[$0].isStreakPiece }
        return Column(members: members, path: path, vehicles: max(1, Int(count.rounded())), vehiclesEstimated: estimated)
    }

    /// Spread of the members across the path: the 10th to 90th percentile of their signed offsets.
    public func lateralSpread(_ column: Column, _ nodes: [LinkNode]) -> Double {
        var offsets: [Double] = []
        for n in column.members {
            let p = nodes[n].position
            var best = (distance: Double.infinity, signed: 0.0)
            for k in 0..<(column.path.count - 1) {
                let a = column.path[k], b = column.path[k + 1], ab = b - a
                let len2 = max(1e-9, ab.x * ab.x + ab.y * ab.y)
                let u = max(0, min(1, ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / len2))
                let q = a + ab * u
                let d = p.distance(to: q)
                if d < best.distance { best = (d, (ab.x * (p.y - a.y) - ab.y * (p.x - a.x)) >= 0 ? d : -d) }
            }
            offsets.append(best.signed)
        }
        offsets.sort()
        guard offsets.count >= 5 else { return 0 }
        return offsets[offsets.count * 9 / 10] - offsets[offsets.count / 10]
    }

    /// Arc length of the point's projection on the polyline; before the start and past the end it
    /// continues along the first and last segments.
    func arcParameter(of p: PlanePoint, along line: [PlanePoint]) -> Double {
        var best = (distance: Double.infinity, t: 0.0)
        var start = 0.0
        for k in 0..<(line.count - 1) {
            let a = line[k], b = line[k + 1]
            let ab = b - a
            let len = max(1e-9, ab.length)
            var u = ((p.x - a.x) * ab.x + (p.y - a.y) * ab.y) / (len * len)
            if k > 0 { u = max(0, u) }
            if k < line.count - 2 { u = min(1, u) }
            let q = a + ab * u
            let d = p.distance(to: q)
            if d < best.distance { best = (d, start + u * len) }
            start += len
        }
        return best.t
    }

    /// A 3-vertex moving average that keeps the end vertices.
    /// Evens out the jitter of closely spaced vertices (bin means of vehicles two or three
    /// abreast) with a [1 2 1] filter. A vertex whose neighbours are far apart (one vehicle per
    /// bin, vehicles tens of metres apart) is a vehicle on the road: on a bend, averaging it with
    /// its neighbours would cut the corner and shorten the path, so it stays.
    func smooth(_ points: [PlanePoint], keepingSparseVertices: Bool = true) -> [PlanePoint] {
        guard points.count > 2 else { return points }
        var out = points
        for k in 1..<(points.count - 1) {
            let reach = max(points[k].distance(to: points[k - 1]), points[k].distance(to: points[k + 1]))
            guard reach <= 2 * pathStep || !keepingSparseVertices else { continue }
            out[k] = (points[k - 1] + points[k] * 2 + points[k + 1]) * 0.25
        }
        return out
    }

    func extend(_ end: PlanePoint, awayFrom inner: PlanePoint, by distance: Double) -> PlanePoint {
        let d = end - inner
        let len = d.length
        guard len > 0 else { return end }
        return end + d * (distance / len)
    }

    /// Fraction of the members with a known long axis whose axis runs along the path (within
    /// 30°), and how many have one. Vehicles in a column point along their road; tree crowns
    /// with their shadows all point away from the sun, whatever the road does.
    public func alignment(_ column: Column, nodes: [LinkNode]) -> (fraction: Double, count: Int) {
        var aligned = 0, resolved = 0
        for n in column.members {
            guard let axis = nodes[n].axis else { continue }
            let t = arcParameter(of: nodes[n].position, along: column.path)
            resolved += 1
            if abs(cos(axis - direction(of: column.path, at: t))) > cos(30 * .pi / 180) { aligned += 1 }
        }
        return (resolved > 0 ? Double(aligned) / Double(resolved) : 0, resolved)
    }

    func direction(of path: [PlanePoint], at t: Double) -> Double {
        var start = 0.0
        for k in 0..<(path.count - 1) {
            let len = path[k].distance(to: path[k + 1])
            if t <= start + len || k == path.count - 2 {
                return atan2(path[k + 1].y - path[k].y, path[k + 1].x - path[k].x)
            }
            start += len
        }
        return 0
    }
}
