import ConvoyExport
import ConvoyGeo
import ConvoyMeasure
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// GeoJSON, KML and CSV from convoys, checked by parsing what they write.
@Suite struct ExportTests {
    static func convoy(path: [[Double]]?, target: Bool = true) throws -> ReportedConvoy {
        var object: [String: Any] = [
            "length_km": 1.25, "length_uncertainty_km": 0.01, "vehicles": 12, "vehicles_estimated": false,
            "confidence": 0.75, "head_at_image_edge": false, "tail_at_image_edge": true, "images": ["x.jpg"],
        ]
        if let path {
            object["path"] = path
            object["head"] = ["lat": path[0][1], "lon": path[0][0]]
            object["tail"] = ["lat": path.last![1], "lon": path.last![0]]
        } else {
            object["path_px"] = [[1.0, 2.0], [30.0, 40.0]]
        }
        if target {
            object["target"] = ["name": "Kyiv, UA", "lat": 50.45, "lon": 30.52, "distance_km": 25.5, "bearing_deg": 140.0]
        }
        return try JSONDecoder().decode(ReportedConvoy.self, from: JSONSerialization.data(withJSONObject: object))
    }

    static let line = [[29.9, 50.9], [29.95, 50.85], [30.0, 50.8]]

    @Test func geoJSONIsAFeatureCollectionInLonLat() throws {
        let items = [ExportedConvoy(image: "a.jpg", number: 1, convoy: try Self.convoy(path: Self.line)),
                     ExportedConvoy(image: "b.png", number: 1, convoy: try Self.convoy(path: nil))]
        let result = try GeoJSONExport.export(items)
        #expect(result.unmapped.count == 1 && result.unmapped[0].image == "b.png")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(result.data)) as? [String: Any])
        #expect(o["type"] as? String == "FeatureCollection")
        #expect(o["crs"] == nil, "RFC 7946 has no crs member")
        let features = try #require(o["features"] as? [[String: Any]])
        #expect(features.count == 3)
        let geometry = try #require(features[0]["geometry"] as? [String: Any])
        #expect(geometry["type"] as? String == "LineString")
        #expect(geometry["coordinates"] as? [[Double]] == Self.line)
        let properties = try #require(features[0]["properties"] as? [String: Any])
        #expect(properties["length_km"] as? Double == 1.25)
        #expect(properties["vehicles"] as? Int == 12)
        #expect(properties["target"] as? String == "Kyiv, UA")
        #expect(properties["distance_km"] as? Double == 25.5)
        let kinds = features.map { ($0["properties"] as? [String: Any])?["kind"] as? String }
        #expect(kinds == ["convoy", "head", "tail"])
        #expect((features[1]["geometry"] as? [String: Any])?["coordinates"] as? [Double] == Self.line[0])
        #expect((features[2]["geometry"] as? [String: Any])?["coordinates"] as? [Double] == Self.line[2])
    }

    @Test func nonFiniteOrInvalidCoordinatesAreNotMapped() throws {
        let bad = ExportedConvoy(image: "a.jpg", number: 1, convoy: try Self.convoy(path: [[29.9, 95.0], [29.9, 50.0]]))
        let result = try GeoJSONExport.export([bad])
        #expect(result.unmapped.count == 1)
        var nan = try Self.convoy(path: Self.line)
        nan.length_km = .nan
        #expect(try GeoJSONExport.export([ExportedConvoy(image: "a", number: 1, convoy: nan)]).unmapped.count == 1)
    }

    @Test func kmlFollowsGoogleEarthConventions() throws {
        let items = [ExportedConvoy(image: "tiles/<R&D> \"west\".jpg", number: 2, convoy: try Self.convoy(path: Self.line)),
                     ExportedConvoy(image: "bell\u{07}.jpg", number: 1, convoy: try Self.convoy(path: Self.line, target: false))]
        let result = KMLExport.export(items)
        let collector = ElementCollector()
        let parser = XMLParser(data: Data(result.data))
        parser.shouldProcessNamespaces = true
        parser.delegate = collector
        #expect(parser.parse(), "well-formed XML: \(String(describing: parser.parserError))")
        #expect(collector.namespaces.contains("http://www.opengis.net/kml/2.2"))
        #expect(collector.count("Placemark") == 6)
        #expect(collector.count("LineString") == 2 && collector.count("Point") == 4)
        #expect(collector.texts["tessellate"] == ["1", "1"])
        let coordinates = try #require(collector.texts["coordinates"]?.first)
        #expect(coordinates == "29.9,50.9,0 29.95,50.85,0 30,50.8,0", "lon,lat,alt tuples separated by spaces")
        #expect(collector.texts["name"]?.contains("tiles/<R&D> \"west\".jpg") == true)
        #expect(collector.texts["name"]?.contains("Convoy 2: 1.25 km, 12 vehicles") == true)
        #expect(collector.texts["description"]?.first?.contains("25.50 km from Kyiv, UA") == true)
        #expect(collector.texts["description"]?.last?.contains("unknown") == true)
    }

    @Test func csvQuotesAsRFC4180() throws {
        let items = [ExportedConvoy(image: "a, \"b\".jpg", number: 1, convoy: try Self.convoy(path: Self.line)),
                     ExportedConvoy(image: "c.png", number: 1, convoy: try Self.convoy(path: nil, target: false))]
        let text = String(decoding: CSVExport.export(items).data, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.count == 4 && lines[3].isEmpty, "CRLF after every row")
        #expect(lines[0] == "image,convoy,length_km,length_uncertainty_km,vehicles,confidence,head_lat,head_lon,tail_lat,tail_lon,target,distance_km,bearing_deg")
        #expect(lines[1] == "\"a, \"\"b\"\".jpg\",1,1.25,0.01,12,0.75,50.9,29.9,50.8,30.0,\"Kyiv, UA\",25.5,140.0")
        #expect(lines[2] == "c.png,1,1.25,0.01,12,0.75,,,,,,,")
    }

    /// An image named like a formula, from a scraped folder, stays text when the CSV is opened
    /// in a spreadsheet; negative coordinates stay numbers.
    @Test func csvTextThatLooksLikeAFormulaIsMadeInert() throws {
        let items = [ExportedConvoy(image: "=HYPERLINK(\"http://x\").jpg", number: 1,
                                    convoy: try Self.convoy(path: [[-0.5, -10.0], [-0.6, -10.1]], target: false))]
        let row = String(decoding: CSVExport.export(items).data, as: UTF8.self).components(separatedBy: "\r\n")[1]
        #expect(row == "\"'=HYPERLINK(\"\"http://x\"\").jpg\",1,1.25,0.01,12,0.75,-10.0,-0.5,-10.1,-0.6,,,")
    }

    @Test func atomicFileReplacesWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-atomic-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try AtomicFile.write(Array("old".utf8), to: path)
        try AtomicFile.write(Array("new text".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new text")
        #expect(throws: ExportError.self) { try AtomicFile.write([1], to: "/nonexistent-\(UUID().uuidString)/x") }
    }
}

/// Element names, namespaces and texts of an XML document.
final class ElementCollector: NSObject, XMLParserDelegate {
    var names: [String] = []
    var namespaces: Set<String> = []
    var texts: [String: [String]] = [:]
    private var text = ""

    func count(_ name: String) -> Int { names.filter { $0 == name }.count }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        names.append(elementName)
        if let namespaceURI { namespaces.insert(namespaceURI) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        texts[elementName, default: []].append(text)
        text = ""
    }
}
