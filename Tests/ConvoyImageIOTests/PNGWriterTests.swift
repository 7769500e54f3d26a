import ConvoyCore
import ConvoyImageIO
import Foundation
import Testing

@Suite struct PNGWriterTests {
    @Test(arguments: [3, 4])
    func writtenPNGReadsBackIdentical(_ bands: Int) throws {
        var raster = Raster<UInt8>(width: 13, height: 7, bands: bands)
        for i in raster.samples.indices { raster.samples[i] = UInt8(truncatingIfNeeded: i * 37 + 11) }
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("overlay.png").path
        try PNGWriter.write(raster, to: path)
        let back = try ImageDecoding.decode(path: path)
        #expect(back.raster == .uint8(raster))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["overlay.png"],
                "no temporary file left behind")
    }

    /// Written atomically: the new file is complete under a temporary name and renamed over the
    /// old one, so the path changes inode (a file rewritten in place would keep its inode, and a
    /// reader or a crash mid-write could see half of it).
    @Test func existingFileIsReplacedByRename() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("overlay.png").path
        try Data("old overlay".utf8).write(to: URL(fileURLWithPath: path))
        let before = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64
        try PNGWriter.write(Raster<UInt8>(width: 3, height: 2, bands: 3), to: path)
        let after = try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? UInt64
        #expect(before != nil && after != nil && before != after)
        #expect(try ImageDecoding.decode(path: path).header.width == 3)
    }

    /// A failed write leaves the file that was there untouched.
    @Test func failedWriteKeepsTheOldFile() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("overlay.png").path
        try Data("old overlay".utf8).write(to: URL(fileURLWithPath: path))
        // the temporary file's name is taken by a directory, so libpng cannot create it
        try FileManager.default.createDirectory(atPath: dir.appendingPathComponent(".overlay.png.\(getpid()).tmp").path,
                                                withIntermediateDirectories: false)
        #expect(throws: ImageError.self) { try PNGWriter.write(Raster<UInt8>(width: 3, height: 2, bands: 3), to: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data("old overlay".utf8))
    }

    @Test func unwritablePathIsAnErrorNamingIt() {
        let raster = Raster<UInt8>(width: 2, height: 2, bands: 3)
        #expect { try PNGWriter.write(raster, to: "/nonexistent-dir/o.png") } throws: {
            guard let e = $0 as? ImageError else { return false }
            return e.kind == .writeFailed && e.path == "/nonexistent-dir/o.png"
        }
    }

    @Test func grayRasterIsRefused() {
        #expect(throws: ImageError.self) { try PNGWriter.write(Raster<UInt8>(width: 2, height: 2, bands: 1), to: "/tmp/x.png") }
    }
}
