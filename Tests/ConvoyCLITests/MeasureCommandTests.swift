import Foundation
import Testing

/// End to end: `convoy measure` on the bundled sample, its JSON contract, overlay and errors.
@Suite struct MeasureCommandTests {
    @Test func jsonReportsTheSampleColumnWithTarget() throws {
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--target", "Kyiv", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let images = try #require(o["images"] as? [[String: Any]])
        #expect(images.first?["crs"] as? String == "EPSG:32635")
        let convoys = try #require(o["convoys"] as? [[String: Any]])
        try #require(convoys.count == 1)
        let c = convoys[0]
        let km = try #require(c["length_km"] as? Double)
        #expect(km > 0.30 && km < 0.45)
        #expect((c["vehicles"] as? Int).map { $0 >= 14 && $0 <= 18 } == true)
        #expect((c["confidence"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
        // the evidence behind the confidence: a column of vehicles seen one by one, on a road
        let evidence = try #require(c["evidence"] as? [String: Any])
        #expect((evidence["working_gsd_m"] as? Double).map { abs($0 - 0.5) < 0.01 } == true)
        #expect(evidence["streak_fraction"] as? Double == 0)
        #expect((evidence["darker_than_road_fraction"] as? Double).map { $0 >= 0.9 } == true)
        let target = try #require(c["target"] as? [String: Any])
        #expect(target["name"] as? String == "Kyiv, UA")
        #expect((target["distance_km"] as? Double).map { $0 > 68 && $0 < 70 } == true)
        let path = try #require(c["path"] as? [[Double]])
        let head = try #require(c["head"] as? [String: Double])
        #expect(path.first == [head["lon"]!, head["lat"]!], "the path runs from the head")
        #expect(o["detections"] == nil, "detections only with --detections")
    }

    @Test func gsdOnlyImageGivesPixelPathAndOverlay() throws {
        let overlay = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-overlay-\(UUID().uuidString).png").path
        defer { try? FileManager.default.removeItem(atPath: overlay) }
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.png", "--gsd", "0.5", "--format", "json",
                                      "--overlay", overlay, "--detections"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let c = try #require((o["convoys"] as? [[String: Any]])?.first)
        #expect(c["path_px"] is [[Double]] && c["path"] == nil && c["head"] == nil)
        #expect(((o["detections"] as? [[String: Any]])?.count ?? 0) >= 14)
        #expect(FileManager.default.fileExists(atPath: overlay))
    }

    /// A column of ten vehicles on a road, the fifth lighter than the road: the light one is no
    /// candidate but is counted on the path, and `--detections` lists it where it is
    /// (`vehicle_on_path`), so that the detections listed account for every vehicle counted.
    @Test func vehiclesCountedOnThePathAreListedWithTheDetections() throws {
        // 1600 × 240 px at 0.5 m: an 8 m road (150) on ground of 120, 7 × 3 m vehicles (60) 46 m apart
        var pixels = [UInt8](repeating: 120, count: 1600 * 240)
        func box(_ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int, _ v: UInt8) {
            for y in y0..<y1 { for x in x0..<x1 { pixels[y * 1600 + x] = v } }
        }
        box(0, 1600, 112, 128, 150)
        for k in 0..<10 { box(100 + k * 92 - 7, 100 + k * 92 + 7, 117, 123, k == 4 ? 190 : 60) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-on-path-\(UUID().uuidString).tif").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Self.grayTIFF(width: 1600, height: 240, pixels: pixels).write(to: URL(fileURLWithPath: path))
        let r = try ConvoyBinary.run(["measure", path, "--gsd", "0.5", "--format", "json", "--detections"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let c = try #require((o["convoys"] as? [[String: Any]])?.first)
        #expect(c["vehicles"] as? Int == 10)
        let detections = try #require(o["detections"] as? [[String: Any]])
        let onPath = detections.filter { $0["kind"] as? String == "vehicle_on_path" }
        try #require(onPath.count == 1, "\(onPath)")
        let light = onPath[0]
        #expect(light["image"] as? String == path && light["polarity"] as? String == "bright" && light["vehicles"] as? Int == 1)
        #expect((light["x"] as? Double).map { abs($0 - 468) <= 2 } == true && (light["y"] as? Double).map { abs($0 - 120) <= 2 } == true)
        #expect(detections.filter { $0["kind"] as? String == "vehicle" }.allSatisfy { $0["vehicles"] == nil },
                "a candidate carries no count")
    }

    /// `--detections` on a tile of the 64 km case (about 12,000 candidates: several of the
    /// pieces the detections are encoded and written in): the JSON is the report without
    /// `--detections` plus the list, indented as the rest (two spaces a level, keys sorted), and
    /// the text report says how many there are.
    @Test func manyDetectionsAreWrittenInPiecesAsOneReport() throws {
        let tile = "SampleImages/kyiv-64km/kyiv64-r03-c02.jpg"
        let binary = Kyiv64kmRegressionTests.releaseBinary // when built: three runs of 2 s each, not 5
        let with = try ConvoyBinary.run(["measure", tile, "--format", "json", "--detections"], binary: binary)
        let without = try ConvoyBinary.run(["measure", tile, "--format", "json"], binary: binary)
        #expect(with.status == 0 && without.status == 0, "\(with.stderr)")
        var o = try #require(try JSONSerialization.jsonObject(with: Data(with.stdout.utf8)) as? [String: Any])
        let detections = try #require(o["detections"] as? [[String: Any]])
        #expect(detections.count > 3 * 4096, "\(detections.count) detections")
        #expect(detections.allSatisfy { ($0["image"] as? String) == tile && $0["x"] is Double && $0["kind"] is String })
        o["detections"] = nil
        let plain = try #require(try JSONSerialization.jsonObject(with: Data(without.stdout.utf8)) as? [String: Any])
        #expect(NSDictionary(dictionary: o).isEqual(to: plain), "the rest of the report is unchanged")
        #expect(with.stdout.contains("\n  \"detections\" : [\n    {\n      \"angle_deg\" : "))
        #expect(with.stdout.contains("\n    },\n    {\n      \""))
        #expect(with.stdout.contains("\n    }\n  ],\n  \"images\" : [\n"))
        #expect(with.stdout.hasSuffix("}\n"))
        let text = try ConvoyBinary.run(["measure", tile, "--detections"], binary: binary)
        #expect(text.stdout.contains("Detections: \(detections.count) vehicle candidates (--format json lists them)"),
                "\(text.stdout)")
    }

    /// An uncompressed 8-bit gray baseline TIFF, one strip (libtiff reads it like any other).
    static func grayTIFF(width: Int, height: Int, pixels: [UInt8]) -> Data {
        var d = Data("II".utf8)
        func u16(_ v: Int) { d.append(UInt8(v & 0xFF)); d.append(UInt8(v >> 8 & 0xFF)) }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        u16(42); u32(8)
        let entries: [(tag: Int, type: Int, value: Int)] = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1),
                                                             (262, 3, 1), (273, 4, 8 + 2 + 9 * 12 + 4), (277, 3, 1),
                                                             (278, 4, height), (279, 4, width * height)]
        u16(entries.count)
        for e in entries {
            u16(e.tag); u16(e.type); u32(1)
            if e.type == 3 { u16(e.value); u16(0) } else { u32(e.value) }
        }
        u32(0)
        d.append(contentsOf: pixels)
        return d
    }

    /// `convoy measure tiles/*` passes each image's world file and .prj along with it: they are
    /// read as its sidecars (a note says so), and the report is the one for the image alone. A
    /// world file given without its image is still refused as no image.
    @Test func sidecarsGivenWithTheirImageAreReadAsSidecars() throws {
        let alone = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--format", "json"])
        let globbed = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jgw", "SampleImages/ivankiv-road.jpg",
                                            "SampleImages/ivankiv-road.prj", "--format", "json"])
        #expect(globbed.status == 0, "\(globbed.stderr)")
        #expect(globbed.stdout == alone.stdout)
        #expect(globbed.stderr.contains("convoy: note: 2 georeference sidecar(s) given with their images"), "\(globbed.stderr)")
        let orphan = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jgw"])
        #expect(orphan.status == 1)
        #expect(orphan.stderr.hasPrefix("convoy: SampleImages/ivankiv-road.jgw: not a PNG, JPEG or TIFF image"), "\(orphan.stderr)")
    }

    @Test func imageWithoutScaleIsAnInputError() throws {
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.png"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("convoy: SampleImages/ivankiv-road.png: no georeference") && r.stderr.contains("--gsd"))
    }

    @Test func columnsBelowMinConfidenceAreCountedNotListed() throws {
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--min-confidence", "0.9999"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("No convoy found."))
        #expect(r.stdout.contains("(1 more column below confidence 0.9999 not listed; --min-confidence 0 lists it)"), "\(r.stdout)")
        let j = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--min-confidence", "0.9999", "--format", "json"])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((o["convoys"] as? [Any])?.isEmpty == true)
        #expect(o["columns_below_min_confidence"] as? Int == 1)
    }

    /// `--explain` lists what was found and not reported, with the test it failed; without it the
    /// report has no such list (the JSON contract is unchanged).
    @Test func explainSaysWhyAColumnIsNotReported() throws {
        let j = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--min-vehicles", "30", "--explain",
                                      "--format", "json"])
        #expect(j.status == 0, "\(j.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((o["convoys"] as? [Any])?.isEmpty == true)
        let listed = try #require(o["not_reported"] as? [[String: Any]])
        let sample = try #require(listed.first { ($0["length_km"] as? Double).map { $0 > 0.3 && $0 < 0.45 } == true })
        #expect(sample["rejection"] as? String == "too_few_vehicles")
        let because = try #require(sample["rejected_because"] as? String)
        #expect(because.contains("fewer than --min-vehicles") && because.contains("\(sample["vehicles"] as? Int ?? -1) vehicles"))
        #expect(sample["path"] is [[Double]], "a column not reported is located like a reported one")

        let low = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--min-confidence", "0.9999", "--explain"])
        #expect(low.status == 0, "\(low.stderr)")
        #expect(low.stdout.contains("Columns found but not reported (--explain):"), "\(low.stdout)")
        #expect(low.stdout.contains("below --min-confidence 0.9999"), "\(low.stdout)")

        let plain = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--min-vehicles", "30", "--format", "json"])
        let p = try #require(try JSONSerialization.jsonObject(with: Data(plain.stdout.utf8)) as? [String: Any])
        #expect(p["not_reported"] == nil)
    }

    @Test(arguments: [["--max-gap", "-5"], ["--min-vehicles", "0"], ["--gsd", "abc"], ["--min-confidence", "1.5"],
                      ["--min-confidence", "nan"]])
    func badOptionIsAUsageOrInputError(_ options: [String]) throws {
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.png"] + options)
        #expect(r.status == 64 || r.status == 1)
        #expect(!r.stderr.isEmpty)
    }
}
