import Foundation
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

    /// Colourfulness, delivered with the luminance in the same pass, is the largest minus the
    /// smallest of each pixel's first three decoded samples (16-bit scaled as luminance is), 0
    /// for gray images; the luminance is the same bytes as without it.
    @Test(arguments: ["tiff-rgb8-lzw.tif", "tiff-rgba16-lzw-tiled.tif", "jpeg-baseline-rgb.jpg", "tiff-gray8-none.tif",
                      "jpeg-gray.jpg"])
    func colourfulnessIsTheSpreadOfTheColourSamples(_ file: String) throws {
        let path = TestData.fixture(file)
        let decoded = try ImageDecoding.decode(path: path).raster
        let samples = decoded.intSamples, bands = decoded.bands
        let sixteen: Bool
        if case .uint16 = decoded { sixteen = true } else { sixteen = false }
        let expected: [UInt8] = (0..<(decoded.width * decoded.height)).map { i in
            guard bands >= 3 else { return 0 }
            let p = samples[(i * bands)..<(i * bands + 3)]
            let spread = p.max()! - p.min()!
            return UInt8(sixteen ? (spread + 128) / 257 : spread)
        }
        let reader = try ImageReader(path: path), plain = try ImageReader(path: path)
        var luminance: [UInt8] = [], chroma: [UInt8] = [], plainLuminance: [UInt8] = []
        var gotChroma: [UInt8] = [], gotLuminance: [UInt8] = [], wantLuminance: [UInt8] = []
        while true {
            let rows = try reader.nextLuminanceBand(maxRows: 7, into: &luminance, chroma: &chroma)
            let plainRows = try plain.nextLuminanceBand(maxRows: 7, into: &plainLuminance)
            #expect(rows == plainRows)
            if rows == 0 { break }
            let n = rows * reader.header.width
            gotChroma += chroma[0..<n]
            gotLuminance += luminance[0..<n]
            wantLuminance += plainLuminance[0..<n]
        }
        #expect(gotChroma == expected)
        #expect(gotLuminance == wantLuminance)
        if bands >= 3 { #expect(expected.contains { $0 > 0 }, "the fixture has colour") }
    }

    /// A tiled TIFF's row of tiles is decoded by several threads, each through its own libtiff
    /// handle: the bands, colour and luminance, are the same bytes as one thread's.
    @Test(arguments: ["tiff-rgb8-lzw-tiled.tif", "tiff-rgb8-separate-tiled.tif", "tiff-rgba16-lzw-tiled.tif",
                      "tiff-rgb8-jpeg-tiled.tif", "tiff-utm36n-lzw-tiled.tif"])
    func tiledTIFFDecodesTheSameOnOneOrManyThreads(_ file: String) throws {
        let path = TestData.fixture(file)
        func bands(threads: Int) throws -> [[Int]] {
            let reader = try ImageReader(path: path, threads: threads)
            var out: [[Int]] = []
            while let band = try reader.nextBand(maxRows: 5) { out.append(band.raster.intSamples) }
            return out
        }
        func luminance(threads: Int) throws -> [[UInt8]] {
            let reader = try ImageReader(path: path, threads: threads)
            var out: [[UInt8]] = []
            var buffer: [UInt8] = []
            while true {
                let rows = try reader.nextLuminanceBand(maxRows: 7, into: &buffer)
                if rows == 0 { break }
                out.append(Array(buffer[0..<(rows * reader.header.width)]))
            }
            return out
        }
        let one = try bands(threads: 1)
        #expect(one.count == 6, "40 × 28 in bands of 5 rows")
        for threads in [2, 3, 8] {
            #expect(try bands(threads: threads) == one, "\(threads) threads")
            #expect(try luminance(threads: threads) == luminance(threads: 1), "\(threads) threads")
        }
    }

    /// A tiled TIFF cut short fails the same way on one thread and on several: the leftmost
    /// failing tile is named, as a sequential decode names it. (libtiff's read error also quotes
    /// the row and column its handle last decoded, which depends on the handle's history, not on
    /// the failing tile: that part is left out of the comparison.)
    @Test func cutTiledTIFFFailsTheSameOnOneOrManyThreads() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestData.fixture("tiff-rgb8-lzw-tiled.tif")))
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var failures = 0
        for fraction in [0.3, 0.5, 0.7, 0.9] {
            let path = dir.appendingPathComponent("cut-\(fraction).tif").path
            try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
            func outcome(threads: Int) -> String {
                do {
                    let reader = try ImageReader(path: path, threads: threads)
                    var rows = 0
                    while let band = try reader.nextBand(maxRows: 16) { rows += band.raster.height }
                    return "decoded \(rows) rows"
                } catch {
                    let reason = error.reason.replacingOccurrences(of: #"at row \d+, col \d+, "#, with: "",
                                                                   options: .regularExpression)
                    return "\(error.kind): \(reason)"
                }
            }
            let one = outcome(threads: 1)
            if !one.hasPrefix("decoded") { failures += 1 }
            for threads in [2, 3] { #expect(outcome(threads: threads) == one, "cut at \(fraction), \(threads) threads") }
        }
        #expect(failures > 0, "some cut fails")
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

    /// Bands read as the codec delivers them and converted afterwards (on whatever thread) are
    /// the luminance and colourfulness `nextLuminanceBand` delivers; the band is the whole
    /// image's rows in order, and a file's end reads 0.
    @Test(arguments: ["tiff-gray8-none.tif", "tiff-gray16-deflate.tif", "tiff-grayalpha8-lzw.tif", "tiff-rgb8-lzw.tif",
                      "tiff-rgba16-lzw-tiled.tif", "jpeg-baseline-rgb.jpg", "jpeg-cmyk.jpg"])
    func sampleBandsConvertToTheSameLuminance(_ file: String) throws {
        let path = TestData.fixture(file)
        let reader = try ImageReader(path: path), plain = try ImageReader(path: path)
        let h = reader.header
        var samples: [UInt8] = [], luminance: [UInt8] = [], chroma: [UInt8] = []
        var got: [UInt8] = [], gotChroma: [UInt8] = []
        while true {
            let rows = try reader.nextSampleBand(into: &samples)
            if rows == 0 { break }
            #expect(samples.count >= rows * h.width * h.bands * h.sampleBytes)
            let n = rows * h.width
            if luminance.count < n { luminance = [UInt8](repeating: 0, count: n); chroma = luminance }
            samples.withUnsafeBytes { s in
                luminance.withUnsafeMutableBufferPointer { out in
                    chroma.withUnsafeMutableBufferPointer { ImageReader.luminance(of: s, rows: rows, header: h, into: out, chroma: $0) }
                }
            }
            got += luminance[0..<n]
            gotChroma += chroma[0..<n]
        }
        #expect(reader.nextRow == h.height)
        #expect(try reader.nextSampleBand(into: &samples) == 0)
        var want: [UInt8] = [], wantChroma: [UInt8] = [], l: [UInt8] = [], c: [UInt8] = []
        while true {
            let rows = try plain.nextLuminanceBand(maxRows: 7, into: &l, chroma: &c)
            if rows == 0 { break }
            want += l[0..<(rows * h.width)]
            wantChroma += c[0..<(rows * h.width)]
        }
        #expect(got == want)
        #expect(gotChroma == wantChroma)
    }
}
