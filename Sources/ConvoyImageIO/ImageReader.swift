import ConvoyCore

/// A band of consecutive rows from an image: rows `firstRow ..< firstRow + raster.height`.
public struct RowBand: Sendable, Equatable {
    public let firstRow: Int
    public let raster: AnyRaster
}

/// Reads an image file as a stream of row bands, top to bottom, so that an image of any
/// height is processed in memory proportional to its width.
///
///     let reader = try ImageReader(path: "strip.tif")
///     while let band = try reader.nextBand() { ... }
///
/// The header is read by `init`; pixels are decoded on demand. After the last row the
/// codec verifies the rest of the file, so a truncated or corrupt file fails on some call
/// to `nextBand` (possibly the last), never silently. Not thread-safe.
public final class ImageReader {
    public let path: String
    public let header: ImageHeader
    private let decoder: CodecDecoder
    /// The most bytes a band of the default height may take (see `nextBand`).
    private let defaultBandBytes: Int
    /// The next row `nextBand` will deliver.
    public private(set) var nextRow = 0
    private var failure: ImageError?

    /// Opens `path` and reads its header. With `describeUnsupported`, a valid file in a variant
    /// convoy cannot decode (float or signed TIFF samples, ...) opens too, so that its header and
    /// georeference can be described: `header.unsupportedReason` says why, and `nextBand` throws.
    /// `threads` decode a tiled TIFF's row of tiles in parallel (0, the default: one per online
    /// CPU; 1: on the calling thread only); the pixels are the same whatever the count.
    public init(path: String, limits: DecodeLimits = .standard, describeUnsupported: Bool = false,
                threads: Int = 0) throws(ImageError) {
        self.path = path
        decoder = try CodecDecoder(path: path, limits: limits, describeUnsupported: describeUnsupported)
        decoder.setThreads(threads)
        header = decoder.header
        defaultBandBytes = Self.defaultBandBytes(limits)
    }

    /// Reads an image held in memory (downloaded, extracted from an archive, a fuzzer's input)
    /// through the same decoders as a file. `name` stands for the file in errors and `path`.
    public init(data: some Collection<UInt8>, name: String, limits: DecodeLimits = .standard,
                describeUnsupported: Bool = false) throws(ImageError) {
        path = name
        decoder = try CodecDecoder(data: data, name: name, limits: limits, describeUnsupported: describeUnsupported)
        header = decoder.header
        defaultBandBytes = Self.defaultBandBytes(limits)
    }

    private static func defaultBandBytes(_ limits: DecodeLimits) -> Int { min(limits.maxBufferBytes, 64 << 20) }

    /// The next band of up to `maxRows` rows, or nil after the last row. The default is the
    /// codec's natural band height (at least 64 rows) but no more rows than fit in 64 MiB (or the
    /// buffer limit, if lower; at least one row): a file stored as one strip the height of the
    /// image is still streamed, not allocated whole.
    /// - Throws: for a file opened only to be described (`header.unsupportedReason`), before
    ///   allocating anything.
    public func nextBand(maxRows: Int? = nil) throws(ImageError) -> RowBand? {
        let rows = try nextBandRows(maxRows: maxRows)
        guard rows > 0 else { return nil }
        do {
            let raster: AnyRaster
            if header.sampleBytes == 2 {
                var samples = [UInt16](repeating: 0, count: rows * header.width * header.bands)
                try decoder.readRows(rows, into: &samples)
                raster = .uint16(Raster(width: header.width, height: rows, bands: header.bands, samples: samples)!)
            } else {
                var samples = [UInt8](repeating: 0, count: rows * header.width * header.bands)
                try decoder.readRows(rows, into: &samples)
                raster = .uint8(Raster(width: header.width, height: rows, bands: header.bands, samples: samples)!)
            }
            let band = RowBand(firstRow: nextRow, raster: raster)
            nextRow += rows
            return band
        } catch {
            failure = error
            throw error
        }
    }

    /// Rows in the next band of decoded samples (`nextBand`, `nextSampleBand`): `maxRows`, or the
    /// codec's natural band height (at least 64 rows) but no more rows than fit in 64 MiB (or the
    /// buffer limit; at least one row); 0 after the last row. Throws an earlier failure again,
    /// and for a file opened only to be described, before anything is allocated.
    private func nextBandRows(maxRows: Int?) throws(ImageError) -> Int {
        if let failure { throw failure }
        if let reason = header.unsupportedReason {
            failure = ImageError(path: path, kind: .unsupported, reason: reason)
            throw failure!
        }
        guard nextRow < header.height else { return 0 }
        let rowBytes = max(1, header.width * header.bands * header.sampleBytes)
        return min(max(1, maxRows ?? min(max(64, header.naturalRows), max(1, defaultBandBytes / rowBytes))), header.height - nextRow)
    }

    /// Decodes the next band of up to `maxRows` rows (default as `nextBand`) as 8-bit luminance,
    /// one byte per pixel, into `buffer` (reused: grown when too small), and returns its row
    /// count, 0 after the last row. Luminance is what `GrayImageBuilder` computes: the mean of
    /// the red, green and blue samples (gray: the sample), 16-bit scaled to 8 bits; the colour
    /// rows are converted a few at a time, never held whole.
    public func nextLuminanceBand(maxRows: Int? = nil, into buffer: inout [UInt8]) throws(ImageError) -> Int {
        var none: [UInt8]? = nil
        return try nextLuminanceBand(maxRows: maxRows, into: &buffer, optionalChroma: &none)
    }

    /// As `nextLuminanceBand`, and each pixel's colourfulness into `chroma` (reused like
    /// `buffer`): the largest minus the smallest of the red, green and blue samples (0 for gray
    /// images), computed in the same pass.
    public func nextLuminanceBand(maxRows: Int? = nil, into buffer: inout [UInt8], chroma: inout [UInt8]) throws(ImageError) -> Int {
        var some: [UInt8]? = chroma
        chroma = []
        defer { chroma = some ?? [] }
        return try nextLuminanceBand(maxRows: maxRows, into: &buffer, optionalChroma: &some)
    }

    private func nextLuminanceBand(maxRows: Int?, into buffer: inout [UInt8], optionalChroma chroma: inout [UInt8]?) throws(ImageError) -> Int {
        if let failure { throw failure }
        guard nextRow < header.height else { return 0 }
        let wanted = max(1, maxRows ?? max(64, header.naturalRows))
        let rows = min(wanted, header.height - nextRow)
        if buffer.count < rows * header.width { buffer = [UInt8](repeating: 0, count: rows * header.width) }
        if let c = chroma, c.count < buffer.count { chroma = [UInt8](repeating: 0, count: buffer.count) }
        do {
            try buffer.withUnsafeMutableBufferPointer { (b) throws(ImageError) in
                if chroma == nil {
                    try decoder.readLuminance(rows, into: b, chroma: nil)
                } else {
                    try chroma!.withUnsafeMutableBufferPointer { (c) throws(ImageError) in try decoder.readLuminance(rows, into: b, chroma: c) }
                }
            }
            nextRow += rows
            return rows
        } catch {
            failure = error
            throw error
        }
    }

    /// Decodes the next band (as many rows as `nextBand` reads) as the codec delivers it, `header.bands` samples of
    /// `header.sampleBytes` bytes per pixel (16-bit in native byte order), into `buffer` (reused:
    /// grown when too small), and returns its row count, 0 after the last row. `luminance` then
    /// converts it, on any thread: a reader on one thread hands bands to another that converts
    /// them while the next is decoded.
    public func nextSampleBand(into buffer: inout [UInt8]) throws(ImageError) -> Int {
        let rows = try nextBandRows(maxRows: nil)
        guard rows > 0 else { return 0 }
        let bytes = rows * header.width * header.bands * header.sampleBytes
        if buffer.count < bytes { buffer = [UInt8](repeating: 0, count: bytes) }
        do {
            try decoder.readRows(rows, into: &buffer) // the buffer may be longer than the band
            nextRow += rows
            return rows
        } catch {
            failure = error
            throw error
        }
    }

    /// Luminance (and, when `chroma` is given, colourfulness) of `rows` rows of a band from
    /// `nextSampleBand` of an image with `header`, exactly as `nextLuminanceBand` delivers
    /// them; `buffer` and `chroma` hold at least `rows` × `header.width` bytes.
    public static func luminance(of samples: UnsafeRawBufferPointer, rows: Int, header: ImageHeader,
                                 into buffer: UnsafeMutableBufferPointer<UInt8>, chroma: UnsafeMutableBufferPointer<UInt8>?) {
        CodecDecoder.luminance(samples: samples, rows: rows, header: header, into: buffer, chroma: chroma)
    }

    /// Warnings the codec emitted so far that did not spoil the pixels.
    public var warnings: DecoderWarnings { decoder.warnings }

    /// The GeoTIFF and GDAL tags of a TIFF file, nil for other formats or when none is present.
    public var geoTIFFTags: GeoTIFFTags? {
        guard header.format == .tiff else { return nil }
        let tags = GeoTIFFTags(
            pixelScale: decoder.doubles(tag: 33550),
            tiepoints: decoder.doubles(tag: 33922),
            transformation: decoder.doubles(tag: 34264),
            geoKeyDirectory: decoder.shorts(tag: 34735),
            geoDoubleParams: decoder.doubles(tag: 34736),
            geoAsciiParams: decoder.ascii(tag: 34737),
            gdalMetadata: decoder.ascii(tag: 42112),
            gdalNoData: decoder.ascii(tag: 42113))
        return tags.isEmpty ? nil : tags
    }
}
