import ConvoyCore
import ConvoyImageIO
import Foundation
import Testing

/// Each JPEG and TIFF variant convoy promises to read, decoded and compared with the truth:
/// the generating pattern for lossless files, the reference decoder's output for lossy ones.
@Suite struct DecodedPixelTests {
    struct Lossless: CustomTestStringConvertible, Sendable {
        let file: String, pattern: String, bands: Int, fileBands: Int, bitDepth: Int, color: ColorModel
        var testDescription: String { file }
    }

    static let lossless: [Lossless] = [
        .init(file: "tiff-rgb8-none.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-lzw.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-deflate.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-packbits.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-lzw-tiled.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-separate.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-separate-tiled.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-rgb8-bigtiff.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-utm36n-lzw-tiled.tif", pattern: "rgb8", bands: 3, fileBands: 3, bitDepth: 8, color: .rgb),
        .init(file: "tiff-gray8-none.tif", pattern: "gray8", bands: 1, fileBands: 1, bitDepth: 8, color: .gray),
        .init(file: "tiff-grayalpha8-lzw.tif", pattern: "grayalpha8", bands: 2, fileBands: 2, bitDepth: 8, color: .grayAlpha),
        .init(file: "tiff-rgba8-deflate.tif", pattern: "rgba8", bands: 4, fileBands: 4, bitDepth: 8, color: .rgba),
        .init(file: "tiff-multiband8-lzw.tif", pattern: "multiband8", bands: 4, fileBands: 4, bitDepth: 8, color: .multiband),
        .init(file: "tiff-gray16-deflate.tif", pattern: "gray16", bands: 1, fileBands: 1, bitDepth: 16, color: .gray),
        .init(file: "tiff-rgba16-lzw-tiled.tif", pattern: "rgba16", bands: 4, fileBands: 4, bitDepth: 16, color: .rgba),
        .init(file: "tiff-rgba16-separate.tif", pattern: "rgba16", bands: 4, fileBands: 4, bitDepth: 16, color: .rgba),
    ]

    @Test(arguments: lossless)
    func losslessTIFFDecodesToThePattern(_ c: Lossless) throws {
        let image = try ImageDecoding.decode(path: TestData.fixture(c.file))
        #expect(image.header.format == .tiff)
        #expect(image.header.width == FixturePattern.width && image.header.height == FixturePattern.height)
        #expect(image.header.bands == c.bands)
        #expect(image.header.fileBands == c.fileBands)
        #expect(image.header.bitDepth == c.bitDepth)
        #expect(image.header.sampleBytes == c.bitDepth / 8)
        #expect(image.header.color == c.color)
        #expect(image.raster.intSamples == FixturePattern.samples(c.pattern))
    }

    @Test func paletteTIFFIsExpandedThroughItsColourMap() throws {
        let image = try ImageDecoding.decode(path: TestData.fixture("tiff-palette8.tif"))
        #expect(image.header.fileBands == 1 && image.header.bands == 3 && image.header.color == .palette)
        let index = FixturePattern.samples("gray8")
        let expected = index.flatMap { i in [i * 7 % 256, 255 - i, i / 2] }
        #expect(image.raster.intSamples == expected)
    }

    @Test func minIsWhiteTIFFIsInvertedToBrightness() throws {
        let image = try ImageDecoding.decode(path: TestData.fixture("tiff-miniswhite8.tif"))
        #expect(image.raster.intSamples == FixturePattern.samples("gray8").map { 255 - $0 })
    }

    struct Lossy: CustomTestStringConvertible, Sendable {
        let file: String, bands: Int, maxDifference: Int, color: ColorModel
        var testDescription: String { file }
    }

    /// JPEGs must equal djpeg's output exactly (same library, same default IDCT and
    /// upsampling); GDAL's decode of CMYK and JPEG-in-TIFF may round differently by one.
    static let lossy: [Lossy] = [
        .init(file: "jpeg-baseline-rgb.jpg", bands: 3, maxDifference: 0, color: .ycbcr),
        .init(file: "jpeg-progressive-rgb.jpg", bands: 3, maxDifference: 0, color: .ycbcr),
        .init(file: "jpeg-gray.jpg", bands: 1, maxDifference: 0, color: .gray),
        .init(file: "jpeg-arithmetic-rgb.jpg", bands: 3, maxDifference: 0, color: .ycbcr),
        .init(file: "jpeg-restart-rgb.jpg", bands: 3, maxDifference: 0, color: .ycbcr),
        .init(file: "jpeg-cmyk.jpg", bands: 3, maxDifference: 1, color: .cmyk),
        .init(file: "tiff-rgb8-jpeg-ycbcr.tif", bands: 3, maxDifference: 1, color: .ycbcr),
        .init(file: "tiff-rgb8-jpeg-tiled.tif", bands: 3, maxDifference: 1, color: .rgb),
    ]

    @Test(arguments: lossy)
    func lossyFileMatchesTheReferenceDecoder(_ c: Lossy) throws {
        let image = try ImageDecoding.decode(path: TestData.fixture(c.file))
        #expect(image.header.bands == c.bands)
        #expect(image.header.color == c.color)
        let expected = try Data(contentsOf: URL(fileURLWithPath: TestData.fixture(c.file + ".expected.raw")))
        let actual = image.raster.intSamples
        try #require(actual.count == expected.count)
        let worst = zip(actual, expected).map { abs($0 - Int($1)) }.max() ?? 0
        #expect(worst <= c.maxDifference)
    }

    @Test func jpegHeaderReportsItsCoding() throws {
        let progressive = try ImageReader(path: TestData.fixture("jpeg-progressive-rgb.jpg")).header
        #expect(progressive.interlaced && !progressive.arithmeticCoding)
        let arithmetic = try ImageReader(path: TestData.fixture("jpeg-arithmetic-rgb.jpg")).header
        #expect(arithmetic.arithmeticCoding)
        let tiled = try ImageReader(path: TestData.fixture("tiff-rgb8-lzw-tiled.tif")).header
        #expect(tiled.tileSize?.width == 16 && tiled.tileSize?.height == 16 && tiled.compressionName == "lzw")
        #expect(try ImageReader(path: TestData.fixture("tiff-rgb8-bigtiff.tif")).header.bigTIFF)
    }

    @Test(arguments: [
        ("unsupported-float32.tif", "floating point"),
        ("unsupported-1bit.tif", "1-bit"),
        ("unsupported-cmyk.tif", "photometric"),
    ])
    func unsupportedVariantIsRefusedClearly(_ file: String, _ words: String) {
        let path = TestData.fixture(file)
        #expect {
            try ImageDecoding.decode(path: path)
        } throws: { error in
            guard let error = error as? ImageError else { return false }
            return error.kind == .unsupported && error.reason.contains(words) && error.description.hasPrefix(path)
        }
    }

    /// `convoy info` describes files it cannot decode: header and tags, with the reason.
    @Test func unsupportedVariantCanStillBeDescribed() throws {
        let reader = try ImageReader(path: TestData.fixture("unsupported-float32.tif"), describeUnsupported: true)
        #expect(reader.header.width == 40 && reader.header.height == 28 && reader.header.bitDepth == 32)
        #expect(reader.header.unsupportedReason?.contains("floating point") == true)
        #expect { _ = try reader.nextBand() } throws: { ($0 as? ImageError)?.kind == .unsupported }
        #expect(try ImageReader(path: TestData.fixture("tiff-rgb8-lzw.tif"), describeUnsupported: true).header.unsupportedReason == nil)
    }
}
