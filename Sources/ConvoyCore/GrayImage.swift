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
/// never held whole.
///
/// Luminance is the mean of the red, green and blue samples (gray images: the sample); alpha
/// and further bands are ignored. 16-bit samples are scaled to 8 bits.
public struct GrayImageBuilder {
    public let sourceWidth: Int
    public let sourceHeight: Int
    public let factor: Int
    public let width: Int
    public let height: Int
    private var pixels: [UInt8]
    private var sums: [UInt32]          // one working row being accumulated
    private var rowsInSums = 0
    private var nextSourceRow = 0
    private var nextWorkingRow = 0

    /// `factor` source pixels per working pixel (≥ 1); a trailing partial block is averaged over
    /// the pixels it has.
    public init(sourceWidth: Int, sourceHeight: Int, factor: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && factor >= 1)
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.factor = factor
        width = (sourceWidth + factor - 1) / factor
        height = (sourceHeight + factor - 1) / factor
        // Grown a working row at a time as rows arrive, not zero-filled up front: a file that
        // declares a huge image but fails after a few rows (a decompression bomb, a truncated
        // file) then costs memory for the rows it really had.
        pixels = []
        sums = [UInt32](repeating: 0, count: width)
    }

    /// Adds the next rows, which must follow the previous ones.
    public mutating func add(_ band: AnyRaster) {
        switch band {
        case .uint8(let r): add(r, maxValue: 255)
        case .uint16(let r): add(r, maxValue: 65535)
        }
    }

    private mutating func add<S>(_ band: Raster<S>, maxValue: UInt32) {
        precondition(band.width == sourceWidth, "band width differs from the image")
        let bands = band.bands, colour = bands >= 3, sixteen = maxValue != 255
        let (w, sw, f) = (width, sourceWidth, factor)
        // moved out of self (not copied) so the loop can also update the counters
        var acc: [UInt32] = [], out: [UInt8] = []
        swap(&acc, &sums)
        swap(&out, &pixels)
        defer {
            swap(&acc, &sums)
            swap(&out, &pixels)
        }
        band.samples.withUnsafeBufferPointer { src in
            for y in 0..<band.height {
                let rowStart = y * sw * bands
                for x in 0..<sw {
                    let s = rowStart + x * bands
                    var v = colour ? (UInt32(src[s]) + UInt32(src[s + 1]) + UInt32(src[s + 2]) + 1) / 3 : UInt32(src[s])
                    if sixteen { v = (v + 128) / 257 } // 16-bit → 8-bit, rounded
                    acc[x / f] += v
                }
                rowsInSums += 1
                nextSourceRow += 1
                if rowsInSums == f || nextSourceRow == sourceHeight {
                    let base = nextWorkingRow * w
                    if nextWorkingRow == 0 { out.reserveCapacity(min(w * height, max(w, 1 << 26))) }
                    out.append(contentsOf: repeatElement(0, count: w))
                    for x in 0..<w {
                        let count = UInt32(min(f, sw - x * f) * rowsInSums)
                        out[base + x] = UInt8((acc[x] + count / 2) / count)
                        acc[x] = 0
                    }
                    rowsInSums = 0
                    nextWorkingRow += 1
                }
            }
        }
    }

    /// The finished image; every source row must have been added.
    public func finish() -> GrayImage {
        precondition(nextSourceRow == sourceHeight, "not every row was added")
        return GrayImage(width: width, height: height, factor: factor, pixels: pixels)
    }
}
