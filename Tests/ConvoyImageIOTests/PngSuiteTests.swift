import ConvoyCore
import ConvoyImageIO
import Foundation
import Testing

/// PngSuite conformance, driven by ../shared/data/pngsuite/MANIFEST.csv: every `decode` file
/// decodes at its listed size, bit depth and colour type, and where a hash is listed its
/// 8-bit RGBA expansion matches it; every `error` file is rejected.
@Suite struct PngSuiteTests {
    struct Entry: CustomTestStringConvertible, Sendable {
        let file: String, expect: String, width: Int, height: Int, bitDepth: Int, colorType: Int
        let interlaced: Bool, rgba8SHA256: String?
        var testDescription: String { file }
    }

    static let suite = TestData.sharedData.appendingPathComponent("pngsuite")

    static let manifest: [Entry] = {
        guard let text = try? String(contentsOf: suite.appendingPathComponent("MANIFEST.csv"), encoding: .utf8) else {
            return []
        }
        return text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 8 else { return nil }
            return Entry(file: f[0], expect: f[1], width: Int(f[2]) ?? 0, height: Int(f[3]) ?? 0,
                         bitDepth: Int(f[4]) ?? 0, colorType: Int(f[5]) ?? -1, interlaced: f[6] == "1",
                         rgba8SHA256: f[7].isEmpty ? nil : f[7])
        }
    }()

    @Test func manifestIsPresent() {
        // Guards against a silently empty suite when ../shared/data is missing.
        #expect(Self.manifest.count > 150, "PngSuite manifest not found under \(Self.suite.path)")
        #expect(Self.manifest.filter { $0.expect == "error" }.count == 14)
    }

    static let colorModels: [Int: ColorModel] = [0: .gray, 2: .rgb, 3: .palette, 4: .grayAlpha, 6: .rgba]

    @Test(arguments: manifest.filter { $0.expect == "decode" })
    func decodes(_ e: Entry) throws {
        let image = try ImageDecoding.decode(path: Self.suite.appendingPathComponent(e.file).path)
        #expect(image.header.format == .png)
        #expect(image.header.width == e.width && image.header.height == e.height)
        #expect(image.header.bitDepth == e.bitDepth)
        #expect(image.header.color == Self.colorModels[e.colorType])
        #expect(image.header.interlaced == e.interlaced)
        #expect(image.header.sampleBytes == (e.bitDepth == 16 ? 2 : 1), "16-bit samples stay 16-bit")
        if let hash = e.rgba8SHA256 {
            #expect(try sha256(RGBA8.expand(image.raster).samples) == hash)
        }
    }

    @Test(arguments: manifest.filter { $0.expect == "error" })
    func rejects(_ e: Entry) {
        let path = Self.suite.appendingPathComponent(e.file).path
        #expect {
            try ImageDecoding.decode(path: path)
        } throws: { error in
            (error as? ImageError)?.path == path
        }
    }

    @Test func sixteenBitSamplesAreNotReduced() throws {
        let plain = try ImageDecoding.decode(path: Self.suite.appendingPathComponent("basn0g16.png").path)
        guard case .uint16(let r) = plain.raster else { Issue.record("not 16-bit"); return }
        #expect(Set(r.samples).count > 256, "more distinct values than 8 bits can hold")
    }

    /// A PNG built here, byte by byte, with a gAMA chunk of 1/2.2 and known 16-bit samples:
    /// the decoded samples must be the stored ones, not gamma-corrected.
    @Test func gammaChunkDoesNotChangeSamples() throws {
        let width = 3, samples: [UInt16] = [0, 1000, 65535]
        var scanline: [UInt8] = [0] // filter type None
        for s in samples { scanline += [UInt8(s >> 8), UInt8(s & 0xFF)] }
        let png = PNGBytes.make(width: width, height: 1, bitDepth: 16, colorType: 0, scanlines: scanline,
                                extraChunks: [("gAMA", [0, 0, 0xB1, 0x8F])])
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("gamma.png").path
        try Data(png).write(to: URL(fileURLWithPath: path))
        #expect(try ImageDecoding.decode(path: path).raster == .uint16(Raster(width: 3, height: 1, bands: 1, samples: samples)!))
    }
}

/// Builds PNG files byte by byte (zlib stored blocks, no compression), for tests that need a
/// chunk layout no tool here writes.
enum PNGBytes {
    static func make(width: Int, height: Int, bitDepth: UInt8, colorType: UInt8, scanlines: [UInt8],
                     extraChunks: [(String, [UInt8])] = []) -> [UInt8] {
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be32(data.count) + body + crc32(body)
        }
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in scanlines { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        let n = scanlines.count
        let zlib: [UInt8] = [0x78, 0x01, 0x01, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8(~n >> 8 & 0xFF)]
            + scanlines + be32(Int(b << 16 | a))
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", be32(width) + be32(height) + [bitDepth, colorType, 0, 0, 0])
        for (type, data) in extraChunks { out += chunk(type, data) }
        out += chunk("IDAT", zlib) + chunk("IEND", [])
        return out
    }
}

/// SHA-256 of bytes through coreutils' sha256sum: a reference outside the code under test.
func sha256(_ bytes: [UInt8]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try process.run()
    input.fileHandleForWriting.write(Data(bytes))
    try input.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
}
