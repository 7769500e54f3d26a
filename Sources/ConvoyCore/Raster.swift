/// An image held in memory: `width` × `height` pixels of `bands` interleaved samples each,
/// rows from the top. Samples are `UInt8` or `UInt16` (16-bit imagery keeps its precision).
///
/// Algorithms in convoy take rasters, never files, so they can be tested on tiny synthetic
/// inputs built in memory.
public struct Raster<Sample: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let bands: Int
    /// Row-major, pixel-interleaved samples: sample `b` of pixel (x, y) is at
    /// `(y * width + x) * bands + b`.
    public var samples: [Sample]

    /// A raster filled with `fill`. `width`, `height` and `bands` must be positive.
    public init(width: Int, height: Int, bands: Int, fill: Sample = 0) {
        precondition(width > 0 && height > 0 && bands > 0, "raster dimensions must be positive")
        self.width = width
        self.height = height
        self.bands = bands
        self.samples = Array(repeating: fill, count: width * height * bands)
    }

    /// A raster over existing samples; `nil` when their count is not width × height × bands.
    public init?(width: Int, height: Int, bands: Int, samples: [Sample]) {
        guard width > 0, height > 0, bands > 0, samples.count == width * height * bands else { return nil }
        self.width = width
        self.height = height
        self.bands = bands
        self.samples = samples
    }

    /// Sample `band` of the pixel at column `x`, row `y`.
    @inlinable
    public subscript(x: Int, y: Int, band: Int) -> Sample {
        get { samples[(y * width + x) * bands + band] }
        set { samples[(y * width + x) * bands + band] = newValue }
    }
}

/// A raster whose sample width is known only at run time, as decoded from a file.
public enum AnyRaster: Sendable, Equatable {
    case uint8(Raster<UInt8>)
    case uint16(Raster<UInt16>)

    public var width: Int {
        switch self {
        case .uint8(let r): r.width
        case .uint16(let r): r.width
        }
    }

    public var height: Int {
        switch self {
        case .uint8(let r): r.height
        case .uint16(let r): r.height
        }
    }

    public var bands: Int {
        switch self {
        case .uint8(let r): r.bands
        case .uint16(let r): r.bands
        }
    }
}
