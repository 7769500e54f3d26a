/// Running max (or min) down the columns of an image streamed row by row, over a window of
/// `2 × radius + 1` rows clamped at the image's top and bottom (as if padded with the neutral
/// value): the window's extremum of row u is known once row u + radius has been pushed.
///
/// By van Herk and Gil–Werman's blocks: the rows are cut into blocks of the window's length k;
/// for each row, the extremum from the start of its block down to it (prefix) and, once its
/// block is complete, from it down to the block's end (suffix). Any window of k rows is the
/// suffix of its first row and the prefix of its last. So a row costs three byte-vector passes
/// (prefix, suffix, combination), whatever the radius. Memory: two rings of k rows; no
/// per-pixel allocation.
struct VerticalExtremum {
    let width: Int
    let radius: Int
    let usesMax: Bool
    private let span: Int // k, the window's length
    private var rows: [UInt8]   // ring of `span` rows as pushed, slot = internal row % span
    private var suffix: [UInt8] // ring of `span` rows: extremum from the row to its block's end
    private var prefix: [UInt8] // extremum from the start of the last row's block to it
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
        // neutral everywhere: the `radius` rows above the image are never pushed, only read
        let neutral: UInt8 = usesMax ? 0 : 255
        rows = [UInt8](repeating: neutral, count: span * width)
        suffix = rows
        prefix = [UInt8](repeating: neutral, count: width)
        result = [UInt8](repeating: 0, count: width)
    }

    /// Starts again with a new image, reusing the buffers.
    mutating func restart() {
        let neutral: UInt8 = usesMax ? 0 : 255
        rows.withUnsafeMutableBufferPointer { $0.update(repeating: neutral) }
        prefix.withUnsafeMutableBufferPointer { $0.update(repeating: neutral) }
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
        rows.withUnsafeMutableBufferPointer { fill($0.baseAddress! + slot) }
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
            rows.withUnsafeMutableBufferPointer { ($0.baseAddress! + slot).update(repeating: neutral, count: w) }
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

    /// Internal row `t` was just written: extends the prefix, completes the suffixes when `t`
    /// ends its block and, once the window of internal row t − radius is whole, its extremum.
    private mutating func advance(_ t: Int) -> Int? {
        let w = width, k = span, useMax = usesMax
        rows.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            prefix.withUnsafeMutableBufferPointer { pb in
                let p = pb.baseAddress!
                if t % k == 0 {
                    p.update(from: x + (t % k) * w, count: w)
                } else {
                    ByteVectors.extremum(p, x + (t % k) * w, into: p, count: w, max: useMax)
                }
            }
            guard t % k == k - 1 else { return }
            // the block [t − k + 1, t] is complete: its suffixes, from its end up
            suffix.withUnsafeMutableBufferPointer { sb in
                let s = sb.baseAddress!
                (s + (t % k) * w).update(from: x + (t % k) * w, count: w)
                var y = t - 1
                while y > t - k {
                    ByteVectors.extremum(x + (y % k) * w, s + ((y + 1) % k) * w, into: s + (y % k) * w, count: w, max: useMax)
                    y -= 1
                }
            }
        }
        guard t >= k - 1 else { return nil }
        // window of internal row t − radius: [a, t] with a = t − k + 1 = suffix of a ∪ prefix of t
        let a = t - k + 1
        suffix.withUnsafeBufferPointer { sb in
            prefix.withUnsafeBufferPointer { pb in
                result.withUnsafeMutableBufferPointer { out in
                    ByteVectors.extremum(sb.baseAddress! + (a % k) * w, pb.baseAddress!, into: out.baseAddress!, count: w, max: useMax)
                }
            }
        }
        delivered += 1
        return a
    }
}
