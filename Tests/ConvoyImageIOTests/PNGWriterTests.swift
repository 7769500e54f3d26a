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
