#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How columns are linked where vehicles merge into streaks (working pixels coarser than 1.2 m,
/// up to 4 m): along roads read from the image, rather than among the candidates the clutter
/// filter leaves.
///
/// At 1.5–3 m per pixel a column's vehicles nearly all give candidates, but where its road
/// passes a forest edge, a village or a furrowed field the clutter filter (`ClutterFilter`) drops
/// about a third of them, since the clutter within 40 m outnumbers the column's own neighbours,
/// and the greedy linker then strings what is left into pieces or off the road. Here:
/// - a candidate the clutter filter drops is linked after all when it lies on a road
///   (`onRoad`: a road band through it in one of four directions);
/// - every link between two such coarse candidates must run along a road (`RoadAlongLink`: the
///   ground between them a band unlike both sides, in gray level or in colourfulness — grey
///   asphalt between fields of the same gray level);
/// - candidates weaker than `minimumMass` are not linked (road texture, verges, small crowns:
///   along a road they would carry a chain on past its column);
/// - a chain's weak ends are trimmed (`trimmed`), so that it ends at its column's first and
///   last vehicles, not at the road noise beyond them.
///
/// Chosen on the training scenes (`tune`, `calib`; README, Accuracy). Coarser than 4 m a vehicle
/// is under two pixels and a road under three: there the rules lost both columns the clutter
/// filter finds, so they do not apply.
public struct RoadFollowing: Sendable, Equatable {
    /// Coarsest working resolution where roads are followed, metres per pixel.
    public static let coarsestGSD = 4.0

    /// Whether roads are followed in a scene whose coarsest working pixels are `g` metres: only
    /// its candidates coarser than `VehicleCandidateFilter`'s 1.2 m are concerned.
    public static func applies(metresPerWorkingPixel g: Double) -> Bool { g > 1.2 && g <= coarsestGSD }

    /// The road test of a link, and of the ground through one candidate.
    public var link: RoadAlongLink
    /// Smallest top-hat contrast mass of a linked coarse candidate, gray levels × m². A dark
    /// vehicle is 15–30 m² at 30–60 levels; on the training scenes at 2 m, 84 % of the
    /// column's candidates and 28 % of the others reach 400.
    public var minimumMass = 400.0
    /// A chain's ends are trimmed back to the first member at least this fraction of the chain's
    /// upper-quartile mass.
    public var endTrim = 0.4
    /// Half-length of the stretch judged through a candidate by `onRoad`, metres.
    public var probeReach = 10.0

    /// Rules for working pixels of `g` metres (the coarsest in the scene).
    public init(metresPerWorkingPixel g: Double) {
        link = RoadAlongLink(metresPerWorkingPixel: g)
    }

    /// Whether a road runs through `p`: a band on a 2 × `probeReach` stretch through it, east–west,
    /// north–south or along either diagonal.
    public func onRoad(_ p: PlanePoint, ground: (PlanePoint) -> GroundSample?) -> Bool {
        for k in 0..<4 {
            let a = Double(k) * .pi / 4
            let u = PlanePoint(x: cos(a), y: sin(a)) * probeReach
            if link.accepts(p - u, p + u, ground: ground) { return true }
        }
        return false
    }

    /// `chain` without its weak ends: members from either end whose mass is under `endTrim` ×
    /// the upper quartile of the chain's masses. `mass(i)` is member i's contrast mass.
    public func trimmed(_ chain: [Int], mass: (Int) -> Double) -> [Int] {
        guard !chain.isEmpty else { return chain }
        let sorted = chain.map(mass).sorted()
        let floor = endTrim * sorted[sorted.count * 3 / 4]
        var lo = 0, hi = chain.count - 1
        while lo < hi && mass(chain[lo]) < floor { lo += 1 }
        while hi > lo && mass(chain[hi]) < floor { hi -= 1 }
        return Array(chain[lo...hi])
    }
}
