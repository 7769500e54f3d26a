/// An 8-bit luminance image at the working resolution of detection: the only full-size buffer
/// the detector holds (one byte per working pixel), so a large image needs no more memory than
/// its decoded size at 8-bit grayscale.
public struct GrayImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Source pixels per working pixel along each axis (1 = full resolution).
    public let factor: Int
    /// Row-major luminance, 0 (black) to 255 (white).
    public var pixels: [UInt8]

    public init(width: Int, height: Int, factor: Int = 1, pixels: [UInt8]) {
        precondition(width > 0 && height > 0 && factor >= 1 && pixels.count == width * height)
        self.width = width
        self.height = height
        self.factor = factor
        self.pixels = pixels
    }

    @inlinable
    public subscript(x: Int, y: Int) -> UInt8 { pixels[y * width + x] }
}

/// Builds a `GrayImage` from row bands of any decoded raster, averaging `factor` × `factor`
/// blocks of source pixels into one working pixel as the rows arrive, so the source image is
/// never held whole. With `keepsImage: false` nothing is kept: each finished working row is
/// handed to the caller of `add(_:rows:)` (streaming detection).
///
/// Luminance is the mean of the red, green and blue samples (gray images: the sample); alpha
/// and further bands are ignored. 16-bit samples are scaled to 8 bits.
public struct GrayImageBuilder {
    public let sourceWidth: Int
    public let sourceHeight: Int
    public let factor: Int
    public let width: Int
    public let height: Int
    public let keepsImage: Bool
    private var pixels: [UInt8]
    private var sums: [UInt32]          // one working row being accumulated
    private var row: [UInt8]            // the working row just finished
    private var rowsInSums = 0
    private var nextSourceRow = 0
    private var nextWorkingRow = 0

    /// `factor` source pixels per working pixel (≥ 1); a trailing partial block is averaged over
    /// the pixels it has.
    public init(sourceWidth: Int, sourceHeight: Int, factor: Int, keepsImage: Bool = true) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && factor >= 1)
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.factor = factor
        self.keepsImage = keepsImage
        width = (sourceWidth + factor - 1) / factor
        height = (sourceHeight + factor - 1) / factor
        // Grown a working row at a time as rows arrive, not zero-filled up front: a file that
        // declares a huge image but fails after a few rows (a decompression bomb, a truncated
        // file) then costs memory for the rows it really had.
        pixels = []
        sums = [UInt32](repeating: 0, count: width)
        row = [UInt8](repeating: 0, count: width)
    }

    /// Adds the next rows, which must follow the previous ones.
    public mutating func add(_ band: AnyRaster) {
        add(band) { _ in }
    }

    /// Adds the next rows and hands over each working row they finish, in order.
    public mutating func add(_ band: AnyRaster, rows emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        switch band {
        case .uint8(let r): r.samples.withUnsafeBufferPointer { add($0, height: r.height, bands: r.bands, emit) }
        case .uint16(let r): r.samples.withUnsafeBufferPointer { add($0, height: r.height, bands: r.bands, emit) }
        }
    }

    /// Adds the next `count` rows of 8-bit luminance, packed.
    public mutating func add(gray rows: UnsafeBufferPointer<UInt8>, count: Int) {
        add(rows, height: count, bands: 1) { _ in }
    }

    /// Adds the next `count` rows of 8-bit luminance and hands over each working row they finish.
    public mutating func add(gray rows: UnsafeBufferPointer<UInt8>, count: Int, rows emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        add(rows, height: count, bands: 1, emit)
    }

    /// One source row's luminance, summed into `acc` (working pixel x / factor).
    @inline(__always)
    private static func accumulate<S: FixedWidthInteger>(_ src: UnsafePointer<S>, bands: Int, width sw: Int, factor f: Int,
                                                         into acc: UnsafeMutablePointer<UInt32>) {
        let sixteen = S.bitWidth > 8
        @inline(__always) func level(_ i: Int) -> UInt32 {
            var v = bands >= 3 ? (UInt32(src[i]) + UInt32(src[i + 1]) + UInt32(src[i + 2]) + 1) / 3 : UInt32(src[i])
            if sixteen { v = (v + 128) / 257 } // 16-bit → 8-bit, rounded
            return v
        }
        if f == 1 {
            if bands == 3 {
                for x in 0..<sw { acc[x] &+= level(3 * x) }
            } else if bands == 1 {
                for x in 0..<sw { acc[x] &+= level(x) }
            } else {
                for x in 0..<sw { acc[x] &+= level(x * bands) }
            }
        } else if bands == 1 && !sixteen {
            // 8-bit luminance: whole blocks in loops the compiler unrolls and vectorizes
            let whole = sw / f
            if f == 2 {
                // a pair read as one 16-bit word (either byte order: the sum is the same), which
                // the compiler vectorizes; byte by byte it stays scalar
                let pairs = UnsafeRawPointer(src)
                for wx in 0..<whole {
                    let v = pairs.loadUnaligned(fromByteOffset: 2 * wx, as: UInt16.self)
                    acc[wx] &+= UInt32(v & 0xFF) &+ UInt32(v >> 8)
                }
            } else {
                for wx in 0..<whole {
                    var s: UInt32 = 0
                    for k in 0..<f { s &+= UInt32(src[wx * f + k]) }
                    acc[wx] &+= s
                }
            }
            if whole * f < sw {
                var s: UInt32 = 0
                for x in (whole * f)..<sw { s &+= UInt32(src[x]) }
                acc[whole] &+= s
            }
        } else {
            var x = 0
            for wx in 0..<((sw + f - 1) / f) {
                var s: UInt32 = 0
                let end = Swift.min(sw, x + f)
                while x < end { s &+= level(x * bands); x += 1 }
                acc[wx] &+= s
            }
        }
    }

    private mutating func add<S: FixedWidthInteger>(_ src: UnsafeBufferPointer<S>, height rows: Int, bands: Int,
                                                    _ emit: (UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(src.count >= rows * sourceWidth * bands, "band width differs from the image")
        let (w, sw, f) = (width, sourceWidth, factor)
        for y in 0..<rows {
            sums.withUnsafeMutableBufferPointer { acc in
                Self.accumulate(src.baseAddress! + y * sw * bands, bands: bands, width: sw, factor: f, into: acc.baseAddress!)
            }
            rowsInSums += 1
            nextSourceRow += 1
            if rowsInSums == f || nextSourceRow == sourceHeight {
                let n = rowsInSums
                sums.withUnsafeMutableBufferPointer { acc in
                    row.withUnsafeMutableBufferPointer { out in
                        if f == 1 {
                            for x in 0..<w { out[x] = UInt8(truncatingIfNeeded: acc[x]); acc[x] = 0 }
                        } else {
                            let whole = sw / f, c = UInt64(f * n), m = ((1 << 32) + c - 1) / c
                            if c & (c - 1) == 0 {
                                // whole blocks of a power-of-two count: (a + c/2) / c is a shift
                                let half = UInt32(c / 2), shift = UInt32(c.trailingZeroBitCount)
                                for x in 0..<whole {
                                    out[x] = UInt8(truncatingIfNeeded: (acc[x] &+ half) >> shift)
                                    acc[x] = 0
                                }
                            } else {
                                // (a + c/2) / c as a multiply by ⌈2³²/c⌉ and a shift, exact since
                                // a < 2³²/c (a ≤ 256 c)
                                for x in 0..<whole {
                                    out[x] = UInt8(truncatingIfNeeded: ((UInt64(acc[x]) + c / 2) &* m) >> 32)
                                    acc[x] = 0
                                }
                            }
                            for x in whole..<w {
                                let count = UInt32(Swift.min(f, sw - x * f) * n)
                                out[x] = UInt8((acc[x] + count / 2) / count)
                                acc[x] = 0
                            }
                        }
                    }
                }
                rowsInSums = 0
                if keepsImage {
                    if nextWorkingRow == 0 { pixels.reserveCapacity(min(w * height, max(w, 1 << 26))) }
                    row.withUnsafeBufferPointer { pixels.append(contentsOf: $0) }
                }
                nextWorkingRow += 1
                row.withUnsafeBufferPointer { emit($0) }
            }
        }
    }

    /// The finished image; every source row must have been added, with `keepsImage`.
    public func finish() -> GrayImage {
        precondition(keepsImage, "a streaming builder keeps no image")
        precondition(nextSourceRow == sourceHeight, "not every row was added")
        return GrayImage(width: width, height: height, factor: factor, pixels: pixels)
    }
}
