/// Where vehicles are seen one by one (working pixels up to 1.2 m), a link between two vehicles
/// is not made when the road followed from either of them (`RoadTracer`) runs elsewhere: it was
/// followed towards the other for 1.3 times their distance plus 10 m (not lost before that:
/// matched, or coasting for less than `RoadTracer.coast` at its end) without coming within
/// `reach` of it, and the road followed from the other does not reach the first. Where no road
/// can be followed from either (no structure across the vehicle's axis, the road lost at a
/// junction or under shadows before the other's distance) the link is judged as before, by the
/// linker's rules alone.
///
/// The ground read is the scene's context image: the working image itself up to 64 MP, coarser
/// beyond (`SceneImage.contextPixels`), so on the largest images the road is followed at a
/// coarser resolution than the vehicles were found at.
///
/// Why: at 0.3–1 m a column's vehicles are nearly all found, but the linker, which knows only
/// where candidates are, strung a column's vehicles to the houses, shadows and crowns beside its
/// road wherever those were nearer than the next vehicle, and the column then failed its tests
/// or came out short (tune-00: a jump of 200 m across a field to a house). Training scenes
/// (`tune` + `calib`): found 42 → 46 of 99, false 12 → 9 (README, Accuracy). Following roads
/// to link vehicles, rather than only to refuse links, lost columns wherever a trace lost its
/// road (field boundaries changing the verges, junctions): `docs/detector-experiments.md`.
///
/// A reference type: each vehicle's road is followed once per direction, as far as the links
/// asked about need, and kept for the linker's later questions.
public final class FollowedRoads {
    private let nodes: [LinkNode]
    private let tracer: RoadTracer
    private let ground: (PlanePoint) -> Double?
    /// How near the road followed must come to the other vehicle's centre to reach it, metres:
    /// two abreast, and a centroid pulled aside by the vehicle's shadow.
    public let reach = 6.0
    /// Longest link judged, metres; longer ones (`--max-gap` of kilometres) are left to the
    /// linker's rules.
    public let longestJudged = 2_000.0
    private var starts: [Int: [RoadTracer.Start]] = [:]
    /// Node i's trace along its start k, under key 2 i + k (a vehicle has at most two starts).
    private var traces: [Int: RoadTracer.Trace] = [:]

    /// `nodes` as given to the linker, in working pixels of `g` metres; `ground(p)` is the gray
    /// level at plane point p, nil outside the imagery.
    public init(nodes: [LinkNode], metresPerWorkingPixel g: Double, ground: @escaping (PlanePoint) -> Double?) {
        self.nodes = nodes
        tracer = RoadTracer(metresPerPixel: g)
        self.ground = ground
    }

    /// Whether the link between nodes i and j may be made.
    public func allows(_ i: Int, _ j: Int) -> Bool {
        var passed = false
        for (a, b) in [(i, j), (j, i)] {
            switch verdict(from: a, to: b) {
            case .reached: return true
            case .passed: passed = true
            case .lost, nil: break
            }
        }
        return !passed
    }

    /// What following the road from a vehicle towards a point says about it.
    enum Verdict { case reached, passed, lost }

    /// The road from node a in the direction of node b, followed for 1.3 times the straight
    /// distance plus 10 m; nil when no road can be followed from a that way.
    func verdict(from a: Int, to b: Int) -> Verdict? {
        let target = nodes[b].position
        let towards = target - nodes[a].position
        // a trace's length is bounded by this, not by `--max-gap` (a road followed round and
        // round a ring road would never end)
        guard towards.length <= longestJudged else { return nil }
        let all = startsOf(a)
        guard let k = all.firstIndex(where: { $0.direction.x * towards.x + $0.direction.y * towards.y > 0 }) else { return nil }
        let length = towards.length * 1.3 + 10
        let trace = traceOf(a, k, length: length)
        // the centres a trace of exactly `length` would have visited: up to the first step past it
        for c in trace.centres where c.along > 0 && c.along < length + tracer.step - 1e-9 {
            if c.point.distance(to: target) <= reach { return .reached }
        }
        return trace.lost && trace.length < length - tracer.step / 2 ? .lost : .passed
    }

    /// Finds where the roads of nodes `indices` start, the nodes spread over the cores, before
    /// the linker asks: it asks of nearly every vehicle (1,616 of 1,709 on the scale benchmark's
    /// 256 MP scene), one link at a time, and finding starts (a road's template across the
    /// vehicle) was a third of the linking there. `ground` must be safe to call from several
    /// threads (it reads an image).
    public func prepareStarts(_ indices: [Int]) {
        let tracer = tracer, nodes = nodes, ground = ground
        let found = indices.mapOnAllCores { i in
            nodes[i].axis.map { tracer.starts(at: nodes[i].position, axis: $0, length: nodes[i].length, ground: ground) } ?? []
        }
        for (k, i) in indices.enumerated() { starts[i] = found[k] }
    }

    private func startsOf(_ i: Int) -> [RoadTracer.Start] {
        if let s = starts[i] { return s }
        let n = nodes[i]
        let s = n.axis.map { tracer.starts(at: n.position, axis: $0, length: n.length, ground: ground) } ?? []
        starts[i] = s
        return s
    }

    /// Node i's trace number k, followed at least `length` metres (or until lost); a longer one
    /// than asked is followed when one must be, so that a road is followed a few times at most.
    private func traceOf(_ i: Int, _ k: Int, length: Double) -> RoadTracer.Trace {
        let key = 2 * i + k
        if let t = traces[key], t.lost || t.length >= length - 1e-9 { return t }
        let longer = max(length, 2 * (traces[key]?.length ?? 0))
        let t = tracer.follow(startsOf(i)[k], maximumLength: longer + tracer.step, ground: ground)
        traces[key] = t
        return t
    }
}
