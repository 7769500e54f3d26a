import ConvoyCore
import ConvoyGeo
import ConvoyImageIO
import ConvoyMeasure
import Foundation
import Testing

/// The vehicle count a reported convoy carries, where vehicles are resolved.
@Suite struct VehicleCountTests {
    /// A 0.5 m scene, 1600 x 240 px: an 8 m road (150) along x on ground of 120, with `pairs`
    /// pairs of trucks 46 m apart, each pair two 10 m trucks (3.5 and 3 m wide, 60 and 70) side by
    /// side and touching: one blob 10 m long and 6.5 m wide.
    static func scene(pairs: Int) -> Raster<UInt8> {
        var r = Raster<UInt8>(width: 1600, height: 240, bands: 3, fill: 120)
        func fill(_ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int, _ v: UInt8) {
            for y in y0..<y1 { for x in x0..<x1 { for b in 0..<3 { r[x, y, b] = v } } }
        }
        fill(0, 1600, 112, 128, 150)
        for k in 0..<pairs {
            let x = 100 + k * 46
            fill(x - 10, x + 10, 113, 120, 60)
            fill(x - 10, x + 10, 120, 126, 70)
        }
        var state: UInt64 = 7
        for i in r.samples.indices { // mild deterministic noise
            state = state &* 6_364_136_223_846_793_005 &+ 1
            r.samples[i] = UInt8(max(0, min(255, Int(r.samples[i]) + Int(state >> 61) - 3)))
        }
        return r
    }

    @Test func vehiclesTwoAbreastAreCountedAsTwo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-abreast-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("pairs.png").path
        try PNGWriter.write(Self.scene(pairs: 12), to: path)
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
        var r = Raster<UInt8>(width: 1600, height: 240, bands: 3, fill: 120)
        func fill(_ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int, _ v: UInt8) {
            for y in y0..<y1 { for x in x0..<x1 { for b in 0..<3 { r[x, y, b] = v } } }
        }
        fill(0, 1600, 112, 128, 150)
        for k in 0..<10 { let x = 100 + k * 92; fill(x - 7, x + 7, 117, 123, k == 4 ? 190 : 60) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-light-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("light.png").path, overlay = dir.appendingPathComponent("overlay.png").path
        try PNGWriter.write(r, to: path)
        var options = MeasureOptions()
        options.groundSampleDistance = try GroundSampleDistance(metresPerPixel: 0.5)
        let measured = try SceneMeasurement.measure(paths: [path], options: options)
        try #require(measured.convoys.count == 1)
        #expect(measured.convoys[0].vehicles == 10)
        #expect(measured.convoys[0].evidence.vehicles_on_path == 1)
        let at = try #require(measured.convoys[0].vehiclesOnPathPixels?.first)
        #expect(abs(at.x - 468) <= 2 && abs(at.y - 120) <= 2, "the light vehicle is at (468, 120)")
        try Overlay.write(measured, to: overlay)
        guard case let .uint8(drawn) = try ImageDecoding.decode(path: overlay).raster else { Issue.record("8-bit overlay"); return }
        #expect(drawn[Int(at.x), Int(at.y), 0] == 255 && drawn[Int(at.x), Int(at.y), 1] == 140, "an orange mark on it")
    }
}
