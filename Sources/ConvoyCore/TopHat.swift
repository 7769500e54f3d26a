/// Morphological top-hat responses of a `GrayImage`, row by row, with a square structuring
/// element of side `2 × radius + 1` working pixels:
///
/// - dark response  = closing(I) − I: how much darker a pixel is than the brightest level that a
///   square of that size can fit around it; positive on dark objects narrower than the square
///   (vehicles, their shadows, thin streaks), zero on wide dark regions (forest, fields, roads
///   wider than the square);
/// - bright response = I − opening(I): the same for bright objects (white cab roofs, tarpaulins).
///
/// The filters are separable max/min filters streamed through ring buffers of `2 × radius + 1`
/// rows, so the extra memory grows with the image width, not its area.
public struct TopHat {
    public let radius: Int
    /// Whether the bright response is computed (otherwise it is all zero, at half the cost).
    public var computesBright: Bool

    public init(radius: Int, computesBright: Bool = true) {
        precondition(radius >= 1)
        self.radius = radius
        self.computesBright = computesBright
    }

    /// Calls `body(y, dark, bright)` for every row `y` in order.
    public func forEachRow(of image: GrayImage, _ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let w = image.width, h = image.height, r = radius, span = 2 * r + 1
        // Ring buffers, indexed by row modulo `span`:
        var dilatedH = [UInt8](repeating: 0, count: span * w)  // max over the row window
        var erodedH = [UInt8](repeating: 0, count: span * w)   // min over the row window
        var closingH = [UInt8](repeating: 0, count: span * w)  // min_h of (max_v of dilatedH)
        var openingH = [UInt8](repeating: 0, count: span * w)  // max_h of (min_v of erodedH)
        var column = [UInt8](repeating: 0, count: w)
        var dark = [UInt8](repeating: 0, count: w)
        var bright = [UInt8](repeating: 0, count: w)
        var scratch = SlidingExtremum(width: w)

        image.pixels.withUnsafeBufferPointer { px in
            for t in 0..<(h + 2 * r) {
                // stage 1: row t, horizontally filtered
                if t < h {
                    let row = UnsafeBufferPointer(rebasing: px[(t * w)..<((t + 1) * w)])
                    let slot = (t % span) * w
                    dilatedH.withUnsafeMutableBufferPointer { scratch.max(row, radius: r, into: $0, at: slot) }
                    if computesBright {
                        erodedH.withUnsafeMutableBufferPointer { scratch.min(row, radius: r, into: $0, at: slot) }
                    }
                }
                // stage 2: row u = t - r, vertical max/min of stage 1, then horizontal min/max
                let u = t - r
                if u >= 0 && u < h {
                    let lo = max(0, u - r), hi = min(h - 1, u + r)
                    verticalExtremum(dilatedH, rows: lo...hi, span: span, width: w, useMax: true, into: &column)
                    closingH.withUnsafeMutableBufferPointer { dst in
                        column.withUnsafeBufferPointer { scratch.min($0, radius: r, into: dst, at: (u % span) * w) }
                    }
                    if computesBright {
                        verticalExtremum(erodedH, rows: lo...hi, span: span, width: w, useMax: false, into: &column)
                        openingH.withUnsafeMutableBufferPointer { dst in
                            column.withUnsafeBufferPointer { scratch.max($0, radius: r, into: dst, at: (u % span) * w) }
                        }
                    }
                }
                // stage 3: row v = t - 2r, vertical min/max of stage 2 → closing and opening
                let v = t - 2 * r
                if v >= 0 {
                    let lo = max(0, v - r), hi = min(h - 1, v + r)
                    verticalExtremum(closingH, rows: lo...hi, span: span, width: w, useMax: false, into: &column)
                    for x in 0..<w {
                        let i = px[v * w + x]
                        dark[x] = column[x] > i ? column[x] - i : 0
                    }
                    if computesBright {
                        verticalExtremum(openingH, rows: lo...hi, span: span, width: w, useMax: true, into: &column)
                        for x in 0..<w {
                            let i = px[v * w + x]
                            bright[x] = i > column[x] ? i - column[x] : 0
                        }
                    }
                    dark.withUnsafeBufferPointer { d in bright.withUnsafeBufferPointer { b in body(v, d, b) } }
                }
            }
        }
    }

    private func verticalExtremum(_ ring: [UInt8], rows: ClosedRange<Int>, span: Int, width: Int, useMax: Bool,
                                  into out: inout [UInt8]) {
        ring.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                let first = (rows.lowerBound % span) * width
                for x in 0..<width { dst[x] = src[first + x] }
                for y in rows.dropFirst() {
                    let base = (y % span) * width
                    if useMax {
                        for x in 0..<width where src[base + x] > dst[x] { dst[x] = src[base + x] }
                    } else {
                        for x in 0..<width where src[base + x] < dst[x] { dst[x] = src[base + x] }
                    }
                }
            }
        }
    }
}

/// Running max/min over a window of `2r + 1` samples along a row (van Herk / Gil-Werman:
/// three comparisons per sample whatever the window), clamped at the row's ends.
struct SlidingExtremum {
    private var prefix: [UInt8]
    private var suffix: [UInt8]

    init(width: Int) {
        prefix = [UInt8](repeating: 0, count: width)
        suffix = [UInt8](repeating: 0, count: width)
    }

    mutating func max(_ row: UnsafeBufferPointer<UInt8>, radius: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        filter(row, radius: radius, into: out, at: offset, identity: 0) { Swift.max($0, $1) }
    }

    mutating func min(_ row: UnsafeBufferPointer<UInt8>, radius: Int, into out: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        filter(row, radius: radius, into: out, at: offset, identity: 255) { Swift.min($0, $1) }
    }

    @inline(__always)
    private mutating func filter(_ row: UnsafeBufferPointer<UInt8>, radius r: Int, into out: UnsafeMutableBufferPointer<UInt8>,
                                 at offset: Int, identity: UInt8, _ op: (UInt8, UInt8) -> UInt8) {
        let n = row.count, k = 2 * r + 1
        prefix.withUnsafeMutableBufferPointer { g in
            suffix.withUnsafeMutableBufferPointer { hh in
                // blocks of k samples: g = running op from each block's start, hh = from its end
                var start = 0
                while start < n {
                    let end = Swift.min(start + k, n)
                    g[start] = row[start]
                    for i in (start + 1)..<end { g[i] = op(g[i - 1], row[i]) }
                    hh[end - 1] = row[end - 1]
                    var i = end - 2
                    while i >= start { hh[i] = op(hh[i + 1], row[i]); i -= 1 }
                    start = end
                }
                for x in 0..<n {
                    let lo = x - r, hi = x + r
                    if lo < 0 || hi >= n {
                        var v = identity
                        for j in Swift.max(0, lo)...Swift.min(n - 1, hi) { v = op(v, row[j]) }
                        out[offset + x] = v
                    } else {
                        out[offset + x] = op(hh[lo], g[hi])
                    }
                }
            }
        }
    }
}
