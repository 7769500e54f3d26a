/// Evidence that a column stands on a road, read from the image along its path.
///
/// A convoy drives on a road: between its vehicles the path shows road surface, a band that
/// differs from the ground a few metres to either side, and the vehicles are darker than that
/// surface. A hedge or field edge is itself the dark line (its "vehicles" are no darker than the
/// line); a chain through forest or across a field has the same ground on the path as beside it.
public struct RoadSupport: Sendable {
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
        }
    }

    /// Scores `path` (plane metres) and the `members` positions with `sample`, which returns the
    /// working-image gray level at a plane point, or nil outside the imagery.
    public func evaluate(path: [PlanePoint], members: [PlanePoint], sample: ([PlanePoint]) -> [Double?])
        -> (band: Double, dark: Double) {
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
        guard centre.count >= 5 else { return (0, 0) }
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
        for (m, value) in zip(members, memberValues) {
            guard let v = value else { continue }
            var best = -1, bestDistance = Double.infinity
            grid.forEach(near: m, within: 2 * sideOffset) { k, d in
                if d < bestDistance { bestDistance = d; best = k }
            }
            guard best >= 0, let s = surface[best] else { continue }
            counted += 1
            if s - v >= vehicleContrast { dark += 1 }
        }
        return (judged > 0 ? Double(banded) / Double(judged) : 0, counted > 0 ? Double(dark) / Double(counted) : 0)
    }

    /// Whether the scores say "on a road".
    public func accepts(_ score: (band: Double, dark: Double)) -> Bool {
        score.band >= minimumBandFraction && score.dark >= minimumDarkFraction
    }
}
