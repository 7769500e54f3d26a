/// Running max (or min) down the columns of an image streamed row by row, over a window of
/// `2 × radius + 1` rows clamped at the image's top and bottom (as if padded with the neutral
/// value): the window's extremum of row u is known once row u + radius has been pushed.
///
/// Built by doubling, like `SlidingExtremum` along a row: level j holds, for each row y, the
/// extremum of rows y ..< y + 2ʲ, computed from level j − 1 as soon as its last row arrives (one
/// vector pass per level per row), and two overlapping power-of-two windows cover the window.
/// So a row costs log₂(2 × radius + 1) + 1 byte-vector passes, not 2 × radius. Each level is a
/// ring of `2 × radius + 1` rows; no per-pixel allocation.
struct VerticalExtremum {
    let width: Int
    let radius: Int
    let usesMax: Bool
    private let span: Int
    private let levels: Int // the window is covered by two windows of 2^levels rows
    private var rings: [UInt8] // levels + 1 rings of `span` rows; ring j is level j
    private var result: [UInt8]
    /// Rows pushed so far, and neutral rows pushed after them by `flush`.
    private(set) var received = 0
    private var padding = 0
    /// Rows whose extremum has been delivered.
    private(set) var delivered = 0

    init(width: Int, radius: Int, max usesMax: Bool) {
        precondition(width >= 0 && radius >= 0)
        self.width = width
        self.radius = radius
        self.usesMax = usesMax
        span = 2 * radius + 1
        var j = 0
        while 1 << (j + 1) <= span { j += 1 }
        levels = j
        // neutral everywhere: the rows above the image (and level entries made only of them)
        rings = [UInt8](repeating: usesMax ? 0 : 255, count: (j + 1) * span * width)
        result = [UInt8](repeating: 0, count: width)
    }

    /// Starts again with a new image, reusing the buffers.
    mutating func restart() {
        let neutral: UInt8 = usesMax ? 0 : 255
        rings.withUnsafeMutableBufferPointer { $0.update(repeating: neutral) }
        received = 0
        padding = 0
        delivered = 0
    }

    /// Adds the next row, written by `fill` into the buffer it is given (`width` bytes). Returns
    /// the row whose window is now complete (its extremum is then read with `withResult`), or nil.
    @inline(__always)
    mutating func push(filling fill: (UnsafeMutablePointer<UInt8>) -> Void) -> Int? {
        let t = received + radius // internal row: `radius` neutral rows come first
        let slot = (t % span) * width
        rings.withUnsafeMutableBufferPointer { fill($0.baseAddress! + slot) }
        received += 1
        return advance(t)
    }

    /// Adds the next row, copied from `row` (`width` bytes).
    mutating func push(_ row: UnsafePointer<UInt8>) -> Int? {
        let w = width
        return push { $0.update(from: row, count: w) }
    }

    /// After the last row: pushes neutral rows below the image until one completes a row, and returns it,
    /// or nil once every row has been delivered.
    mutating func flush() -> Int? {
        while delivered < received {
            // (an image shorter than the radius needs several neutral rows before its first row is complete)
            let t = received + padding + radius
            let slot = (t % span) * width, w = width, neutral: UInt8 = usesMax ? 0 : 255
            rings.withUnsafeMutableBufferPointer { ($0.baseAddress! + slot).update(repeating: neutral, count: w) }
            padding += 1
            if let u = advance(t) { return u }
        }
        return nil
    }

    /// The extremum of the window of the row last returned by `push` or `flush`.
    @inline(__always)
    func withResult<T>(_ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        result.withUnsafeBufferPointer(body)
    }

    /// Internal row `t` was just written to level 0: completes the level entries that end at it
    /// and, once the window of internal row t − radius is whole, its extremum.
    private mutating func advance(_ t: Int) -> Int? {
        let w = width, span = span, r = radius, useMax = usesMax, levels = levels
        let ringBytes = span * w
        let ready = t >= 2 * r
        rings.withUnsafeMutableBufferPointer { rb in
            let base = rb.baseAddress!
            var j = 1
            while j <= levels {
                let e = t - (1 << j) + 1 // level-j entry whose rows end at t
                if e < 0 { break }
                let half = 1 << (j - 1)
                let lower = base + (j - 1) * ringBytes
                ByteVectors.extremum(lower + (e % span) * w, lower + ((e + half) % span) * w,
                                     into: base + j * ringBytes + (e % span) * w, count: w, max: useMax)
                j += 1
            }
            guard ready else { return }
            // window of internal row u = t − r: rows u − r ... u + r = [u − r, u − r + s) ∪ [t − s + 1, t + 1)
            let s = 1 << levels, top = base + levels * ringBytes
            result.withUnsafeMutableBufferPointer { out in
                ByteVectors.extremum(top + ((t - 2 * r) % span) * w, top + ((t - s + 1) % span) * w,
                                     into: out.baseAddress!, count: w, max: useMax)
            }
        }
        guard ready else { return nil }
        delivered += 1
        return t - 2 * r
    }
}
