import ConvoyCore
import ConvoyGeo
import ConvoyImageIO
import ConvoyMeasure
import Foundation
import Testing

/// Measurement across georeferenced tiles: a column crossing a tile edge is one convoy, and
/// vehicles in the overlap of two tiles are counted once.
@Suite struct TiledSceneTests {
    /// A 0.5 m scene, 1600 x 240 px, in UTM 36N near Kyiv: an 8 m road along x with 30 vehicles
    /// 23 m apart (7 m x 3 m), the first and last 46 m from the ends, drawn as RGB.
    static func scene() -> Raster<UInt8> {
        var r = Raster<UInt8>(width: 1600, height: 240, bands: 3, fill: 120)
        func fill(_ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int, _ v: UInt8) {
            for y in max(0, y0)..<min(240, y1) { for x in max(0, x0)..<min(1600, x1) { for b in 0..<3 { r[x, y, b] = v } } }
        }
        fill(0, 1600, 112, 128, 150)
        for k in 0..<30 { let x = 100 + k * 46; fill(x - 7, x + 7, 117, 123, 60) }
        var state: UInt64 = 99
        for i in r.samples.indices { // mild deterministic noise
            state = state &* 6_364_136_223_846_793_005 &+ 1
            r.samples[i] = UInt8(max(0, min(255, Int(r.samples[i]) + Int(state >> 61) - 3)))
        }
        return r
    }

    /// Writes columns x0..<x1 of the scene as a PNG with a world file (pixel centres).
    static func writeTile(_ scene: Raster<UInt8>, x0: Int, x1: Int, to path: String) throws {
        var tile = Raster<UInt8>(width: x1 - x0, height: scene.height, bands: 3)
        for y in 0..<scene.height { for x in x0..<x1 { for b in 0..<3 { tile[x - x0, y, b] = scene[x, y, b] } } }
        try PNGWriter.write(tile, to: path)
        let originX = 300_000.0 + Double(x0) * 0.5, originY = 5_600_000.0
        let world = "0.5\n0\n0\n-0.5\n\(originX + 0.25)\n\(originY - 0.25)\n"
        try world.write(toFile: String(path.dropLast(4)) + ".pgw", atomically: false, encoding: .utf8)
    }

    /// `convoy measure` draws where it is on a terminal: each image as it is read, then the
    /// linking of every image's candidates together.
    @Test func progressNamesEachImageThenTheLinking() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scene = Self.scene()
        let west = dir.appendingPathComponent("west.png").path, east = dir.appendingPathComponent("east.png").path
        try Self.writeTile(scene, x0: 0, x1: 900, to: west)
        try Self.writeTile(scene, x0: 700, x1: 1600, to: east)
        final class Events: @unchecked Sendable {
            let lock = NSLock()
            var list: [MeasureProgress] = []
            func add(_ e: MeasureProgress) { lock.lock(); list.append(e); lock.unlock() }
        }
        let events = Events()
        var options = MeasureOptions()
        options.crsOverride = try CoordinateReferenceSystem(userInput: "EPSG:32636")
        options.progress = { events.add($0) }
        let measured = try SceneMeasurement.measure(paths: [west, east], options: options)
        let candidates = measured.images.reduce(0) { $0 + $1.candidates.count }
        #expect(candidates >= 30)
        #expect(events.list == [.readingImage(number: 1, count: 2, path: west), .readingImage(number: 2, count: 2, path: east),
                                .linking(candidates: candidates)])
    }

    @Test func columnAcrossOverlappingTilesIsOneConvoy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-tiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let scene = Self.scene()
        let whole = dir.appendingPathComponent("whole.png").path
        let west = dir.appendingPathComponent("west.png").path, east = dir.appendingPathComponent("east.png").path
        try Self.writeTile(scene, x0: 0, x1: 1600, to: whole)
        try Self.writeTile(scene, x0: 0, x1: 900, to: west)   // overlap: columns 700..<900 (100 m, 4 vehicles)
        try Self.writeTile(scene, x0: 700, x1: 1600, to: east)

        var options = MeasureOptions()
        options.crsOverride = try CoordinateReferenceSystem(userInput: "EPSG:32636")
        let one = try SceneMeasurement.measure(paths: [whole], options: options)
        let tiled = try SceneMeasurement.measure(paths: [west, east], options: options)
        try #require(one.convoys.count == 1 && tiled.convoys.count == 1)
        // truth: front of the first vehicle (x = 93 px) to the rear of the last (1441 px), as a geodesic
        let truth = Geodesic.wgs84.length(of: [try utm(300_046.5, 5_599_940), try utm(300_720.5, 5_599_940)])
        #expect(abs(one.convoys[0].lengthMetres - truth) < truth * 0.01)
        #expect(abs(tiled.convoys[0].lengthMetres - one.convoys[0].lengthMetres) < 1.0)
        #expect(tiled.convoys[0].vehicles == 30, "the 4 vehicles in the overlap are counted once")
        #expect(tiled.convoys[0].images == [0, 1])
        #expect(tiled.convoys[0].headAtImageEdge == false && tiled.convoys[0].tailAtImageEdge == false)
    }

    func utm(_ x: Double, _ y: Double) throws -> LonLat {
        try CoordinateTransform(from: CoordinateReferenceSystem(userInput: "EPSG:32636")).lonLat(MapPoint(x: x, y: y))
    }

    @Test func imageWithoutScaleNamesTheFix() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-noscale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("plain.png").path
        try PNGWriter.write(Raster<UInt8>(width: 8, height: 8, bands: 3), to: path)
        #expect { try SceneMeasurement.measure(paths: [path], options: MeasureOptions()) } throws: {
            "\($0)".hasPrefix(path) && "\($0)".contains("--gsd")
        }
    }
}
