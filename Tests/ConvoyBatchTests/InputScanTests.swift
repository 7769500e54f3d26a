import ConvoyBatch
import Foundation
import Testing

/// Images are found by content; files named like images that are not get a problem; others are skipped.
@Suite struct InputScanTests {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-scan-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let files: [(String, [UInt8])] = [
            ("a.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            ("b.JPG", [0xFF, 0xD8, 0xFF, 0xE0, 0]),
            ("c.tif", [0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0]),
            ("d.tif", [0x4D, 0x4D, 0x00, 0x2B, 0, 8, 0, 0]),
            ("noextension", [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8]),
            ("text.jpg", Array("hello".utf8)),
            ("empty.png", []),
            ("a.pgw", Array("0.5\n0\n0\n-0.5\n1\n2\n".utf8)),
            ("a.png.aux.xml", Array("<PAMDataset/>".utf8)),
            ("notes.txt", Array("notes".utf8)),
            (".hidden.jpg", [0xFF, 0xD8, 0xFF]),
            ("sub/e.jpeg", [0xFF, 0xD8, 0xFF, 0xDB]),
        ]
        for (name, bytes) in files {
            try Data(bytes).write(to: dir.appendingPathComponent(name))
        }
        return dir
    }

    @Test func findsImagesByContentAndFlagsImpostors() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scan = try InputScan(arguments: [dir.path], recursive: false)
        let byName = Dictionary(uniqueKeysWithValues: scan.files.map { ($0.relativePath, $0) })
        #expect(Set(byName.keys) == ["a.png", "b.JPG", "c.tif", "d.tif", "noextension", "text.jpg", "empty.png"])
        #expect(byName["a.png"]?.signature == .png)
        #expect(byName["b.JPG"]?.signature == .jpeg)
        #expect(byName["c.tif"]?.signature == .tiff)
        #expect(byName["d.tif"]?.signature == .bigTIFF)
        #expect(byName["noextension"]?.signature == .tiff)
        #expect(byName["text.jpg"]?.problem?.contains("not a PNG, JPEG or TIFF") == true)
        #expect(byName["empty.png"]?.problem?.contains("empty") == true)
        #expect(scan.skipped == 3, "world file, .aux.xml and notes skipped; hidden files not even counted")
        #expect(scan.files.map(\.path) == scan.files.map(\.path).sorted())
        #expect(byName["a.png"]?.path == dir.path + "/a.png")
    }

    @Test func recursiveGoesIntoSubfolders() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scan = try InputScan(arguments: [dir.path], recursive: true)
        #expect(scan.files.contains { $0.relativePath == "sub/e.jpeg" && $0.signature == .jpeg })
    }

    @Test func missingArgumentIsAnError() {
        #expect(throws: BatchError.self) { try InputScan(arguments: ["/nonexistent/convoy-\(UUID().uuidString)"], recursive: false) }
    }

    @Test func fileArgumentThatIsNotAnImageIsKeptWithAProblem() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scan = try InputScan(arguments: [dir.appendingPathComponent("notes.txt").path], recursive: false)
        #expect(scan.files.count == 1 && scan.files[0].problem != nil)
    }
}
