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
/// flushes the rest. Memory: `2 × radius + 1` rows.
public struct PeakGate {
    public let radius: Int
    public let width: Int
    private let span: Int
    private var raw: [UInt8]
    private var horizontalMax: [UInt8]
    private var peak: [UInt8]
    private var gated: [UInt8]
    private var scratch: SlidingExtremum
    private var received = 0

    public init(width: Int, radius: Int) {
        precondition(radius >= 0 && width >= 0)
        self.radius = radius
        self.width = width
        span = 2 * radius + 1
        raw = [UInt8](repeating: 0, count: span * width)
        horizontalMax = [UInt8](repeating: 0, count: span * width)
        peak = [UInt8](repeating: 0, count: width)
        gated = [UInt8](repeating: 0, count: width)
        scratch = SlidingExtremum(width: width, radius: radius)
    }

    /// Adds the next row (rows 0, 1, 2, … in order) and emits every row that is now complete.
    public mutating func add(_ row: UnsafeBufferPointer<UInt8>, emit: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(row.count == width)
        let y = received, slot = (y % span) * width
        raw.withUnsafeMutableBufferPointer { dst in
            for x in 0..<width { dst[slot + x] = row[x] }
        }
        horizontalMax.withUnsafeMutableBufferPointer { scratch.filter(row, into: $0.baseAddress! + slot, max: true) }
        received += 1
        let u = y - radius
        if u >= 0 { emitRow(u, lastRow: y, emit) }
    }

    /// Emits the last `radius` rows once every row has been added.
    public mutating func finish(emit: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        let h = received
        for u in max(0, h - radius)..<h { emitRow(u, lastRow: h - 1, emit) }
    }

    private mutating func emitRow(_ u: Int, lastRow: Int, _ emit: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        let lo = max(0, u - radius), hi = min(lastRow, u + radius)
        let w = width, span = span
        horizontalMax.withUnsafeBufferPointer { src in
            peak.withUnsafeMutableBufferPointer { p in
                let first = (lo % span) * w
                for x in 0..<w { p[x] = src[first + x] }
                if lo < hi {
                    for yy in (lo + 1)...hi {
                        let base = (yy % span) * w
                        for x in 0..<w where src[base + x] > p[x] { p[x] = src[base + x] }
                    }
                }
            }
        }
        let base = (u % span) * w
        raw.withUnsafeBufferPointer { r in
            peak.withUnsafeBufferPointer { p in
                gated.withUnsafeMutableBufferPointer { g in
                    for x in 0..<w {
                        let v = r[base + x]
                        g[x] = 3 * Int(v) >= Int(p[x]) ? v : 0
                    }
                }
            }
        }
        gated.withUnsafeBufferPointer { emit(u, $0) }
    }
}
