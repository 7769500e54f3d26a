/// Keeps, of a top-hat response streamed row by row, only the pixels that reach at least a third of
/// the strongest response around them (a square of `2 × radius + 1` pixels, about a vehicle's
/// length).
///
/// Why: a threshold low enough for faint vehicles also takes in the weak response of whatever
/// they touch — the darker edge of the road, a verge, a shadow line — and the vehicle's blob
/// becomes a long strip that no longer looks like a vehicle. Each vehicle is a local peak of the
/// response; its own pixels (body and shadow) reach a third of that peak, the faint surroundings
/// do not. Far from any strong peak the gate keeps everything, so a uniform streak (vehicles
/// merged at coarse resolution, or a hedge) stays whole and is judged as a streak.
///
/// Rows come out `radius` rows after they go in (the window needs the rows below); `finish`
/// flushes the rest. The square's max is separable: each row's horizontal max, then the vertical
/// max of those (`VerticalExtremum`), a few byte-vector passes per row whatever the radius.
/// Memory: a few rings of `2 × radius + 1` rows.
public struct PeakGate {
    public let radius: Int
    public let width: Int
    private let span: Int
    private var raw: [UInt8] // ring of `span` rows, as added
    /// Vertical max of each row's horizontal max: the square's max.
    private var peak: VerticalExtremum
    private var gated: [UInt8]
    private var scratch: SlidingExtremum

    public init(width: Int, radius: Int) {
        precondition(radius >= 0 && width >= 0)
        self.radius = radius
        self.width = width
        span = 2 * radius + 1
        raw = [UInt8](repeating: 0, count: span * width)
        peak = VerticalExtremum(width: width, radius: radius, max: true)
        gated = [UInt8](repeating: 0, count: width)
        scratch = SlidingExtremum(width: width, radius: radius)
    }

    /// Adds the next row (rows 0, 1, 2, … in order) and emits every row that is now complete.
    public mutating func add(_ row: UnsafeBufferPointer<UInt8>, emit: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(row.count == width)
        let slot = (peak.received % span) * width, w = width
        raw.withUnsafeMutableBufferPointer { ($0.baseAddress! + slot).update(from: row.baseAddress!, count: w) }
        if let u = peak.push(filling: { scratch.filter(row, into: $0, max: true) }) { emitRow(u, emit) }
    }

    /// Emits the last `radius` rows once every row has been added.
    public mutating func finish(emit: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        while let u = peak.flush() { emitRow(u, emit) }
    }

    /// Row u, kept where 3 × value ≥ its square's max, else 0.
    private mutating func emitRow(_ u: Int, _ emit: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        let base = (u % span) * width, w = width
        let p = peak
        raw.withUnsafeBufferPointer { r in
            p.withResult { p in
                gated.withUnsafeMutableBufferPointer { g in
                    let rv = r.baseAddress! + base, pv = p.baseAddress!, gv = g.baseAddress!
                    for x in 0..<w {
                        let v = rv[x]
                        gv[x] = 3 &* UInt16(v) >= UInt16(pv[x]) ? v : 0
                    }
                }
            }
        }
        gated.withUnsafeBufferPointer { emit(u, $0) }
    }
}
