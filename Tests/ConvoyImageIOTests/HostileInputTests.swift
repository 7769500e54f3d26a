import ConvoyCore
import ConvoyImageIO
import Foundation
import Testing

/// Broken and hostile files end in a clean decode or a clean `ImageError` naming the file:
/// never a crash, a hang or an unbounded allocation.
@Suite struct HostileInputTests {
    /// Tight limits, so that "bounded memory" is checked: every buffer stays under 64 MiB.
    static let tight = DecodeLimits(maxPixels: 50_000_000, maxDimension: 100_000, maxBufferBytes: 64 << 20,
                                    maxWholeImageBytes: 64 << 20)

    static let crashers: [String] = {
        let dir = TestData.sharedData.appendingPathComponent("png-crashers")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }()

    @Test func crashersArePresent() {
        #expect(Self.crashers.count >= 30, "../shared/data/png-crashers not found")
    }

    @Test(.timeLimit(.minutes(1)), arguments: crashers)
    func pngCrasherEndsCleanly(_ name: String) {
        let path = TestData.sharedData.appendingPathComponent("png-crashers/\(name)").path
        do {
            let image = try ImageDecoding.decode(path: path, limits: Self.tight)
            #expect(image.raster.width > 0)
        } catch {
            #expect(error.path == path && !error.reason.isEmpty)
        }
    }

    /// Every truncation of a small file is an error, never a padded image.
    @Test(arguments: [
        "jpeg-baseline-rgb.jpg", "jpeg-progressive-rgb.jpg", "jpeg-arithmetic-rgb.jpg", "jpeg-gray.jpg",
        "jpeg-restart-rgb.jpg", "tiff-rgb8-lzw-tiled.tif", "tiff-rgb8-none.tif", "tiff-rgb8-separate.tif",
        "tiff-gray16-deflate.tif", "tiff-rgb8-jpeg-ycbcr.tif", "tiff-rgb8-bigtiff.tif",
    ])
    func everyTruncationIsAnError(_ file: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestData.fixture(file)))
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(file).path
        var decoded: [Int] = []
        for length in 0..<data.count {
            try data.prefix(length).write(to: URL(fileURLWithPath: path))
            if (try? ImageDecoding.decode(path: path, limits: Self.tight)) != nil { decoded.append(length) }
        }
        #expect(decoded.isEmpty, "\(file) decoded when cut to \(decoded.prefix(10)) of \(data.count) bytes")
    }

    @Test func truncatedJPEGSaysTruncated() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestData.fixture("jpeg-baseline-rgb.jpg")))
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("cut.jpg").path
        try data.prefix(data.count - 60).write(to: URL(fileURLWithPath: path))
        let reader = try ImageReader(path: path) // the header is intact
        #expect(reader.header.width == 40)
        #expect { while try reader.nextBand() != nil {} } throws: { error in
            (error as? ImageError)?.kind == .truncated
        }
    }

    /// Deterministic random bytes behind each format's magic number: the decoders must
    /// reject or decode them, and a byte flipped anywhere in a valid file likewise.
    @Test(.timeLimit(.minutes(2)))
    func randomAndBitFlippedInputEndsCleanly() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = SplitMix64(seed: 20220228)
        let magics: [[UInt8]] = [
            [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], [0xFF, 0xD8, 0xFF], Array("II*\0".utf8),
            Array("MM\0*".utf8), Array("II+\0".utf8),
        ]
        let path = dir.appendingPathComponent("noise").path
        for i in 0..<300 {
            let length = Int(rng.next() % 3000)
            let bytes = magics[i % magics.count] + (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            expectCleanEnd(path)
        }
        for file in ["jpeg-progressive-rgb.jpg", "tiff-rgb8-lzw-tiled.tif", "tiff-rgba16-separate.tif"] {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: TestData.fixture(file))))
            for _ in 0..<150 {
                var bytes = original
                let at = Int(rng.next() % UInt64(bytes.count))
                bytes[at] ^= UInt8(1 << (rng.next() % 8))
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                expectCleanEnd(path)
            }
        }
    }

    func expectCleanEnd(_ path: String) {
        do {
            _ = try ImageDecoding.decode(path: path, limits: Self.tight)
        } catch {
            #expect(error.path == path && !error.reason.isEmpty)
        }
    }

    @Test func limitsRefuseLargeImagesBeforeAllocating() throws {
        let path = TestData.fixture("tiff-rgb8-lzw-tiled.tif") // 40 x 28
        #expect { try ImageReader(path: path, limits: DecodeLimits(maxPixels: 1000)) } throws: {
            ($0 as? ImageError)?.kind == .tooLarge && "\($0)".contains("1120 pixels")
        }
        #expect { try ImageReader(path: path, limits: DecodeLimits(maxDimension: 30)) } throws: {
            ($0 as? ImageError)?.kind == .tooLarge
        }
        #expect { try ImageReader(path: path, limits: DecodeLimits(maxBufferBytes: 500)) } throws: {
            ($0 as? ImageError)?.kind == .tooLarge && "\($0)".contains("tile")
        }
        #expect { try ImageDecoding.decode(path: path, limits: DecodeLimits(maxWholeImageBytes: 1000)) } throws: {
            ($0 as? ImageError)?.kind == .tooLarge
        }
        // a progressive JPEG's coefficient buffers count against the buffer limit
        let progressive = TestData.fixture("jpeg-progressive-tall-gray.jpg")
        #expect { try ImageDecoding.decode(path: progressive, limits: DecodeLimits(maxBufferBytes: 1000)) } throws: {
            ($0 as? ImageError)?.kind == .tooLarge && "\($0)".contains("progressive JPEG is decoded whole")
        }
        #expect(throws: Never.self) { try ImageDecoding.decode(path: progressive, limits: DecodeLimits(maxBufferBytes: 200_000)) }
    }

    /// Regression: a tiny file declaring a huge raster must be refused at once, not decoded.
    @Test(.timeLimit(.minutes(1)))
    func declaredHugeSizeIsRefusedQuickly() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A PNG IHDR declaring 100,000 x 100,000 RGB, with a correct CRC.
        var ihdr: [UInt8] = Array("IHDR".utf8)
        ihdr += [0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0]
        let idat: [UInt8] = Array("IDAT".utf8) + [0x78, 0x01, 0, 0, 0, 0]
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + ihdr + crc32(ihdr)
            + [0, 0, 0, 6] + idat + crc32(idat)
        let path = dir.appendingPathComponent("bomb.png").path
        try Data(png).write(to: URL(fileURLWithPath: path))
        #expect { try ImageReader(path: path) } throws: {
            ($0 as? ImageError)?.kind == .tooLarge && "\($0)".hasPrefix(path)
        }
    }

    /// Regression (FuzzPNG, out-of-memory): a 286-byte PNG whose sCAL chunk declares 1,883,789,683
    /// bytes made libpng allocate and touch 1.8 GB before finding the file cut short. Every libpng
    /// allocation is now checked against the chunk limit, so it is refused at once as too large
    /// (before the fix it ended as "truncated", after the allocation).
    @Test func pngChunkDeclaringGigabytesIsRefusedBeforeAllocating() throws {
        let path = TestData.fixture("fuzz-findings/png-scal-chunk-1883789683-bytes.png")
        for reader in [{ try ImageReader(path: path) },
                       { try ImageReader(data: [UInt8](Data(contentsOf: URL(fileURLWithPath: path))), name: path) }] {
            #expect {
                let image = try reader()
                while try image.nextBand() != nil {}
            } throws: {
                guard let e = $0 as? ImageError else { return false }
                return e.kind == .tooLarge && e.path == path
                    && e.reason == "PNG: a chunk or buffer of 1883789684 bytes exceeds the limit of 16777216 bytes"
            }
        }
    }

    /// Regression (FuzzTIFF, out-of-memory): a 283-byte TIFF declaring 65,535 bands, opened to
    /// be described (as `convoy info` does), made `nextBand` allocate rows x width x 65,535
    /// samples (25 GB) before the decoder refused the bands. It now throws first.
    @Test func describedOnlyTIFFThrowsBeforeAllocatingRows() throws {
        let path = TestData.fixture("fuzz-findings/tiff-65535-bands.tif")
        let reader = try ImageReader(path: path, describeUnsupported: true)
        #expect(reader.header.bands == 65535)
        #expect { try reader.nextBand() } throws: {
            ($0 as? ImageError)?.kind == .unsupported && "\($0)" == "\(path): TIFF: 65535 bands are not supported (1 to 16)"
        }
    }

    /// Regression (FuzzTIFF, found by comparing the ways `convoy measure` reads rows): a 37 x 1
    /// 16-bit Deflate TIFF with a horizontal predictor whose compressed row ends after 4 of its
    /// 74 bytes. libtiff reports the row decoded in full, so the rest was whatever the
    /// destination held, summed by the predictor: luminance differed from run to run (an
    /// uninitialised buffer) and from the raw samples. Rows are now cleared before libtiff
    /// writes them: every way of reading gives the same pixels, whatever the buffer held.
    @Test func aShortCompressedRowDoesNotShowTheBuffersOldBytes() throws {
        let path = TestData.fixture("fuzz-findings/tiff-deflate-predictor-short-row.tif")
        let band = try #require(try ImageReader(path: path).nextBand())
        let samples = band.raster.intSamples
        #expect(samples.count == 37 && samples[0] == 0 && samples[1...].allSatisfy { $0 == 1500 })
        for fill: UInt8 in [0x00, 0xCD, 0xFF] {
            let reader = try ImageReader(path: path)
            var raw = [UInt8](repeating: fill, count: 200) // a buffer that held other rows
            #expect(try reader.nextSampleBand(into: &raw) == 1)
            let decoded = (0..<37).map { Int(raw[2 * $0]) | Int(raw[2 * $0 + 1]) << 8 }
            #expect(decoded == samples, "with the buffer filled with \(fill)")
            var luminance = [UInt8](repeating: fill, count: 37)
            #expect(try ImageReader(path: path).nextLuminanceBand(into: &luminance) == 1)
            #expect(luminance == samples.map { UInt8(($0 + 128) / 257) })
        }
    }

    /// Regression: a TIFF stored as one strip the height of the image was read in one band of
    /// the whole image (1.6 GB for a 40,000 x 40,000 bomb of 12 KB). Default bands now hold at
    /// most 64 MiB, or the buffer limit: here 16 rows of 120 bytes.
    @Test func oneStripTIFFIsStreamedInBoundedBands() throws {
        let path = TestData.fixture("tiff-rgb8-none.tif") // 40 x 28 RGB, one strip of 28 rows
        let reader = try ImageReader(path: path, limits: DecodeLimits(maxBufferBytes: 2000))
        #expect(reader.header.naturalRows == 28)
        var heights: [Int] = []
        var samples: [Int] = []
        while let band = try reader.nextBand() {
            heights.append(band.raster.height)
            samples += band.raster.intSamples
        }
        #expect(heights == [16, 12])
        #expect(samples == (try ImageDecoding.decode(path: path).raster.intSamples))
    }

    @Test(arguments: [
        ("empty.jpg", Data(), ImageError.Kind.notAnImage, "empty"),
        ("notes.jpg", Data("this is text, not a JPEG\n".utf8), .notAnImage, "not a PNG, JPEG or TIFF"),
    ])
    func mislabelledFileIsNamed(_ name: String, _ content: Data, _ kind: ImageError.Kind, _ words: String) throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try content.write(to: URL(fileURLWithPath: path))
        #expect { try ImageReader(path: path) } throws: {
            guard let e = $0 as? ImageError else { return false }
            return e.kind == kind && e.reason.contains(words) && e.description.hasPrefix(path)
        }
    }

    @Test func missingFileIsUnreadable() {
        #expect { try ImageReader(path: "/nonexistent/a.png") } throws: {
            ($0 as? ImageError)?.kind == .unreadable && "\($0)".contains("No such file")
        }
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// PNG's CRC-32 (ISO 3309), big-endian bytes, for building chunks in tests.
func crc32(_ bytes: [UInt8]) -> [UInt8] {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    crc ^= 0xFFFF_FFFF
    return [UInt8(crc >> 24), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
}
