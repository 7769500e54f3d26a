import ConvoyCore
import ConvoyGeo
import ConvoyImageIO
import ConvoyMeasure
import Foundation
import Testing

/// The vehicle count a reported convoy carries, where vehicles are resolved.
@Suite struct VehicleCountTests {
    /// A 0.5 m scene, 1600 x 240 px: an 8 m road (150) along x on ground of 120, with `boxes`
    /// (x0, x1, y0, y1 in pixels, and their gray level) drawn on it, and mild deterministic noise
    /// when `noiseSeed` is given.
    static func road(_ boxes: [(x0: Int, x1: Int, y0: Int, y1: Int, level: UInt8)], noiseSeed: UInt64? = nil) -> Raster<UInt8> {
        var r = Raster<UInt8>(width: 1600, height: 240, bands: 3, fill: 120)
        for (x0, x1, y0, y1, v) in [(0, 1600, 112, 128, UInt8(150))] + boxes {
            for y in y0..<y1 { for x in x0..<x1 { for b in 0..<3 { r[x, y, b] = v } } }
        }
        if var state = noiseSeed {
            for i in r.samples.indices {
                state = state &* 6_364_136_223_846_793_005 &+ 1
                r.samples[i] = UInt8(max(0, min(255, Int(r.samples[i]) + Int(state >> 61) - 3)))
            }
        }
        return r
    }

    /// Pairs of trucks 46 m apart, each pair two 10 m trucks (3.5 and 3 m wide, 60 and 70) side by
    /// side and touching: one blob 10 m long and 6.5 m wide.
    static func pairs(_ n: Int) -> Raster<UInt8> {
        road((0..<n).flatMap { k -> [(x0: Int, x1: Int, y0: Int, y1: Int, level: UInt8)] in
            let x = 100 + k * 46
            return [(x - 10, x + 10, 113, 120, 60), (x - 10, x + 10, 120, 126, 70)]
        }, noiseSeed: 7)
    }

    /// A fresh folder for a test's files (the test removes it).
    static func folder(_ name: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func vehiclesTwoAbreastAreCountedAsTwo() throws {
        let dir = try Self.folder("abreast")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pairs.png").path
        try PNGWriter.write(Self.pairs(12), to: path)
        var options = MeasureOptions()
        options.groundSampleDistance = try GroundSampleDistance(metresPerPixel: 0.5)
        options.detection.minConfidence = 0 // blobs this square show no axis: the model scores the column low
        let measured = try SceneMeasurement.measure(paths: [path], options: options)
        try #require(measured.convoys.count == 1)
        #expect(measured.convoys[0].vehicles == 24)
        #expect(measured.convoys[0].vehiclesEstimated, "a count that reads two vehicles into one blob says it is estimated")
        #expect(measured.convoys[0].evidence.blobs_two_abreast == 12)
        #expect(measured.convoys[0].evidence.vehicles_on_path == 0)
        // the --min-vehicles test counts what is seen one by one: 12 blobs
        options.detection.minVehicles = 13
        #expect(try SceneMeasurement.measure(paths: [path], options: options).convoys.isEmpty)
    }

    /// A column of ten 7 × 3 m vehicles 46 m apart, the fifth sand-coloured (190 on the 150 road):
    /// nine candidates, ten vehicles, and the light one is where the overlay marks it (orange).
    @Test func aLightVehicleCountedOnThePathIsShownWhereItIs() throws {
        let r = Self.road((0..<10).map { k in let x = 100 + k * 92; return (x - 7, x + 7, 117, 123, k == 4 ? 190 : 60) })
        let dir = try Self.folder("light")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("light.png").path, overlay = dir.appendingPathComponent("overlay.png").path
        try PNGWriter.write(r, to: path)
        var options = MeasureOptions()
        options.groundSampleDistance = try GroundSampleDistance(metresPerPixel: 0.5)
        let measured = try SceneMeasurement.measure(paths: [path], options: options)
        try #require(measured.convoys.count == 1)
        #expect(measured.convoys[0].vehicles == 10)
        #expect(measured.convoys[0].evidence.vehicles_on_path == 1)
        let at = try #require(measured.convoys[0].vehiclesOnPath.first)
        #expect(measured.convoys[0].vehiclesOnPath.count == 1)
        #expect(at.image == 0 && at.isLight && at.vehicles == 1)
        #expect(abs(at.pixelX - 468) <= 2 && abs(at.pixelY - 120) <= 2, "the light vehicle is at (468, 120)")
        #expect(abs(at.lengthMetres - 7) <= 1.5, "7 m long along the road")
        try Overlay.write(measured, to: overlay)
        guard case let .uint8(drawn) = try ImageDecoding.decode(path: overlay).raster else { Issue.record("8-bit overlay"); return }
        let x = Int(at.pixelX), y = Int(at.pixelY)
        #expect(drawn[x, y, 0] == 255 && drawn[x, y, 1] == 140, "an orange mark on it")
    }
}
