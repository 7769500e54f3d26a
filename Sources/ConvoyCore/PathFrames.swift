/// Points every `step` metres along a polyline, each with the unit normal (to the left) of its
/// segment, and the inverse: where a plane point lies along and across the line.
struct PathFrames {
    struct Frame { var point: PlanePoint; var normal: PlanePoint; var along: Double }
    private var frames: [Frame] = []
    private let path: [PlanePoint]
    let step: Double

    init(_ path: [PlanePoint], step: Double) {
        self.path = path
        self.step = step
        var t0 = 0.0, next = 0.0
        for (a, b) in zip(path, path.dropFirst()) {
            let d = b - a, len = d.length
            guard len > 0 else { continue }
            let u = d * (1 / len), n = PlanePoint(x: -u.y, y: u.x)
            while next <= t0 + len {
                frames.append(Frame(point: a + u * (next - t0), normal: n, along: next))
                next += step
            }
            t0 += len
        }
    }

    var count: Int { frames.count }
    subscript(i: Int) -> Frame { frames[i] }

    /// Metres along the line (from its start) and across it (positive to the left) of the
    /// nearest point of the line to `p`; nil for a line of no length.
    func locate(_ p: PlanePoint) -> (along: Double, across: Double)? {
        var best: (distance: Double, along: Double, across: Double)?
        var t0 = 0.0
        for (a, b) in zip(path, path.dropFirst()) {
            let d = b - a, len = d.length
            guard len > 0 else { continue }
            let u = d * (1 / len)
            let s = min(len, max(0, (p.x - a.x) * u.x + (p.y - a.y) * u.y))
            let q = a + u * s
            let distance = p.distance(to: q)
            if best == nil || distance < best!.distance {
                let across = -(p.x - q.x) * u.y + (p.y - q.y) * u.x
                best = (distance, t0 + s, across)
            }
            t0 += len
        }
        return best.map { ($0.along, $0.across) }
    }
}
