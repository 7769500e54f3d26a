/// Evidence that a column stands on a road, read from the image along its path.
///
/// A convoy drives on a road: between its vehicles the path shows road surface, a band that
/// differs from the ground a few metres to either side, and the vehicles are darker than that
/// surface. A hedge or field edge is itself the dark line (its "vehicles" are no darker than the
/// line); a chain through forest or across a field has the same ground on the path as beside it.
public struct RoadSupport: Sendable, Equatable {
    /// Distance of the side samples from the path, metres: off a 6–10 m road and its verge.
    public var sideOffset = 12.0
    /// Sampling step along the path, metres.
    public var step = 2.0
    /// Half-length of the window in which the road surface is taken as the 75th percentile of the
    /// path's samples (skipping the vehicles on it), metres.
    public var window = 15.0
    /// Gray levels by which the road must differ from both sides, and the vehicles from the road.
    public var bandContrast = 8.0
    public var vehicleContrast = 15.0
    /// Fractions of the path showing a band, and of the members darker than the road, required.
    public var minimumBandFraction = 0.4
    public var minimumDarkFraction = 0.5

    /// What the image says along a column's path.
    public struct Score: Sendable, Equatable {
        /// Fraction of the path where the road surface differs from both sides.
        public var band: Double
        /// Fraction of the members darker than the road surface at their place.
        public var dark: Double
        /// Fraction of the gaps between consecutive members (those long enough to judge) that are
        /// as dark as the members: a continuous dark line (a road edge, a ditch, a hedge) rather
        /// than vehicles apart on a lighter road.
        public var filledGaps: Double

        public init(band: Double, dark: Double, filledGaps: Double = 0) {
            self.band = band
            self.dark = dark
            self.filledGaps = filledGaps
        }
    }

    /// Largest fraction of filled gaps a column of resolved vehicles may have.
    public var maximumFilledGaps = 1.0

    public init() {}

    /// The test for a column of vehicles seen one by one (`resolved`), or of streaks. Where
    /// vehicles are resolved, they themselves are the stronger evidence: most must be darker than
    /// the surface between them (a hedge or a row of crowns is not darker than itself), while the
    /// road may differ little from its verges (grey asphalt between grey fields: 10 % of the path
    /// banded is enough). Where vehicles
    /// merge into streaks, the road band must carry more of the decision.
    public init(resolved: Bool) {
        if resolved {
            minimumBandFraction = 0.1
            minimumDarkFraction = 0.6
            maximumFilledGaps = 0.3
        }
    }

    /// Scores `path` (plane metres) and the `members` positions with `sample`, which returns the
    /// working-image gray level at a plane point, or nil outside the imagery.
    public func evaluate(path: [PlanePoint], members: [PlanePoint], sample: ([PlanePoint]) -> [Double?]) -> Score {
        // points along the path, every `step` metres, with the unit normal there
        var centre: [PlanePoint] = [], left: [PlanePoint] = [], right: [PlanePoint] = [], ts: [Double] = []
        var t0 = 0.0
        for (a, b) in zip(path, path.dropFirst()) {
            let d = b - a, len = d.length
            guard len > 0 else { continue }
            let u = d * (1 / len), n = PlanePoint(x: -u.y, y: u.x)
            var s = 0.0
            while s < len {
                let p = a + u * s
                centre.append(p); left.append(p + n * sideOffset); right.append(p - n * sideOffset)
                ts.append(t0 + s)
                s += step
            }
            t0 += len
        }
        guard centre.count >= 5 else { return Score(band: 0, dark: 0) }
        let values = sample(centre + left + right)
        let c = Array(values[0..<centre.count]), l = Array(values[centre.count..<(2 * centre.count)])
        let r = Array(values[(2 * centre.count)...])
        // road surface: upper quartile of the path's samples around each point
        let reach = Int(window / step)
        var surface = [Double?](repeating: nil, count: centre.count)
        for k in centre.indices {
            let around = c[max(0, k - reach)...min(centre.count - 1, k + reach)].compactMap { $0 }.sorted()
            if around.count >= 3 { surface[k] = around[around.count * 3 / 4] }
        }
        var banded = 0, judged = 0
        for k in centre.indices {
            guard let s = surface[k], let lv = l[k], let rv = r[k] else { continue }
            judged += 1
            let dl = s - lv, dr = s - rv
            if (dl >= bandContrast && dr >= bandContrast) || (dl <= -bandContrast && dr <= -bandContrast) { banded += 1 }
        }
        // members against the road surface at their place along the path
        let memberValues = sample(members)
        let grid = SpatialGrid(points: centre, cell: 2 * sideOffset)
        var dark = 0, counted = 0
        var along: [(t: Double, point: PlanePoint, value: Double, surface: Double)] = []
        for (m, value) in zip(members, memberValues) {
            guard let v = value else { continue }
            var best = -1, bestDistance = Double.infinity
            grid.forEach(near: m, within: 2 * sideOffset) { k, d in
                if d < bestDistance { bestDistance = d; best = k }
            }
            guard best >= 0, let s = surface[best] else { continue }
            counted += 1
            if s - v >= vehicleContrast { dark += 1 }
            along.append((ts[best], m, v, s))
        }
        let filled = filledGapFraction(along.sorted { $0.t < $1.t }, sample: sample)
        return Score(band: judged > 0 ? Double(banded) / Double(judged) : 0,
                     dark: counted > 0 ? Double(dark) / Double(counted) : 0, filledGaps: filled)
    }

    /// Gaps shorter than this, metres, are not judged (vehicles nearly bumper to bumper).
    public var minimumJudgedGap = 14.0

    /// Of the gaps between consecutive members at least `minimumJudgedGap` long, the fraction
    /// whose middle third (on the straight line between the two members) is closer in gray level
    /// to the members than to the road surface: the line goes on dark between them.
    func filledGapFraction(_ members: [(t: Double, point: PlanePoint, value: Double, surface: Double)],
                           sample: ([PlanePoint]) -> [Double?]) -> Double {
        var points: [PlanePoint] = [], owners: [Int] = []
        var pairs: [(a: Int, b: Int)] = []
        for k in members.indices.dropLast() {
            let a = members[k], b = members[k + 1]
            let d = b.point - a.point
            guard d.length >= minimumJudgedGap else { continue }
            pairs.append((k, k + 1))
            for f in stride(from: 0.35, through: 0.65, by: 0.05) {
                points.append(a.point + d * f)
                owners.append(pairs.count - 1)
            }
        }
        guard pairs.count >= 3 else { return 0 }
        let values = sample(points)
        var sums = [Double](repeating: 0, count: pairs.count), ns = [Double](repeating: 0, count: pairs.count)
        for (o, v) in zip(owners, values) {
            guard let v else { continue }
            sums[o] += v
            ns[o] += 1
        }
        var filled = 0, judged = 0
        for (i, p) in pairs.enumerated() where ns[i] > 0 {
            let gap = sums[i] / ns[i]
            let member = (members[p.a].value + members[p.b].value) / 2
            let surface = (members[p.a].surface + members[p.b].surface) / 2
            guard surface - member >= vehicleContrast else { continue } // no contrast to judge by
            judged += 1
            if gap - member < (surface - member) / 2 { filled += 1 }
        }
        return judged >= 3 ? Double(filled) / Double(judged) : 0
    }

    /// Whether the scores say "on a road".
    public func accepts(_ score: Score) -> Bool {
        score.band >= minimumBandFraction && score.dark >= minimumDarkFraction && score.filledGaps <= maximumFilledGaps
    }
}
