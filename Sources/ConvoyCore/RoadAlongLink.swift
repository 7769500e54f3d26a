/// The ground at one point: gray level, and colourfulness (largest minus smallest of the red,
/// green and blue samples; nil for gray imagery).
public struct GroundSample: Sendable, Equatable {
    public var level: Double
    public var chroma: Double?
    public init(level: Double, chroma: Double? = nil) { self.level = level; self.chroma = chroma }
}

/// Whether a link between two candidates runs along a road: the ground on the straight line
/// between them is a band that differs, in the same sense, from the ground a few metres to
/// either side.
///
/// Where vehicles merge into streaks (coarser than about 1.2 m per working pixel) a column's
/// candidates are as easy to link to a forest's crowns, a field's furrows or a hedge beside the
/// road as to each other. A link along the column runs on the road (asphalt between fields, a
/// cleared road in snow, the vehicles themselves when they are close); a link between crowns or
/// across a field has the same ground on it as beside it, and a link along a forest or field edge
/// has one side like itself.
public struct RoadAlongLink: Sendable, Equatable {
    /// Distance of the side samples from the line, metres: off a 6–10 m road and its verge.
    public var sideOffset = 12.0
    /// Sampling step along the line, metres (at least one working pixel).
    public var step = 2.0
    /// Gray levels by which the line's ground (upper quartile of its samples: the road between
    /// the vehicles) must differ from each side's (upper quartile too), in the same sense.
    public var bandContrast = 15.0
    /// Colourfulness by which both sides' medians must exceed the line's: grey asphalt between
    /// green or brown fields, which can have the same gray level.
    public var chromaContrast = 6.0
    /// Shortest stretch judged, metres: a shorter link is judged on this much ground centred on
    /// its middle (two vehicles close together are a short dark band themselves).
    public var minimumJudged = 12.0
    /// Most points sampled along one link: a long link (a gap of hundreds of metres bridged) is
    /// judged on this many points spread over it, enough for its quartiles.
    public var maximumSamples = 41

    public init(metresPerWorkingPixel g: Double) {
        step = max(2.0, g)
        sideOffset = max(12.0, 2.5 * g)
    }

    /// Whether the line from `a` to `b` (plane metres) runs along a road; `ground(p)` is the
    /// working image at plane point `p`, nil outside the imagery. Points with a side outside the
    /// imagery are not judged; with fewer than 3 judged the link is accepted (nothing says it is
    /// not on a road).
    public func accepts(_ a: PlanePoint, _ b: PlanePoint, ground: (PlanePoint) -> GroundSample?) -> Bool {
        let d = b - a
        let length = d.length
        guard length > 0 else { return true }
        let u = d * (1 / length), n = PlanePoint(x: -u.y, y: u.x)
        let judged = max(length, minimumJudged)
        let start = a + u * ((length - judged) / 2)
        let count = min(maximumSamples, max(3, Int(judged / step) + 1))
        var c: [Double] = [], l: [Double] = [], r: [Double] = []
        var cc: [Double] = [], lc: [Double] = [], rc: [Double] = []
        c.reserveCapacity(count); l.reserveCapacity(count); r.reserveCapacity(count)
        cc.reserveCapacity(count); lc.reserveCapacity(count); rc.reserveCapacity(count)
        for k in 0..<count {
            let p = start + u * (judged * Double(k) / Double(count - 1))
            guard let cv = ground(p), let lv = ground(p + n * sideOffset), let rv = ground(p - n * sideOffset) else { continue }
            c.append(cv.level); l.append(lv.level); r.append(rv.level)
            if let x = cv.chroma, let y = lv.chroma, let z = rv.chroma { cc.append(x); lc.append(y); rc.append(z) }
        }
        guard c.count >= 3 else { return true }
        let surface = quantile(c, 0.75), left = quantile(l, 0.75), right = quantile(r, 0.75)
        let dl = surface - left, dr = surface - right
        if (dl >= bandContrast && dr >= bandContrast) || (dl <= -bandContrast && dr <= -bandContrast) { return true }
        if cc.count >= 3 {
            let line = quantile(cc, 0.5)
            if quantile(lc, 0.5) - line >= chromaContrast && quantile(rc, 0.5) - line >= chromaContrast { return true }
        }
        return false
    }

    /// The value at index ⌊q × count⌋ of `values` sorted (clamped to the last).
    func quantile(_ values: [Double], _ q: Double) -> Double {
        var v = values
        return v.orderStatistic(min(v.count - 1, Int(q * Double(v.count))))
    }
}
