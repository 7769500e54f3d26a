import CConvoyCodecs

// Every call into the C codec target goes through this file. The C side owns libpng,
// libjpeg-turbo, libtiff and their setjmp/longjmp error handling; here its status codes
// become `ImageError`s and its buffers become Swift arrays.

/// One open C decoder. Not thread-safe: use one per thread.
final class CodecDecoder {
    private let handle: OpaquePointer
    let path: String
    /// The image's bytes when it is read from memory: the C decoder reads them in place, so
    /// they live exactly as long as the decoder.
    private let bytes: UnsafeMutableRawBufferPointer?

    /// Opens `path` and reads its header, or throws the codec's reason.
    /// With `describeUnsupported`, a valid file convoy cannot decode (float TIFF, ...) still
    /// opens, with `header.unsupportedReason` set; reading its rows throws.
    init(path: String, limits: DecodeLimits, describeUnsupported: Bool = false) throws(ImageError) {
        guard let handle = cvy_decoder_new() else {
            throw ImageError(path: path, kind: .outOfMemory, reason: "out of memory")
        }
        self.handle = handle
        self.path = path
        bytes = nil
        var c = Self.cLimits(limits, describeUnsupported: describeUnsupported)
        let status = path.withCString { cvy_decoder_open(handle, $0, &c) }
        if status != CVY_OK { throw error(status) }
    }

    /// Reads the image from `data` instead of a file; `name` stands for the file in messages.
    init(data: some Collection<UInt8>, name: String, limits: DecodeLimits, describeUnsupported: Bool = false) throws(ImageError) {
        guard let handle = cvy_decoder_new() else {
            throw ImageError(path: name, kind: .outOfMemory, reason: "out of memory")
        }
        self.handle = handle
        path = name
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: data.count, alignment: 16)
        _ = copy.initializeMemory(as: UInt8.self, from: data)
        bytes = copy
        var c = Self.cLimits(limits, describeUnsupported: describeUnsupported)
        let status = cvy_decoder_open_memory(
            handle, copy.baseAddress?.assumingMemoryBound(to: UInt8.self), copy.count, &c)
        if status != CVY_OK { throw error(status) }
    }

    deinit {
        cvy_decoder_free(handle)
        bytes?.deallocate()
    }

    private static func cLimits(_ limits: DecodeLimits, describeUnsupported: Bool) -> cvy_limits {
        cvy_limits(
            max_pixels: UInt64(clamping: limits.maxPixels),
            max_dimension: UInt32(clamping: limits.maxDimension),
            max_buffer_bytes: UInt64(clamping: limits.maxBufferBytes),
            describe_unsupported: describeUnsupported ? 1 : 0)
    }

    /// Decoding threads (tiled TIFF decodes a row of tiles in parallel): 0 = one per online CPU.
    func setThreads(_ threads: Int) {
        cvy_decoder_set_threads(handle, UInt32(clamping: max(0, threads)))
    }

    var header: ImageHeader {
        let h = cvy_decoder_header(handle)!.pointee
        return ImageHeader(
            format: ImageFormat(h.format),
            width: Int(h.width), height: Int(h.height),
            fileBands: Int(h.file_bands), bands: Int(h.bands),
            bitDepth: Int(h.bit_depth), sampleBytes: Int(h.sample_bytes),
            color: ColorModel(h.color),
            interlaced: h.interlaced != 0,
            tileSize: h.tiled != 0 ? (Int(h.tile_width), Int(h.tile_height)) : nil,
            naturalRows: max(1, Int(h.natural_rows)),
            tiffCompression: h.format == CVY_FORMAT_TIFF ? Int(h.compression) : nil,
            planarSeparate: h.planar_separate != 0,
            bigTIFF: h.big_tiff != 0,
            arithmeticCoding: h.arithmetic != 0,
            unsupportedReason: h.unsupported != 0 ? String(cString: cvy_decoder_message(handle)) : nil)
    }

    /// Decodes the next `rows` rows into `buffer`, which must hold them exactly.
    func readRows<S>(_ rows: Int, into buffer: inout [S]) throws(ImageError) {
        let status = buffer.withUnsafeMutableBytes { raw in
            cvy_decoder_read_rows(
                handle, raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count, UInt32(rows))
        }
        if status != CVY_OK { throw error(status) }
    }

    /// Decodes the next `rows` rows as 8-bit luminance into `buffer` (at least rows × width), and
    /// each pixel's colourfulness into `chroma` (as large as `buffer`) when given.
    func readLuminance(_ rows: Int, into buffer: UnsafeMutableBufferPointer<UInt8>,
                       chroma: UnsafeMutableBufferPointer<UInt8>?) throws(ImageError) {
        precondition((chroma?.count ?? buffer.count) >= buffer.count)
        let status = cvy_decoder_read_luminance(handle, buffer.baseAddress, chroma?.baseAddress, buffer.count, UInt32(rows))
        if status != CVY_OK { throw error(status) }
    }

    /// Converts `rows` rows of samples as `readRows` delivers them (8-bit, or 16-bit in native
    /// byte order) to luminance and, when given, colourfulness, as `readLuminance` does; touches
    /// no decoder, so any thread may call it.
    static func luminance(samples: UnsafeRawBufferPointer, rows: Int, header: ImageHeader,
                          into buffer: UnsafeMutableBufferPointer<UInt8>, chroma: UnsafeMutableBufferPointer<UInt8>?) {
        precondition(samples.count >= rows * header.width * header.bands * header.sampleBytes
                     && buffer.count >= rows * header.width && (chroma?.count ?? buffer.count) >= rows * header.width)
        guard rows > 0, header.width > 0 else { return }
        cvy_samples_to_luminance(samples.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt32(header.width),
                                 UInt32(header.bands), UInt32(header.sampleBytes), UInt32(rows),
                                 buffer.baseAddress, chroma?.baseAddress)
    }

    var warnings: DecoderWarnings {
        let count = Int(cvy_decoder_warning_count(handle))
        return DecoderWarnings(count: count, first: count > 0 ? String(cString: cvy_decoder_first_warning(handle)) : nil)
    }

    func doubles(tag: UInt32) -> [Double]? {
        var values: UnsafePointer<Double>?
        var count: UInt32 = 0
        guard cvy_tiff_tag_doubles(handle, tag, &values, &count) != 0, let values else { return nil }
        return Array(UnsafeBufferPointer(start: values, count: Int(count)))
    }

    func shorts(tag: UInt32) -> [UInt16]? {
        var values: UnsafePointer<UInt16>?
        var count: UInt32 = 0
        guard cvy_tiff_tag_shorts(handle, tag, &values, &count) != 0, let values else { return nil }
        return Array(UnsafeBufferPointer(start: values, count: Int(count)))
    }

    func ascii(tag: UInt32) -> String? {
        var value: UnsafePointer<CChar>?
        guard cvy_tiff_tag_ascii(handle, tag, &value) != 0, let value else { return nil }
        return String(cString: value)
    }

    private func error(_ status: cvy_status) -> ImageError {
        ImageError(path: path, kind: ImageError.Kind(status), reason: String(cString: cvy_decoder_message(handle)))
    }
}

/// Writes an 8-bit RGB or RGBA PNG through libpng.
func writePNG(path: String, width: Int, height: Int, channels: Int, pixels: [UInt8]) throws(ImageError) {
    var message = [CChar](repeating: 0, count: 512)
    let status = pixels.withUnsafeBufferPointer { px in
        message.withUnsafeMutableBufferPointer { msg in
            cvy_png_write_rgb8(
                path, UInt32(width), UInt32(height), UInt32(channels), px.baseAddress, width * channels,
                msg.baseAddress, msg.count)
        }
    }
    if status != CVY_OK {
        let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        throw ImageError(path: path, kind: .writeFailed, reason: reason)
    }
}

/// The codec libraries' versions.
public var codecLibraryVersions: String { String(cString: cvy_codec_versions()) }

extension ImageFormat {
    init(_ format: cvy_format) {
        switch format {
        case CVY_FORMAT_PNG: self = .png
        case CVY_FORMAT_JPEG: self = .jpeg
        default: self = .tiff
        }
    }
}

extension ColorModel {
    init(_ color: cvy_color) {
        switch color {
        case CVY_COLOR_GRAY: self = .gray
        case CVY_COLOR_GRAY_ALPHA: self = .grayAlpha
        case CVY_COLOR_RGB: self = .rgb
        case CVY_COLOR_RGBA: self = .rgba
        case CVY_COLOR_PALETTE: self = .palette
        case CVY_COLOR_CMYK: self = .cmyk
        case CVY_COLOR_YCBCR: self = .ycbcr
        default: self = .multiband
        }
    }
}

extension ImageError.Kind {
    init(_ status: cvy_status) {
        switch status {
        case CVY_E_IO: self = .unreadable
        case CVY_E_NOT_IMAGE: self = .notAnImage
        case CVY_E_TRUNCATED: self = .truncated
        case CVY_E_UNSUPPORTED: self = .unsupported
        case CVY_E_LIMIT: self = .tooLarge
        case CVY_E_NOMEM: self = .outOfMemory
        case CVY_E_USAGE: self = .misuse
        default: self = .corrupt
        }
    }
}
