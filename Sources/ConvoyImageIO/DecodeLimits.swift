/// Limits that keep a hostile or mislabelled file from exhausting memory. A file that
/// declares more is refused with `ImageError.Kind.tooLarge` before anything large is allocated.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest width × height accepted. Streaming decode needs memory only for a band of
    /// rows, so this bounds time more than memory. Default 2,000,000,000 (2 gigapixels).
    public var maxPixels: Int
    /// Largest width or height. Default 1,000,000.
    public var maxDimension: Int
    /// Largest single buffer a codec may allocate (a row of TIFF tiles, an interlaced PNG,
    /// a progressive JPEG's coefficients, a PNG ancillary chunk). Default 1 GiB.
    public var maxBufferBytes: Int
    /// Largest raster `ImageDecoding.decode` may return whole. Default 4 GiB.
    public var maxWholeImageBytes: Int

    public init(
        maxPixels: Int = 2_000_000_000, maxDimension: Int = 1_000_000,
        maxBufferBytes: Int = 1 << 30, maxWholeImageBytes: Int = 4 << 30
    ) {
        self.maxPixels = maxPixels
        self.maxDimension = maxDimension
        self.maxBufferBytes = maxBufferBytes
        self.maxWholeImageBytes = maxWholeImageBytes
    }

    public static let standard = DecodeLimits()
}
