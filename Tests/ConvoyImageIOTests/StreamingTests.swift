import ConvoyCore
import ConvoyImageIO
import Testing

/// Row-band streaming must deliver exactly what a whole-image decode does, whatever the band
/// height and however the file is organised (strips, tiles, planes, interlace).
@Suite struct StreamingTests {
    static let files = [
        "tiff-rgb8-lzw.tif", "tiff-rgb8-lzw-tiled.tif", "tiff-rgb8-separate.tif", "tiff-rgb8-separate-tiled.tif",
        "tiff-rgba16-lzw-tiled.tif", "tiff-palette8.tif", "jpeg-baseline-rgb.jpg", "jpeg-progressive-rgb.jpg",
        "jpeg-cmyk.jpg",
    ]

    @Test(arguments: files, [1, 3, 7, 16, 100])
    func bandsConcatenateToTheWholeImage(_ file: String, _ bandHeight: Int) throws {
        let path = TestData.fixture(file)
        let whole = try ImageDecoding.decode(path: path).raster.intSamples
        let reader = try ImageReader(path: path)
        var joined: [Int] = []
        var expectedFirst = 0
        while let band = try reader.nextBand(maxRows: bandHeight) {
            #expect(band.firstRow == expectedFirst)
            #expect(band.raster.height <= bandHeight)
            expectedFirst += band.raster.height
            joined += band.raster.intSamples
        }
        #expect(expectedFirst == reader.header.height)
        #expect(joined == whole)
        #expect(try reader.nextBand() == nil)
    }

    @Test func interlacedPNGStreamsLikeItsPlainTwin() throws {
        let suite = TestData.sharedData.appendingPathComponent("pngsuite")
        let plain = try ImageDecoding.decode(path: suite.appendingPathComponent("basn6a16.png").path)
        let reader = try ImageReader(path: suite.appendingPathComponent("basi6a16.png").path)
        var joined: [Int] = []
        while let band = try reader.nextBand(maxRows: 5) { joined += band.raster.intSamples }
        #expect(joined == plain.raster.intSamples)
    }

    @Test func geoTIFFTagsAreReadRaw() throws {
        let reader = try ImageReader(path: TestData.fixture("tiff-utm36n-lzw-tiled.tif"))
        let tags = try #require(reader.geoTIFFTags)
        #expect(tags.pixelScale == [0.5, 0.5, 0])
        #expect(tags.tiepoints == [0, 0, 0, 300_000, 5_600_000, 0])
        let keys = try #require(tags.geoKeyDirectory)
        // key entries are (id, location, count, value) after the 4-short header
        let projected = stride(from: 4, to: keys.count - 3, by: 4).first { keys[$0] == 3072 }
        #expect(projected.map { keys[$0 + 3] } == 32636)
        let plain = try ImageReader(path: TestData.fixture("tiff-rgb8-lzw.tif")).geoTIFFTags
        #expect(plain?.pixelScale == nil && plain?.tiepoints == nil && plain?.transformation == nil)
        #expect(try ImageReader(path: TestData.fixture("jpeg-gray.jpg")).geoTIFFTags == nil)
    }
}
