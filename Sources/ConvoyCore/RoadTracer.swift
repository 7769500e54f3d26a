#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows the road a resolved vehicle stands on, from the vehicle along its axis, through the
/// image: the road model that keeps links between vehicles on their road where vehicles are seen
/// one by one (`FollowedRoads`).
///
/// Profile matching, after Vosselman and de Knecht's road tracker (1995): the gray levels across
/// the road beyond both ends of the vehicle — the road with its edges, markings and verges, each
/// offset's median over 2–10 m past either end, so that another vehicle or a junction on part of
/// it does not count — are the road's template. The road's direction is the one within
/// `axisSearch` of the vehicle's axis along which the profiles stay most alike (a blob's axis is
/// skewed by the shadow beside the vehicle). The trace then steps along: at each step the profile
/// across is matched to the template at sideways shifts of up to `lateralSearch`, and the centre
/// moves to the best match when it is good (Pearson correlation at least `minimumCorrelation`);
/// the direction is the centre's over the last 8 m, so the trace bends with the road, and the
/// template follows slow changes of the road where the match is clear. Where the road is not
/// matched (a vehicle on it, a crown's shadow across it, a junction, a field boundary changing
/// the verges) the trace goes on straight for at most `coast` metres; then it is lost.
///
/// Every distance is in plane metres; `ground(p)` is the working image's gray level at plane
/// point p, nil outside the imagery.
public struct RoadTracer: Sendable, Equatable {
    /// Metres per working pixel of the imagery read.
    public var metresPerPixel: Double
    /// Step along the road, metres.
    public var step: Double
    /// Spacing of a profile's samples, metres.
    public var sampleSpacing: Double
    /// Half-width of the profile across the road, metres: a road and its verges.
    public var profileHalfWidth = 10.0
    /// Largest sideways shift of the centre per step, metres.
    public var lateralSearch = 1.0
    /// Longest stretch followed straight without matching the road, metres.
    public var coast = 30.0
    /// Lowest correlation of a profile with the template that is still the road. Chosen on the
    /// training scenes with the rest (0.4, 0.5, 0.6 tried; README, Accuracy).
    public var minimumCorrelation = 0.5
    /// Least standard deviation of a profile matched, as a share of the template's: plain ground
    /// whose noise happens to have the road's shape is not the road.
    public var minimumContrastShare = 0.5
    /// Mean correlation of the profiles beyond a vehicle along its own axis at which the axis is
    /// taken as the road's direction without searching the angles around it.
    public var clearCorrelation = 0.8
    /// Lowest correlation at which the template takes in the profile matched.
    public var adaptingCorrelation = 0.8
    /// Lowest standard deviation of a template, gray levels: ground without structure across
    /// the axis (a field, a snow plain) cannot be followed.
    public var minimumContrast = 6.0
    /// The stretch beyond each end of the vehicle where the template is taken, metres past its
    /// half-length.
    public var templateFrom = 2.0, templateTo = 10.0
    /// Spacing of the template's profiles along the stretch, metres.
    public var templateStep = 0.5
    /// Largest correction to a vehicle's axis at the start, and the step it is searched in, radians.
    public var axisSearch = 20 * Double.pi / 180
    public var axisStep = 2.5 * Double.pi / 180

    /// Rules for working pixels of `g` metres (at most about 1.2: vehicles resolved).
    public init(metresPerPixel g: Double) {
        metresPerPixel = g
        step = max(2.0, g)
        sampleSpacing = max(0.5, g / 2)
    }

    /// Where a trace starts, which way it goes, and the road's profile there.
    public struct Start: Sendable, Equatable {
        public var centre: PlanePoint
        /// Unit direction of travel.
        public var direction: PlanePoint
        /// Gray levels across the road, left to right of `direction`, every `sampleSpacing`.
        public var template: [Double]
    }

    /// The traces that can start at a vehicle centred at `position` with long axis `axis`
    /// (radians in the plane) and `length` metres: one for each end beyond which the road goes
    /// on (its profiles there match the template), none when the ground beyond the vehicle has no
    /// structure across it or no direction near the axis along which it stays alike.
    public func starts(at position: PlanePoint, axis: Double, length: Double,
                       ground: (PlanePoint) -> Double?) -> [Start] {
        var best: (template: [Double], u: PlanePoint, ends: [Bool], score: Double, delta: Double)?
        func consider(_ delta: Double) {
            let a = axis + delta
            let u = PlanePoint(x: cos(a), y: sin(a))
            if let t = template(at: position, direction: u, length: length, ground: ground),
               best == nil || t.score > best!.score {
                best = (t.template, u, t.ends, t.score, delta)
            }
        }
        // the axis itself first: where the profile along it is clearly the road's, that is the
        // road's direction; else every other angle of the search, then the two beside the best
        consider(0)
        if best == nil || best!.score < clearCorrelation {
            var delta = -axisSearch
            while delta <= axisSearch + 1e-9 {
                if abs(delta) > 1e-9 { consider(delta) }
                delta += 2 * axisStep
            }
            if let found = best?.delta, abs(found) > 1e-9 {
                if found - axisStep >= -axisSearch - 1e-9 { consider(found - axisStep) }
                if found + axisStep <= axisSearch + 1e-9 { consider(found + axisStep) }
            }
        }
        guard let best, best.score >= minimumCorrelation else { return [] }
        var out: [Start] = []
        if best.ends[1] { out.append(Start(centre: position, direction: best.u, template: best.template)) }
        // the other way the profile is seen mirrored
        if best.ends[0] { out.append(Start(centre: position, direction: best.u * -1, template: best.template.reversed())) }
        return out
    }

    /// The template across `u` at a vehicle, the mean correlation of the stretches' profiles
    /// with it, and for each end (behind, ahead) whether its own profiles match it on average.
    /// Nil where a stretch leaves the imagery or the template has no structure.
    func template(at position: PlanePoint, direction u: PlanePoint, length: Double,
                  ground: (PlanePoint) -> Double?) -> (template: [Double], score: Double, ends: [Bool])? {
        // the stretches' profiles, one after another in `samples`
        var samples: [Double] = [], end: [Int] = []
        for (e, sign) in [-1.0, 1.0].enumerated() {
            var t = length / 2 + templateFrom
            while t <= length / 2 + templateTo + 1e-9 {
                guard let p = profile(at: position + u * (sign * t), direction: u, halfWidth: profileHalfWidth, ground: ground)
                else { return nil }
                samples.append(contentsOf: p)
                end.append(e)
                t += templateStep
            }
        }
        let width = samples.count / max(1, end.count)
        let count = end.count
        guard count >= 6 else { return nil }
        var template = [Double](repeating: 0, count: width)
        var column = [Double](repeating: 0, count: count)
        for k in 0..<width {
            for p in 0..<count { column[p] = samples[p * width + k] }
            template[k] = column.orderStatistic(count / 2)
        }
        guard Self.deviation(template) >= minimumContrast else { return nil }
        var sums = [0.0, 0.0], counts = [0.0, 0.0]
        let clip = Self.clipRange(template)
        for p in 0..<count {
            sums[end[p]] += Self.correlation(samples[(p * width)..<((p + 1) * width)], template, clip: clip)
            counts[end[p]] += 1
        }
        let ends = [sums[0] / counts[0] >= minimumCorrelation, sums[1] / counts[1] >= minimumCorrelation]
        return (template, (sums[0] + sums[1]) / (counts[0] + counts[1]), ends)
    }

    /// Gray levels across the direction `u` at `c`, from `halfWidth` left to `halfWidth` right,
    /// every `sampleSpacing`; nil when a sample lies outside the imagery.
    func profile(at c: PlanePoint, direction u: PlanePoint, halfWidth: Double, ground: (PlanePoint) -> Double?) -> [Double]? {
        let n = PlanePoint(x: -u.y, y: u.x)
        let half = Int((halfWidth / sampleSpacing).rounded())
        var out: [Double] = []
        out.reserveCapacity(2 * half + 1)
        for k in -half...half {
            guard let v = ground(c + n * (Double(k) * sampleSpacing)) else { return nil }
            out.append(v)
        }
        return out
    }

    static func deviation<C: Collection<Double>>(_ v: C) -> Double {
        let mean = v.reduce(0, +) / Double(v.count)
        return (v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)).squareRoot()
    }

    /// The range a profile is clipped to before it is matched to `template`: the template's own,
    /// widened by 10 levels, so that a dark vehicle on the road costs the match no more than the
    /// road's own darkest marking would.
    static func clipRange(_ template: [Double]) -> (lo: Double, hi: Double) {
        var lo = template[0], hi = template[0]
        for y in template { lo = min(lo, y); hi = max(hi, y) }
        return (lo - 10, hi + 10)
    }

    /// Pearson correlation of a profile with a template of the same length, the profile clipped
    /// to `clip` (`clipRange(template)`).
    static func correlation<C: Collection<Double>>(_ a: C, _ template: [Double], clip: (lo: Double, hi: Double)) -> Double {
        let (lo, hi) = clip
        let n = Double(template.count)
        var sa = 0.0, sb = 0.0
        for (x, y) in zip(a, template) { sa += min(hi, max(lo, x)); sb += y }
        let ma = sa / n, mb = sb / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for (x, y) in zip(a, template) {
            let dx = min(hi, max(lo, x)) - ma, dy = y - mb
            sab += dx * dy
            saa += dx * dx
            sbb += dy * dy
        }
        guard saa > 0, sbb > 0 else { return 0 }
        return sab / (saa * sbb).squareRoot()
    }

    /// A road followed: its centre every `step` metres from the start on (the steps coasted
    /// included), each with its distance along the road, and whether it ended because the road
    /// was lost or the imagery ended (else it ran its whole length).
    public struct Trace: Sendable {
        public var centres: [(point: PlanePoint, along: Double)]
        public var lost: Bool
        public var length: Double { centres.last?.along ?? 0 }
    }

    /// Follows the road from `start` for at most `maximumLength` metres.
    public func follow(_ start: Start, maximumLength: Double, ground: (PlanePoint) -> Double?) -> Trace {
        var centre = start.centre
        var u = start.direction
        var template = start.template
        var centres: [(point: PlanePoint, along: Double)] = [(centre, 0)]
        var along = 0.0, coasted = 0.0
        let shifts = Int((lateralSearch / sampleSpacing).rounded())
        let width = template.count
        while along + step <= maximumLength + 1e-9 {
            let templateDeviation = Self.deviation(template), clip = Self.clipRange(template)
            let n = PlanePoint(x: -u.y, y: u.x)
            let q = centre + u * step
            along += step
            guard let wide = profile(at: q, direction: u, halfWidth: profileHalfWidth + Double(shifts) * sampleSpacing,
                                     ground: ground) else {
                return Trace(centres: centres, lost: true) // the imagery ends
            }
            var best: (shift: Int, score: Double)?
            for s in -shifts...shifts {
                let window = wide[(shifts + s)..<(shifts + s + width)]
                // the road's structure must be there, not only its shape in the ground's noise
                let score = Self.deviation(window) >= minimumContrastShare * templateDeviation
                    ? Self.correlation(window, template, clip: clip) : 0
                if best == nil || score > best!.score + 1e-9 || (abs(score - best!.score) <= 1e-9 && abs(s) < abs(best!.shift)) {
                    best = (s, score)
                }
            }
            if let best, best.score >= minimumCorrelation {
                centre = q + n * (Double(best.shift) * sampleSpacing)
                coasted = 0
                // the template follows slow changes of the road (thaw, wear, light) where the
                // match is clear
                if best.score >= adaptingCorrelation {
                    for (k, v) in wide[(shifts + best.shift)..<(shifts + best.shift + width)].enumerated() {
                        template[k] += 0.1 * (v - template[k])
                    }
                }
            } else {
                centre = q
                coasted += step
                if coasted > coast { return Trace(centres: centres, lost: true) }
            }
            centres.append((centre, along))
            // the direction over the last 8 m of centres
            let back = centres[max(0, centres.count - 1 - Int((8 / step).rounded()))].point
            let direction = centre - back
            if direction.length > 0 { u = direction * (1 / direction.length) }
        }
        return Trace(centres: centres, lost: false)
    }
}
