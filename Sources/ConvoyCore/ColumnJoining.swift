#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Columns that are pieces of one: two columns whose facing ends lie on one road, within
/// `--max-gap` of each other along it, are one column when the column made of both passes the
/// tests. The road between the ends is followed (`RoadTracer`, its template the profiles across
/// the first column's last stretch), so the join follows a bend or crosses a junction where the
/// straight line between the ends would leave the road.
///
/// Every distance is in plane metres.
public struct ColumnJoining: Sendable {
    public var tracer: RoadTracer
    public var maxGap: Double
    /// How near the road followed must come to the other column's end, metres.
    public var reach = 8.0
    /// The stretch of a column's end whose heading and road profile are taken, metres.
    public var endStretch = 40.0
    /// Largest angle between one column's heading at its end and the other's at its facing end.
    public var maxTurn = 45 * Double.pi / 180

    /// Rules for working pixels of `g` metres (the scene's coarsest): where vehicles are resolved
    /// the road is followed as `FollowedRoads` follows it; coarser, across a wider profile (a road
    /// and its verges are a few pixels), a little more sideways per step, and on through 60 m
    /// that do not match (a stretch packed with the column's own vehicles).
    public init(metresPerWorkingPixel g: Double, maxGap: Double) {
        tracer = RoadTracer(metresPerPixel: g)
        if g > VehicleCandidateFilter.coarsestResolved {
            tracer.profileHalfWidth = max(10.0, 4 * g)
            tracer.lateralSearch = max(1.0, g / 2)
            tracer.coast = 60
        }
        self.maxGap = maxGap
    }

    /// A column's end: its point, the unit heading out of the column there, and the point
    /// `endStretch` back along the path.
    struct End { var point: PlanePoint; var heading: PlanePoint; var back: PlanePoint }

    func end(of path: [PlanePoint], atStart: Bool) -> End? {
        let p = atStart ? Array(path.reversed()) : path
        guard p.count >= 2, let e = p.last else { return nil }
        var back = e, walked = 0.0
        for k in stride(from: p.count - 2, through: 0, by: -1) {
            walked += p[k].distance(to: p[k + 1])
            back = p[k]
            if walked >= endStretch { break }
        }
        let d = e - back
        guard d.length >= 10 else { return nil }
        return End(point: e, heading: d * (1 / d.length), back: back)
    }

    /// Whether the road followed from end `a` onwards reaches end `b`, which must face it.
    func roadJoins(_ a: End, _ b: End, level: (PlanePoint) -> Double?) -> Bool {
        let gap = b.point - a.point
        let distance = gap.length
        guard distance <= maxGap else { return false }
        if distance < reach { return true }
        // b lies ahead of a, and b's column leaves b away from a, roughly along a's heading
        guard gap.x * a.heading.x + gap.y * a.heading.y > 0,
              -(b.heading.x * a.heading.x + b.heading.y * a.heading.y) >= cos(maxTurn) else { return false }
        let stretch = a.point.distance(to: a.back)
        guard let t = tracer.template(at: a.point - a.heading * (stretch / 2), direction: a.heading,
                                      length: max(0, stretch - 2 * tracer.templateTo), ground: level),
              t.score >= tracer.minimumCorrelation else { return false }
        let trace = tracer.follow(RoadTracer.Start(centre: a.point, direction: a.heading, template: t.template),
                                  maximumLength: min(maxGap, 1.5 * distance + 20), ground: level)
        return trace.centres.contains { $0.point.distance(to: b.point) <= reach }
    }

    /// `screened` (columns with the first test each fails) with pieces joined: a column that
    /// passes every test is joined to another that does, whose facing end the road reaches, when
    /// `rebuild` (the column made of the given members in order, with its first failed test) says
    /// the joined column passes too. With `credibility` (a column's confidence as it would be
    /// reported, nil when it fails the road test), both pieces must stand on a road, and the
    /// joined column must be no less credible than the less credible piece, and not fall under
    /// `minConfidence` where a piece was above it (a join never takes a piece out of the report).
    /// Closest ends first, until no join passes.
    ///
    /// Pieces that fail a test are not joined: joined to a passing column, a piece of parked
    /// vehicles or a row of crowns beyond a column's end passed with it (tune-01, tune-15), and
    /// two pieces of texture each too short made a false column together (calib-37, calib-46).
    /// Training sets (`tune`, `calib`): found 50 → 53 of 99, false 9 → 8, fragments 22 → 11; the
    /// 64 km reconstruction with `--max-gap 1500`: 40 → 52 % of the column covered at the default
    /// confidence (`docs/detector-experiments.md`).
    public func joined(_ screened: [(column: Column, rejection: ColumnRejection?)], nodes: [LinkNode],
                       rebuild: ([Int]) -> (column: Column, rejection: ColumnRejection?)?,
                       credibility: ((Column) -> Double?)? = nil, minConfidence: Double = 0,
                       level: (PlanePoint) -> Double?) -> [(column: Column, rejection: ColumnRejection?)] {
        var columns = screened
        let builder = ColumnBuilder()
        /// Members in order along the path, from start to end.
        func ordered(_ c: Column) -> [Int] {
            c.members.map { ($0, builder.arcParameter(of: nodes[$0].position, along: c.path)) }.sorted { $0.1 < $1.1 }.map(\.0)
        }
        var refused = Set<[Int]>()
        while true {
            // every open column's two ends, and the pairs of ends of two columns within --max-gap,
            // closest first
            let open = columns.indices.filter { columns[$0].rejection == nil }
            let ends = open.flatMap { i in
                [false, true].compactMap { atStart in end(of: columns[i].column.path, atStart: atStart).map { (i, atStart, $0) } }
            }
            var pairs: [(a: (i: Int, atStart: Bool, end: End), b: (i: Int, atStart: Bool, end: End), gap: Double)] = []
            for (x, a) in ends.enumerated() {
                for b in ends[(x + 1)...] where b.0 != a.0 {
                    let gap = a.2.point.distance(to: b.2.point)
                    if gap <= maxGap { pairs.append(((a.0, a.1, a.2), (b.0, b.1, b.2), gap)) }
                }
            }
            pairs.sort { $0.gap < $1.gap }
            // each piece's credibility once per round (the columns change only by a join)
            var credible: [Int: Double?] = [:]
            func credibilityOf(_ i: Int, _ credibility: (Column) -> Double?) -> Double? {
                if let known = credible[i] { return known }
                let c = credibility(columns[i].column)
                credible[i] = .some(c)
                return c
            }
            var joinedAt: (i: Int, j: Int, made: (column: Column, rejection: ColumnRejection?))?
            for p in pairs {
                let (i, j) = (p.a.i, p.b.i)
                // a pair once refused stays refused while both columns are unchanged
                let key = [columns[i].column.members.min() ?? -1, columns[j].column.members.min() ?? -1,
                           p.a.atStart ? 1 : 0, p.b.atStart ? 1 : 0, columns[i].column.members.count,
                           columns[j].column.members.count]
                guard !refused.contains(key) else { continue }
                guard roadJoins(p.a.end, p.b.end, level: level) || roadJoins(p.b.end, p.a.end, level: level) else {
                    refused.insert(key); continue
                }
                // i's members running towards the joined end, then j's away from it
                var first = ordered(columns[i].column)
                if p.a.atStart { first.reverse() }
                var second = ordered(columns[j].column)
                if !p.b.atStart { second.reverse() }
                guard let made = rebuild(first + second), made.rejection == nil else { refused.insert(key); continue }
                if let credibility {
                    // no less credible than the less credible piece, and not dropping a piece that
                    // would be reported out of the report
                    guard let a = credibilityOf(i, credibility), let b = credibilityOf(j, credibility),
                          let c = credibility(made.column), c >= min(a, b), c >= minConfidence || max(a, b) < minConfidence else {
                        refused.insert(key); continue
                    }
                }
                joinedAt = (i, j, made)
                break
            }
            guard let joinedAt else { break }
            columns[joinedAt.i] = joinedAt.made
            columns.remove(at: joinedAt.j)
        }
        return columns
    }
}
