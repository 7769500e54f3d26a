/// Morphological top-hat responses of an 8-bit image, row by row, with a square structuring
/// element of side `2 × radius + 1` working pixels:
///
/// - dark response  = closing(I) − I: how much darker a pixel is than the brightest level that a
///   square of that size can fit around it; positive on dark objects narrower than the square
///   (vehicles, their shadows, thin streaks), zero on wide dark regions (forest, fields, roads
///   wider than the square);
/// - bright response = I − opening(I): the same for bright objects (white cab roofs, tarpaulins).
///
/// Rows are pushed in order (`push`) and responses come out `2 × radius` rows later (the rest
/// on `finish`), so an image of any height is filtered in memory proportional to its width: the
/// separable max/min filters keep ring buffers of `2 × radius + 1` rows. Outside the image the
/// window is clamped (as if padded with the neutral value). The horizontal filters
/// (`SlidingExtremum`, by doubling) take about log₂(side) byte-vector passes per row, the
/// vertical ones (`VerticalExtremum`, by blocks) three: a few byte-vector operations per pixel
/// whatever the radius, no per-pixel allocation.
public struct TopHat {
    public let radius: Int
    /// Whether the bright response is computed (otherwise it is all zero, at half the cost).
    public var computesBright: Bool

    public init(radius: Int, computesBright: Bool = true) {
        precondition(radius >= 1)
        self.radius = radius
        self.computesBright = computesBright
    }

    /// Calls `body(y, dark, bright)` for every row `y` of `image` in order.
    public func forEachRow(of image: GrayImage, _ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let stream = TopHatStream(radius: radius, computesBright: computesBright, width: image.width, height: image.height)
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height {
                stream.push(UnsafeBufferPointer(rebasing: px[(y * image.width)..<((y + 1) * image.width)]), body)
            }
        }
        stream.finish(body)
    }
}

/// The streaming top-hat of an image of known size: push its rows in order, receive
/// `(y, dark, bright)` rows in order, `2 × radius` rows behind.
public final class TopHatStream {
    public let radius: Int
    public let width: Int
    public let height: Int
    public let computesBright: Bool
    /// Rows pushed so far.
    public private(set) var pushed = 0
    /// Rows delivered so far.
    public private(set) var delivered = 0
    private let span: Int
    private var input: [UInt8] // the rows as pushed, a ring of `span` rows indexed by row modulo `span`
    // the separable filters: horizontal (`line`) then vertical, row by row
    private var dilated: VerticalExtremum // vertical max of each row's horizontal max: dilation
    private var closing: VerticalExtremum // vertical min of the dilation's horizontal min
    private var eroded: VerticalExtremum  // vertical min of each row's horizontal min: erosion
    private var opening: VerticalExtremum // vertical max of the erosion's horizontal max
    private var dark: [UInt8]
    private var bright: [UInt8]
    private var line: SlidingExtremum

    public init(radius: Int, computesBright: Bool, width: Int, height: Int) {
        precondition(radius >= 1 && width > 0 && height > 0)
        self.radius = radius
        self.width = width
        self.height = height
        self.computesBright = computesBright
        span = 2 * radius + 1
        input = [UInt8](repeating: 0, count: span * width)
        dilated = VerticalExtremum(width: width, radius: radius, max: true)
        closing = VerticalExtremum(width: width, radius: radius, max: false)
        let brightWidth = computesBright ? width : 0
        eroded = VerticalExtremum(width: brightWidth, radius: radius, max: false)
        opening = VerticalExtremum(width: brightWidth, radius: radius, max: true)
        dark = [UInt8](repeating: 0, count: width)
        bright = [UInt8](repeating: 0, count: width)
        line = SlidingExtremum(width: width, radius: radius)
    }

    /// Adds the next row (`width` pixels); calls `body` for each row that is now complete.
    public func push(_ row: UnsafeBufferPointer<UInt8>,
                     _ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(row.count == width && pushed < height, "row of the wrong width, or past the last row")
        let slot = (pushed % span) * width, w = width
        input.withUnsafeMutableBufferPointer { ($0.baseAddress! + slot).update(from: row.baseAddress!, count: w) }
        pushed += 1
        let u = dilated.push { line.filter(row, into: $0, max: true) }
        if computesBright { _ = eroded.push { line.filter(row, into: $0, max: false) } }
        if let u { stage2(u, body) }
    }

    /// Starts again with a new image of the same size, reusing the buffers.
    public func restart() {
        pushed = 0
        delivered = 0
        dilated.restart()
        closing.restart()
        eroded.restart()
        opening.restart()
    }

    /// Delivers the remaining rows; every row must have been pushed.
    public func finish(_ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(pushed == height, "not every row was pushed")
        while let u = dilated.flush() {
            if computesBright { _ = eroded.flush() }
            stage2(u, body)
        }
        while let v = closing.flush() {
            if computesBright { _ = opening.flush() }
            stage3(v, body)
        }
    }

    /// Row u of the dilation (and erosion) is complete: its horizontal min (max) goes down the
    /// closing's (opening's) vertical filter.
    private func stage2(_ u: Int, _ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let d = dilated
        let v = d.withResult { c in closing.push { line.filter(c, into: $0, max: false) } }
        if computesBright {
            let e = eroded
            _ = e.withResult { c in opening.push { line.filter(c, into: $0, max: true) } }
        }
        if let v { stage3(v, body) }
    }

    /// Row v of the closing (and opening) is complete → the responses.
    private func stage3(_ v: Int, _ body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        let slot = (v % span) * width, w = width
        let c = closing
        input.withUnsafeBufferPointer { i in
            c.withResult { c in
                dark.withUnsafeMutableBufferPointer { d in
                    ByteVectors.saturatingSubtract(c.baseAddress!, i.baseAddress! + slot, into: d.baseAddress!, count: w)
                }
            }
        }
        if computesBright {
            let o = opening
            input.withUnsafeBufferPointer { i in
                o.withResult { o in
                    bright.withUnsafeMutableBufferPointer { b in
                        ByteVectors.saturatingSubtract(i.baseAddress! + slot, o.baseAddress!, into: b.baseAddress!, count: w)
                    }
                }
            }
        }
        delivered += 1
        dark.withUnsafeBufferPointer { d in bright.withUnsafeBufferPointer { b in body(v, d, b) } }
    }
}

/// Element-wise operations on byte arrays, written as plain loops over pointers that the
/// compiler turns into vector instructions (byte max/min/subtract, 16 or more per instruction).
enum ByteVectors {
    /// out[i] = max (or min) of a[i] and b[i]; `out` may be `a` or `b`.
    @inline(__always)
    static func extremum(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>,
                         count n: Int, max useMax: Bool) {
        if useMax {
            for i in 0..<n { out[i] = Swift.max(a[i], b[i]) }
        } else {
            for i in 0..<n { out[i] = Swift.min(a[i], b[i]) }
        }
    }

    /// out[i] = a[i] − b[i], or 0 where b[i] ≥ a[i].
    @inline(__always)
    static func saturatingSubtract(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt8>,
                                   count n: Int) {
        for i in 0..<n { out[i] = Swift.max(a[i], b[i]) &- b[i] }
    }
}

/// Running max/min over a window of `2r + 1` samples along a row, clamped at the row's ends
/// (the row is padded with the neutral value): the window's extremum is built by doubling
/// (windows of 2, 4, 8, … samples, one vector pass each, the first reading the row itself) and
/// two overlapping power-of-two windows cover any window size.
struct SlidingExtremum {
    let width: Int
    let radius: Int
    private var a: [UInt8]
    private var b: [UInt8]

    init(width: Int, radius: Int) {
        self.width = width
        self.radius = radius
        // padding: r neutral samples before the row, r + 16 after (room for the doubling reads)
        a = [UInt8](repeating: 0, count: width + 2 * radius + 48)
        b = a
    }

    /// out[x] = max (or min) of row[x − r ... x + r] within the row.
    mutating func filter(_ row: UnsafeBufferPointer<UInt8>, into out: UnsafeMutablePointer<UInt8>, max useMax: Bool) {
        let n = width, r = radius, k = 2 * r + 1, total = a.count
        let neutral: UInt8 = useMax ? 0 : 255
        a.withUnsafeMutableBufferPointer { ab in
            b.withUnsafeMutableBufferPointer { bb in
                var src = ab.baseAddress!, dst = bb.baseAddress!
                let x = row.baseAddress!
                guard n > 0 else { return }
                guard k >= 2 else {
                    out.update(from: x, count: n)
                    return
                }
                // the first pass (windows of 2) reads the row itself, as if padded with r neutral
                // samples on either side: src[i] = extremum of padded[i], padded[i + 1]
                src.update(repeating: neutral, count: r - 1)
                src[r - 1] = x[0]
                if n > 1 { ByteVectors.extremum(x, x + 1, into: src + r, count: n - 1, max: useMax) }
                src[r + n - 1] = x[n - 1]
                (src + r + n).update(repeating: neutral, count: total - r - n)
                // after the pass with step s, src[i] = extremum of the padded row over [i, i + 2s)
                var size = 2
                let valid = n + 2 * r // padded samples that matter
                while size * 2 <= k {
                    ByteVectors.extremum(src, src + size, into: dst, count: valid, max: useMax)
                    (dst + valid).update(repeating: neutral, count: total - valid)
                    swap(&src, &dst)
                    size *= 2
                }
                // window [x − r, x + r] in the row = [x, x + k) in the padded row = [x, x + size) ∪ [x + k − size, x + k)
                ByteVectors.extremum(src, src + (k - size), into: out, count: n, max: useMax)
            }
        }
    }
}
