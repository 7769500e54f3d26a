/// The container format of an image file, recognised from its first bytes.
public enum ImageFormat: String, Sendable, Codable {
    case png, jpeg, tiff
}

/// What the stored samples mean.
public enum ColorModel: String, Sendable, Codable {
    case gray, grayAlpha = "gray_alpha", rgb, rgba, palette, cmyk, ycbcr, multiband
}

/// What a decoder learns from a file's header, before any pixel is decoded.
public struct ImageHeader: Sendable, Equatable {
    public let format: ImageFormat
    /// Pixels per row and rows.
    public let width: Int
    public let height: Int
    /// Samples per pixel as stored: what `gdalinfo` counts as bands (a palette image has 1).
    public let fileBands: Int
    /// Samples per pixel as decoded (palette → 3 or 4, CMYK → 3, tRNS adds alpha).
    public let bands: Int
    /// Bits per stored sample, 1 to 16.
    public let bitDepth: Int
    /// Bytes per decoded sample: 1 (`UInt8`) or 2 (`UInt16`).
    public let sampleBytes: Int
    public let color: ColorModel
    /// Adam7 PNG or progressive JPEG: decoded whole on first read.
    public let interlaced: Bool
    /// TIFF tile width and height, or nil for strips and other formats.
    public let tileSize: (width: Int, height: Int)?
    /// Rows the codec decodes together (strip, row of tiles, MCU row): a good band height.
    public let naturalRows: Int
    /// The TIFF Compression tag, nil for PNG and JPEG.
    public let tiffCompression: Int?
    public let planarSeparate: Bool
    public let bigTIFF: Bool
    public let arithmeticCoding: Bool
    /// Why the pixels cannot be decoded, for a file opened only to be described
    /// (`ImageReader(path:describeUnsupported: true)`); nil when they can.
    public let unsupportedReason: String?

    public var pixelCount: Int { width * height }

    /// Bands as GIS tools count them (`gdalinfo`): the stored samples per pixel, except that a
    /// CMYK JPEG counts as its 3 RGB bands, since GDAL converts it too.
    public var dataBands: Int { color == .cmyk ? bands : fileBands }

    /// A name for the compression: the TIFF scheme, or the format's own.
    public var compressionName: String {
        switch format {
        case .png: return "deflate"
        case .jpeg: return arithmeticCoding ? "jpeg-arithmetic" : (interlaced ? "jpeg-progressive" : "jpeg-baseline")
        case .tiff:
            switch tiffCompression ?? 1 {
            case 1: return "none"
            case 5: return "lzw"
            case 6, 7: return "jpeg"
            case 8, 32946: return "deflate"
            case 32773: return "packbits"
            case 34887: return "lerc"
            case 34925: return "lzma"
            case 50000: return "zstd"
            case 50001: return "webp"
            case let code: return "tiff-compression-\(code)"
            }
        }
    }

    public static func == (a: ImageHeader, b: ImageHeader) -> Bool {
        a.format == b.format && a.width == b.width && a.height == b.height && a.fileBands == b.fileBands
            && a.bands == b.bands && a.bitDepth == b.bitDepth && a.sampleBytes == b.sampleBytes
            && a.color == b.color && a.interlaced == b.interlaced && a.tileSize?.width == b.tileSize?.width
            && a.tileSize?.height == b.tileSize?.height && a.naturalRows == b.naturalRows
            && a.tiffCompression == b.tiffCompression && a.planarSeparate == b.planarSeparate
            && a.bigTIFF == b.bigTIFF && a.arithmeticCoding == b.arithmeticCoding
            && a.unsupportedReason == b.unsupportedReason
    }
}

/// Warnings a codec emitted that did not make the image wrong (an ancillary chunk's bad CRC,
/// stray bytes between JPEG markers).
public struct DecoderWarnings: Sendable, Equatable {
    public let count: Int
    public let first: String?
}
