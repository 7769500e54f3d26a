import ConvoyCore
import ConvoyImageIO
import Foundation
import Testing

/// An image read from memory (`ImageReader(data:name:)`, which the fuzz harnesses use) goes
/// through the same decoders as a file: same header, same pixels, same errors.
@Suite struct MemorySourceTests {
    static let fixtures: [String] = {
        let dir = TestData.repositoryRoot.appendingPathComponent("Tests/ConvoyImageIOTests/Fixtures").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { [".png", ".jpg", ".tif"].contains(where: $0.hasSuffix) && !$0.hasPrefix("unsupported-") }.sorted()
    }()

    @Test func fixturesArePresent() {
        #expect(Self.fixtures.count >= 25)
    }

    @Test(arguments: fixtures)
    func memoryDecodesLikeTheFile(_ file: String) throws {
        let path = TestData.fixture(file)
        let expected = try ImageDecoding.decode(path: path)
        let reader = try ImageReader(data: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), name: file)
        #expect(reader.header == expected.header)
        var samples: [Int] = []
        while let band = try reader.nextBand(maxRows: 5) { samples += band.raster.intSamples }
        #expect(samples == expected.raster.intSamples)
    }

    @Test func geoTIFFTagsAreReadFromMemory() throws {
        let path = TestData.fixture("tiff-utm36n-lzw-tiled.tif")
        let fromFile = try ImageReader(path: path).geoTIFFTags
        let fromMemory = try ImageReader(data: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), name: "a.tif").geoTIFFTags
        #expect(fromFile != nil)
        #expect(fromMemory == fromFile)
    }

    @Test func unsupportedTIFFIsDescribedFromMemory() throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.fixture("unsupported-float32.tif"))))
        let reader = try ImageReader(data: data, name: "float.tif", describeUnsupported: true)
        #expect(reader.header.unsupportedReason?.contains("floating point") == true)
        #expect(throws: ImageError.self) { try reader.nextBand() }
    }

    /// Errors name the file the bytes stand for, and a truncated image from memory is an error
    /// exactly as the same bytes in a file are.
    @Test(arguments: ["jpeg-baseline-rgb.jpg", "tiff-rgb8-lzw-tiled.tif", "tiff-rgb8-none.tif"])
    func truncatedDataIsAnErrorNamingTheSource(_ file: String) throws {
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.fixture(file))))
        for length in stride(from: 0, to: data.count, by: max(1, data.count / 60)) {
            do {
                let reader = try ImageReader(data: data.prefix(length), name: "cut/\(file)")
                while try reader.nextBand() != nil {}
                Issue.record("\(file) cut to \(length) of \(data.count) bytes decoded")
            } catch {
                #expect(error.path == "cut/\(file)" && !error.reason.isEmpty)
            }
        }
    }

    @Test func emptyAndTextDataAreNotImages() {
        #expect { try ImageReader(data: [UInt8](), name: "empty.png") } throws: {
            ($0 as? ImageError)?.kind == .notAnImage && "\($0)" == "empty.png: empty file (0 bytes)"
        }
        #expect { try ImageReader(data: Array("hello".utf8), name: "notes.jpg") } throws: {
            ($0 as? ImageError)?.kind == .notAnImage && "\($0)".hasPrefix("notes.jpg: not a PNG, JPEG or TIFF")
        }
    }
}
