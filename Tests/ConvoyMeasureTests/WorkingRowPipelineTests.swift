import ConvoyCore
import ConvoyImageIO
@testable import ConvoyMeasure
import Foundation
import Testing

/// The rows the detector searches come through `WorkingRowPipeline`, decoded on a second
/// thread. At factor 1 the decoder hands over the codec's rows and the caller's thread converts
/// them; whichever thread converts, the working rows and their colourfulness must be the bytes
/// `ImageReader.nextLuminanceBand` delivers (the detector was tuned on those).
@Suite struct WorkingRowPipelineTests {
    /// What the pipeline delivered, rows joined: luminance, and colourfulness when asked.
    static func delivered(_ path: String, factor: Int, withChroma: Bool) throws -> (pixels: [UInt8], chroma: [UInt8], rows: Int) {
        // aheadRows 3: the decoder waits for the search often, bands are handed back and reused
        let pipeline = WorkingRowPipeline(reader: try ImageReader(path: path), factor: factor, aheadRows: 3, withChroma: withChroma)
        var pixels: [UInt8] = [], chroma: [UInt8] = [], rows = 0
        try pipeline.run { band, colour, count in
            #expect(band.count == count * pipeline.width)
            pixels += band
            if let colour {
                #expect(colour.count == band.count)
                chroma += colour
            }
            rows += count
        }
        #expect(rows == pipeline.height)
        return (pixels, chroma, rows)
    }

    /// The reference: every row from `nextLuminanceBand`, averaged down `factor` times.
    static func reference(_ path: String, factor: Int) throws -> (pixels: [UInt8], chroma: [UInt8]) {
        let reader = try ImageReader(path: path)
        var builder = GrayImageBuilder(sourceWidth: reader.header.width, sourceHeight: reader.header.height, factor: factor)
        var luminance: [UInt8] = [], colour: [UInt8] = [], chroma: [UInt8] = []
        while true {
            let rows = try reader.nextLuminanceBand(maxRows: 5, into: &luminance, chroma: &colour)
            if rows == 0 { break }
            let n = rows * reader.header.width
            luminance.withUnsafeBufferPointer { builder.add(gray: UnsafeBufferPointer(rebasing: $0[0..<n]), count: rows) }
            chroma += colour[0..<n]
        }
        return (builder.finish().pixels, chroma)
    }

    /// Fixtures of every sample layout the codecs deliver, the sample PNG, and PngSuite's 16-bit
    /// RGBA, 16-bit gray, palette and interlaced images (`../shared/data`).
    @Test(arguments: ["tiff-gray8-none.tif", "tiff-gray16-deflate.tif", "tiff-grayalpha8-lzw.tif", "tiff-rgb8-lzw.tif",
                      "tiff-rgba16-lzw-tiled.tif", "jpeg-baseline-rgb.jpg", "jpeg-progressive-tall-gray.jpg",
                      "../../../SampleImages/ivankiv-road.png", "pngsuite:basn6a16.png", "pngsuite:basn0g16.png",
                      "pngsuite:basn3p08.png", "pngsuite:basi2c08.png"])
    func workingRowsAreTheReadersLuminance(_ file: String) throws {
        let shared = ProcessInfo.processInfo.environment["CONVOY_SHARED_DATA"] ?? "../shared/data"
        let path = file.hasPrefix("pngsuite:") ? "\(shared)/pngsuite/\(file.dropFirst(9))"
            : "Tests/ConvoyImageIOTests/Fixtures/\(file)"
        let one = try Self.reference(path, factor: 1)
        let withChroma = try Self.delivered(path, factor: 1, withChroma: true)
        #expect(withChroma.pixels == one.pixels)
        let colour = try ImageReader(path: path).header.bands >= 3
        #expect(withChroma.chroma == (colour ? one.chroma : []), "colourfulness of colour images only")
        let without = try Self.delivered(path, factor: 1, withChroma: false)
        #expect(without.pixels == one.pixels)
        #expect(without.chroma.isEmpty)
        // coarser working rows are averaged on the decoder's thread, without colourfulness
        let two = try Self.delivered(path, factor: 2, withChroma: true)
        #expect(two.pixels == (try Self.reference(path, factor: 2)).pixels)
        #expect(two.chroma.isEmpty)
    }

    /// Rows that come many at a time (a TIFF of one 100-row strip, as tiled TIFFs come a row of
    /// tiles at a time) are converted on the decoder's thread, not handed over in colour; rows
    /// that come a few at a time (JPEG) are handed over. Either way the bytes are the reader's.
    @Test func tallBandsAreConvertedOnTheDecodersThread() throws {
        let width = 30, height = 100
        var samples: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width { samples += [UInt8((x * 7 + y) % 256), UInt8((y * 3) % 256), UInt8((x * y) % 256)] }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-one-strip-\(UUID()).tif").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.oneStripRGBTIFF(width: width, height: height, samples: samples).write(to: URL(fileURLWithPath: path))
        let reader = try ImageReader(path: path)
        #expect(reader.header.naturalRows > 64) // libtiff may cut an uncompressed strip into strips of about 8 KB
        #expect(!WorkingRowPipeline(reader: reader, factor: 1, aheadRows: 3).handsOverSamples)
        let jpeg = "Tests/ConvoyImageIOTests/Fixtures/jpeg-baseline-rgb.jpg"
        #expect(WorkingRowPipeline(reader: try ImageReader(path: jpeg), factor: 1, aheadRows: 3).handsOverSamples)
        let got = try Self.delivered(path, factor: 1, withChroma: true), want = try Self.reference(path, factor: 1)
        #expect(got.pixels == want.pixels)
        #expect(got.chroma == want.chroma)
        #expect(want.chroma.contains { $0 > 0 })
    }

    /// An uncompressed 8-bit RGB baseline TIFF stored as one strip.
    static func oneStripRGBTIFF(width: Int, height: Int, samples: [UInt8]) -> Data {
        var d = Data("II".utf8)
        func u16(_ v: Int) { d.append(UInt8(v & 0xFF)); d.append(UInt8(v >> 8 & 0xFF)) }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        u16(42); u32(8)
        let entries: [(tag: Int, type: Int, value: Int)] = [(256, 4, width), (257, 4, height), (259, 3, 1), (262, 3, 2),
                                                             (273, 4, 8 + 2 + 9 * 12 + 4 + 6), (277, 3, 3), (278, 4, height),
                                                             (279, 4, width * height * 3), (258, 3, 8 + 2 + 9 * 12 + 4)]
        // BitsPerSample (258) has three values: stored after the directory, before the pixels;
        // entries must be in tag order
        let sorted = entries.sorted { $0.tag < $1.tag }
        u16(sorted.count)
        for e in sorted {
            u16(e.tag); u16(e.type); u32(e.tag == 258 ? 3 : 1)
            if e.type == 3 && e.tag != 258 { u16(e.value); u16(0) } else { u32(e.value) }
        }
        u32(0)
        u16(8); u16(8); u16(8)
        d.append(contentsOf: samples)
        return d
    }

    /// A file that fails part-way fails through the pipeline too, after the rows before it.
    @Test func aTruncatedFileFailsThroughThePipeline() throws {
        let path = "Tests/ConvoyImageIOTests/Fixtures/tiff-rgb8-lzw.tif"
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-pipeline-truncated-\(UUID()).tif").path
        defer { try? FileManager.default.removeItem(atPath: cut) }
        try bytes.prefix(bytes.count * 2 / 3).write(to: URL(fileURLWithPath: cut))
        let pipeline = WorkingRowPipeline(reader: try ImageReader(path: cut), factor: 1, aheadRows: 3, withChroma: true)
        var rows = 0
        #expect(throws: ImageError.self) { try pipeline.run { _, _, count in rows += count } }
        #expect(rows < pipeline.height)
    }
}
