import ConvoyCore
import ConvoyGeo
import ConvoyImageIO
@testable import ConvoyMeasure
import Foundation
import Testing

/// What the road-following linker reads: a georeferenced colour image's gray level and
/// colourfulness at plane points, through the affine plane → pixel map fitted per image.
@Suite struct SceneGroundTests {
    /// A 2 m colour tile, 600 × 400 px, in UTM 36N near Kyiv: green fields (60, 140, 60), a grey
    /// road (110, 110, 110) across rows 190..<200, and a brown square (150, 100, 50) at x 400..<420,
    /// y 50..<70.
    static func writeTile(to path: String) throws {
        var r = Raster<UInt8>(width: 600, height: 400, bands: 3)
        for y in 0..<400 {
            for x in 0..<600 {
                let rgb: (UInt8, UInt8, UInt8) = (190..<200).contains(y) ? (110, 110, 110)
                    : (400..<420).contains(x) && (50..<70).contains(y) ? (150, 100, 50) : (60, 140, 60)
                r[x, y, 0] = rgb.0
                r[x, y, 1] = rgb.1
                r[x, y, 2] = rgb.2
            }
        }
        try PNGWriter.write(r, to: path)
        try "2\n0\n0\n-2\n300001\n5599999\n".write(toFile: String(path.dropLast(4)) + ".pgw", atomically: false, encoding: .utf8)
    }

    @Test func groundAtAPlanePointIsThePixelThereWithItsColourfulness() throws {
        try Self.withTile { path in
            var options = MeasureOptions()
            options.crsOverride = try CoordinateReferenceSystem(userInput: "EPSG:32636")
            let image = try SceneImage(path: path, options: options, detector: ConvoyDetector())
            #expect(image.chroma != nil, "a colour image at 2 m keeps its colourfulness")
            let plane = try SceneMeasurement.scenePlane([image], [0])
            let ground = try SceneGround(images: [image], indices: [0], plane: plane)
            #expect(ground.maximumResidual < 0.05, "affine to \(ground.maximumResidual) px over 1.2 km")
            guard case let .georeferenced(g) = image.scale else { Issue.record("not georeferenced"); return }
            // pixel centres: road, field, brown square
            let pixels = [PixelPoint(x: 300.5, y: 195.5), PixelPoint(x: 100.5, y: 300.5), PixelPoint(x: 410.5, y: 60.5)]
            let points = try plane.points(try g.lonLats(of: pixels))
            let samples = points.map { ground.level(at: $0) }
            #expect(samples[0] == GroundSample(level: 110, chroma: 0))
            #expect(samples[1] == GroundSample(level: 87, chroma: 80))
            #expect(samples[2] == GroundSample(level: 100, chroma: 100))
            // 50 m beyond the tile's edge there is no ground
            let outside = try plane.points(try g.lonLats(of: [PixelPoint(x: -25, y: 200)]))
            #expect(ground.level(at: outside[0]) == nil)
        }
    }

    /// The road test's sampler asks PROJ only in the images whose footprint holds a point: the
    /// same gray levels as asking every image, inside the tile, at its edges and beyond them.
    @Test func footprintsLeaveTheSamplesAsTheyWere() throws {
        try Self.withTile { path in
            var options = MeasureOptions()
            options.crsOverride = try CoordinateReferenceSystem(userInput: "EPSG:32636")
            let image = try SceneImage(path: path, options: options, detector: ConvoyDetector())
            let plane = try SceneMeasurement.scenePlane([image], [0])
            guard case let .georeferenced(g) = image.scale else { Issue.record("not georeferenced"); return }
            let footprint = try ImageFootprint(georeference: g, width: 600, height: 400, plane: plane)
            // every 7.3 px over the tile and 40 px beyond each edge
            var pixels: [PixelPoint] = []
            for y in stride(from: -40.0, through: 440, by: 7.3) {
                for x in stride(from: -40.0, through: 640, by: 7.3) { pixels.append(PixelPoint(x: x, y: y)) }
            }
            let points = try plane.points(try g.lonLats(of: pixels))
            #expect(zip(pixels, points).allSatisfy { q, p in !(0...600).contains(q.x) || !(0...400).contains(q.y) || footprint.contains(p) })
            let all = try SceneMeasurement.sampleScene(points, plane: plane, images: [image], indices: [0])
            let filtered = try SceneMeasurement.sampleScene(points, plane: plane, images: [image], indices: [0],
                                                            footprints: [0: footprint])
            #expect(filtered == all)
            #expect(all.contains(nil) && all.contains { $0 != nil })
            // 200 m (100 px) beyond the tile, the footprint (50 m wider) holds no point
            let far = try plane.points(try g.lonLats(of: [PixelPoint(x: -100, y: 200), PixelPoint(x: 300, y: 500)]))
            #expect(far.allSatisfy { !footprint.contains($0) })
        }
    }

    /// A gray image, or one fine enough to show vehicles' shapes, keeps no colourfulness: the
    /// linker does not read it there.
    @Test func noColourfulnessWhereRoadsAreNotFollowed() throws {
        try Self.withTile { path in
            try FileManager.default.removeItem(atPath: String(path.dropLast(4)) + ".pgw")
            var options = MeasureOptions()
            options.groundSampleDistance = try GroundSampleDistance(metresPerPixel: 0.5)
            #expect(try SceneImage(path: path, options: options, detector: ConvoyDetector()).chroma == nil)
        }
    }

    /// Runs `body` with the tile written to a temporary folder, removed afterwards.
    static func withTile(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-ground-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("tile.png").path
        try writeTile(to: path)
        try body(path)
    }
}
