import Foundation
import Testing

/// End to end: georeference in `convoy info`, `--crs`, and `convoy distance`.
@Suite struct GeoreferenceCommandTests {
    func json(_ r: ConvoyBinary.Result) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    @Test func worldFileWithPrjGivesTheGeoreference() throws {
        let r = try ConvoyBinary.run(["info", "--format", "json", "SampleImages/ivankiv-road.jpg", "SampleImages/ivankiv-road.png"])
        #expect(r.status == 0, "\(r.stderr)")
        let records = try json(r)
        let g = try #require(records[0]["georeference"] as? [String: Any])
        #expect(g["source"] as? String == "world file ivankiv-road.jgw + ivankiv-road.prj")
        #expect(g["crs"] as? String == "EPSG:32635")
        // the world file gives pixel centres (703000.25, 5645999.75); GDAL's geotransform, corners
        #expect(g["geotransform"] as? [Double] == [703_000, 0.5, 0, 5_646_000, 0, -0.5])
        let gsd = try #require(g["gsd_m"] as? [Double])
        #expect(abs(gsd[0] - 0.5) < 0.001 && abs(gsd[1] - 0.5) < 0.001)
        #expect((g["corners"] as? [[Double]])?.count == 4)
        #expect(records[1].keys.contains("georeference") && records[1]["georeference"] is NSNull,
                "an image without georeference reports null")
    }

    /// A world file without .prj or .aux.xml: no silent guess of the CRS; the error names --crs,
    /// and --crs fixes it.
    @Test func worldFileWithoutCRSNeedsTheCRSOption() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["ivankiv-road.jpg", "ivankiv-road.jgw"] {
            try FileManager.default.copyItem(at: ConvoyBinary.repositoryRoot.appendingPathComponent("SampleImages/\(name)"),
                                             to: dir.appendingPathComponent(name.uppercased()))
        }
        let image = dir.appendingPathComponent("IVANKIV-ROAD.JPG").path
        let without = try ConvoyBinary.run(["info", "--format", "json", image])
        #expect(without.status == 1)
        #expect(without.stderr.contains("--crs"))
        #expect((try json(without))[0]["georeference_error"] is String)

        let with = try ConvoyBinary.run(["info", "--format", "json", "--crs", "EPSG:32635", image])
        #expect(with.status == 0, "\(with.stderr)")
        let g = try #require((try json(with))[0]["georeference"] as? [String: Any])
        #expect(g["source"] as? String == "world file IVANKIV-ROAD.JGW + --crs")
    }

    @Test func unknownCRSIsAnInputError() throws {
        let r = try ConvoyBinary.run(["info", "--crs", "EPSG:99999", "SampleImages/ivankiv-road.png"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("convoy: invalid CRS 'EPSG:99999'"))
    }

    @Test func distanceBetweenPlacesAsJSON() throws {
        let r = try ConvoyBinary.run(["distance", "Київ", "50.9333,29.9", "--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(o["method"] as? String == "geodesic WGS84")
        #expect((o["from"] as? [String: Any])?["name"] as? String == "Kyiv, UA")
        #expect((o["to"] as? [String: Any])?.keys.contains("name") == false, "coordinates have no name")
        let km = try #require(o["distance_km"] as? Double)
        #expect(km > 60 && km < 75)
        let bearing = try #require(o["bearing_deg"] as? Double)
        #expect(bearing > 300 && bearing < 330, "Ivankiv is north-west of Kyiv")
    }

    @Test(arguments: [
        (["distance", "Kyyv", "Kyiv"], "did you mean 'Kyiv, UA'"),
        (["distance", "91,30", "Kyiv"], "91"),
    ])
    func badPlaceOrCoordinateIsNamed(_ arguments: [String], _ words: String) throws {
        let r = try ConvoyBinary.run(arguments)
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("convoy: ") && r.stderr.contains(words))
    }
}
