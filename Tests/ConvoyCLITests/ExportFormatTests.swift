import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// `--format geojson|kml|csv` from measure and merge, read back by the tools analysts use.
@Suite struct ExportFormatTests {
    static let ogrinfo: String? = ["/usr/bin/ogrinfo", "/usr/local/bin/ogrinfo"].first { FileManager.default.isExecutableFile(atPath: $0) }

    static func temporary(_ ext: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("convoy-export-\(UUID().uuidString).\(ext)")
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// `--detections` with a GIS format: the file holds the convoys as without it, and a note
    /// says where the detections are listed (they were dropped without a word).
    @Test func detectionsWithAGISFormatAreNamedNotDropped() throws {
        let plain = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--format", "csv"])
        let asked = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--format", "csv", "--detections"])
        #expect(asked.status == 0 && asked.stdout == plain.stdout)
        #expect(asked.stderr.contains("convoy: note: --detections lists the vehicle candidates only with --format json"),
                "\(asked.stderr)")
        #expect(!plain.stderr.contains("--detections"))
    }

    @Test(.enabled(if: ogrinfo != nil, "needs ogrinfo (gdal-bin)"))
    func geoJSONReadsCleanlyWithOgrinfoInLonLat() throws {
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg", "--target", "Kyiv", "--format", "geojson"])
        #expect(r.status == 0, "\(r.stderr)")
        let file = Self.temporary("geojson")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(r.stdout.utf8).write(to: file)
        let summary = try Self.run(Self.ogrinfo!, ["-ro", "-al", "-so", file.path])
        #expect(summary.contains("using driver `GeoJSON' successful"), "\(summary)")
        #expect(summary.contains("Feature Count: 3"))
        for field in ["length_km: Real", "vehicles: Integer", "confidence: Real", "target: String", "distance_km: Real"] {
            #expect(summary.contains(field), "field \(field)")
        }
        let full = try Self.run(Self.ogrinfo!, ["-ro", "-al", file.path])
        let line = try #require(full.split(separator: "\n").first { $0.contains("LINESTRING (") })
        let numbers = line.split(whereSeparator: { " (),".contains($0) }).compactMap { Double($0) }
        #expect(numbers.count >= 4 && numbers.count % 2 == 0)
        #expect(numbers.allSatisfy { $0.isFinite })
        for i in stride(from: 0, to: numbers.count, by: 2) {
            #expect(abs(numbers[i] - 29.89) < 0.02, "x is the longitude: \(numbers[i])")
            #expect(abs(numbers[i + 1] - 50.928) < 0.01, "y is the latitude: \(numbers[i + 1])")
        }
        #expect(full.contains("POINT (29.894"), "head point in lon lat")
        #expect(full.contains("target (String) = Kyiv, UA"))
    }

    @Test func kmlFromMergeIsWellFormedWithAPlacemarkPerConvoy() throws {
        let jsonl = Self.temporary("jsonl"), kml = Self.temporary("kml"), csv = Self.temporary("csv")
        defer { for f in [jsonl, kml, csv] { try? FileManager.default.removeItem(at: f) } }
        let b = try ConvoyBinary.run(["batch", "SampleImages/ivankiv-road.jpg", "SampleImages/ivankiv-road-utm35n.tif",
                                      "--target", "Kyiv", "--out", jsonl.path])
        #expect(b.status == 0, "\(b.stderr)")
        let m = try ConvoyBinary.run(["merge", jsonl.path, "--out", kml.path, "--format", "kml"])
        #expect(m.status == 0, "\(m.stderr)")
        let data = try Data(contentsOf: kml)
        #expect(String(decoding: data, as: UTF8.self).contains("<kml xmlns=\"http://www.opengis.net/kml/2.2\">"))
        let counter = TagCounter()
        let parser = XMLParser(data: data)
        parser.delegate = counter
        #expect(parser.parse(), "well-formed: \(String(describing: parser.parserError))")
        #expect(counter.counts["LineString"] == 2 && counter.counts["Point"] == 4 && counter.counts["Folder"] == 2)
        #expect(counter.counts["description"] == 2)
        let c = try ConvoyBinary.run(["merge", jsonl.path, "--out", csv.path, "--format", "csv"])
        #expect(c.status == 0)
        let rows = String(decoding: try Data(contentsOf: csv), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 3 && rows[0].hasPrefix("image,convoy,length_km,"))
        #expect(rows[1].hasPrefix("SampleImages/ivankiv-road-utm35n.tif,1,0.35"))
    }

    @Test func unreferencedConvoyIsLeftOffTheMapWithANote() throws {
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.png", "--gsd", "0.5", "--format", "geojson"])
        #expect(r.status == 0)
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((o["features"] as? [Any])?.isEmpty == true)
        #expect(r.stderr.contains("without georeference"))
        let csv = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.png", "--gsd", "0.5", "--format", "csv"])
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 2, "the CSV keeps it")
    }
}

final class TagCounter: NSObject, XMLParserDelegate {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[elementName, default: 0] += 1
    }
}
