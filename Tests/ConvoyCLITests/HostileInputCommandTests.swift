import Foundation
import Testing

/// Issue 7's hostile inputs, end to end through the binary: truncated, bit-flipped, zero-byte,
/// mislabelled, decompression bombs and malformed sidecars each give `convoy: <file>: <reason>`
/// on stderr and exit code 1 from both `info` and `measure --gsd 0.5`, never a crash or a hang
/// (the runner kills a process still running after a generous timeout, which fails the test);
/// and the other files of the same run are still reported.
@Suite struct HostileInputCommandTests {
    /// A hostile input: the file to name, the files to write, and words the reason must contain.
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        let image: String
        let files: [String: Data]
        let reason: String
        var extraArguments: [String] = []
        var testDescription: String { label }
    }

    static let hostileFixtures = "Tests/ConvoyCLITests/HostileFixtures"
    static func repositoryFile(_ path: String) -> Data {
        (try? Data(contentsOf: ConvoyBinary.repositoryRoot.appendingPathComponent(path))) ?? Data()
    }
    static let jpeg = repositoryFile(ConvoyBinary.fixture("jpeg-baseline-rgb.jpg"))
    static let prj = repositoryFile("SampleImages/ivankiv-road.prj")
    static let goodWorldFile = Data("0.5\n0\n0\n-0.5\n703000.25\n5645999.75\n".utf8)

    /// A PngSuite image with one bit flipped inside its IDAT chunk (zlib or the CRC catches it).
    static let bitFlippedPNG: Data = {
        var bytes = [UInt8](
            (try? Data(contentsOf: ConvoyBinary.sharedData.appendingPathComponent("pngsuite/basn2c08.png"))) ?? Data())
        let idat = Array("IDAT".utf8)
        if let at = bytes.indices.dropLast(20).first(where: { Array(bytes[$0..<$0 + 4]) == idat }) { bytes[at + 12] ^= 0x08 }
        return Data(bytes)
    }()

    static let cases: [Case] = [
        Case(label: "truncated JPEG", image: "cut.jpg", files: ["cut.jpg": jpeg.prefix(jpeg.count - 100)],
             reason: "premature end of data (truncated file)"),
        Case(label: "bit-flipped PNG", image: "flipped.png", files: ["flipped.png": bitFlippedPNG], reason: "PNG: IDAT: "),
        Case(label: "zero-byte file", image: "empty.png", files: ["empty.png": Data()], reason: "empty file (0 bytes)"),
        Case(label: "text named .jpg", image: "notes.jpg", files: ["notes.jpg": Data("meeting notes\n".utf8)],
             reason: "not a PNG, JPEG or TIFF image"),
        Case(label: "PNG bomb", image: "bomb.png", files: ["bomb.png": repositoryFile("\(hostileFixtures)/bomb-60000x60000.png")],
             reason: "image is 60000x60000 = 3600000000 pixels; the limit is 2000000000 pixels"),
        Case(label: "JPEG bomb", image: "bomb.jpg", files: ["bomb.jpg": repositoryFile("\(hostileFixtures)/bomb-60000x60000.jpg")],
             reason: "image is 60000x60000 = 3600000000 pixels; the limit is 2000000000 pixels"),
        Case(label: "TIFF bomb", image: "bomb.tif", files: ["bomb.tif": repositoryFile("\(hostileFixtures)/bomb-60000x60000.tif")],
             reason: "image is 60000x60000 = 3600000000 pixels; the limit is 2000000000 pixels"),
        Case(label: "bomb under the default limit, refused by --max-pixels", image: "bomb.png",
             files: ["bomb.png": repositoryFile("\(hostileFixtures)/bomb-40000x40000.png")],
             reason: "image is 40000x40000 = 1600000000 pixels; the limit is 100000000 pixels",
             extraArguments: ["--max-pixels", "100000000"]),
        Case(label: "TIFF bomb in one strip, under the default limit", image: "bomb.tif",
             files: ["bomb.tif": repositoryFile("\(hostileFixtures)/bomb-40000x40000.tif")],
             reason: "TIFF: ZIPDecode: Not enough data at scanline 200"),
        Case(label: "world file with text", image: "a.jpg",
             files: ["a.jpg": jpeg, "a.jgw": Data("hello\nworld\n".utf8), "a.prj": prj],
             reason: "malformed world file"),
        Case(label: "world file with NaN", image: "a.jpg",
             files: ["a.jpg": jpeg, "a.jgw": Data("0.5\n0\n0\nNaN\n1\n2\n".utf8), "a.prj": prj],
             reason: "line 4: 'NaN' is not a finite number"),
        Case(label: "world file with zero pixel size", image: "a.jpg",
             files: ["a.jpg": jpeg, "a.jgw": Data("0\n0\n0\n0\n1\n2\n".utf8), "a.prj": prj],
             reason: "pixel size is zero"),
        Case(label: ".prj garbage", image: "a.jpg",
             files: ["a.jpg": jpeg, "a.jgw": goodWorldFile, "a.prj": Data("GARBAGE[[[ \u{1}\u{2}".utf8)],
             reason: "a.prj"),
        Case(label: ".aux.xml broken XML", image: "a.jpg",
             files: ["a.jpg": jpeg, "a.jgw": goodWorldFile, "a.jpg.aux.xml": Data("<PAMDataset><SRS>EPSG:32635</SRS".utf8)],
             reason: "malformed GDAL aux.xml"),
    ]

    static func write(_ files: [String: Data]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, data) in files { try data.write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    @Test func inputsArePresent() {
        #expect(Self.bitFlippedPNG.count > 100, "../shared/data/pngsuite not found")
        #expect(Self.cases.allSatisfy { $0.files.values.allSatisfy { !$0.isEmpty } || $0.label == "zero-byte file" })
    }

    @Test(arguments: cases, [["info"], ["measure", "--gsd", "0.5"]])
    func cleanErrorNamingTheFile(_ hostile: Case, _ command: [String]) throws {
        let dir = try Self.write(hostile.files)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(command + hostile.extraArguments + [hostile.image], in: dir, timeout: 120)
        #expect(!r.timedOut, "still running after 120 s")
        #expect(r.status == 1, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one error line: \(r.stderr)")
        #expect(r.stderr.hasPrefix("convoy: \(hostile.image): "), "\(r.stderr)")
        #expect(r.stderr.contains(hostile.reason), "\(r.stderr)")
    }

    /// Every hostile file in one `info` run among good ones: each is named, every good one is
    /// still described, and the exit code says some failed.
    @Test func theOtherFilesAreStillReported() throws {
        var files: [String: Data] = ["good.jpg": Self.jpeg]
        var names: [String] = []
        for (index, hostile) in Self.cases.enumerated() where hostile.extraArguments.isEmpty {
            let subdirectory = "case\(index)"
            for (name, data) in hostile.files { files["\(subdirectory)/\(name)"] = data }
            names.append("\(subdirectory)/\(hostile.image)")
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-hostile-\(UUID().uuidString)")
        for (name, data) in files {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(["info", "--format", "json", "good.jpg"] + names + ["good.jpg"], in: dir, timeout: 120)
        #expect(!r.timedOut)
        #expect(r.status == 1)
        let records = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(records.count == names.count + 2)
        #expect(records.first?["width"] as? Int == 40 && records.last?["width"] as? Int == 40)
        for name in names {
            #expect(r.stderr.contains("convoy: \(name): "), "\(name) not named on stderr")
        }
    }

    /// `--overlay` naming an input (the image itself, another spelling of it, a link to it, or
    /// one of its sidecars) is refused before anything is measured or written: exit 64, the
    /// input intact.
    @Test(arguments: ["scene.jpg", "./sub/../scene.jpg", "link.png", "scene.jgw"])
    func overlayNeverOverwritesAnInput(_ overlay: String) throws {
        let dir = try Self.write(["scene.jpg": Self.jpeg, "scene.jgw": Self.goodWorldFile, "scene.prj": Self.prj])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link.png").path, withDestinationPath: "scene.jpg")
        let r = try ConvoyBinary.run(["measure", "scene.jpg", "--overlay", overlay], in: dir, timeout: 120)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.hasPrefix("convoy: \(overlay): the output would overwrite the input "), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(try Data(contentsOf: dir.appendingPathComponent("scene.jpg")) == Self.jpeg)
        #expect(try Data(contentsOf: dir.appendingPathComponent("scene.jgw")) == Self.goodWorldFile)
    }
}
