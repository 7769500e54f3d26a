// CRS parsing through PROJ: EPSG codes, WKT (OGC and ESRI), PROJ strings, files, and errors.
import Foundation
import Testing
@testable import ConvoyGeo

@Suite("CoordinateReferenceSystem")
struct CoordinateReferenceSystemTests {
    @Test("EPSG codes: kind, unit and identifier",
          arguments: [(3857, CoordinateReferenceSystem.Kind.projected, "metre"), (4326, .geographic, "degree"),
                      (32636, .projected, "metre"), (32736, .projected, "metre"), (2263, .projected, "US survey foot")])
    func epsg(_ code: Int, _ kind: CoordinateReferenceSystem.Kind, _ unit: String) throws {
        let crs = try CoordinateReferenceSystem(epsg: code)
        #expect(crs.epsgCode == code)
        #expect(crs.identifier == "EPSG:\(code)")
        #expect(crs.kind == kind)
        #expect(crs.unitName == unit)
        #expect(crs.wkt.contains("ID[\"EPSG\",\(code)]"))
        if kind == .projected { #expect(crs.metresPerUnit != nil) } else { #expect(crs.metresPerUnit == nil) }
    }

    @Test("US survey foot CRS reports its metres per unit")
    func usFeet() throws {
        let crs = try CoordinateReferenceSystem(epsg: 2263)
        #expect(abs((crs.metresPerUnit ?? 0) - 1200.0 / 3937.0) < 1e-12)
    }

    @Test("unknown EPSG code is an error naming the value")
    func unknownEPSG() {
        #expect {
            _ = try CoordinateReferenceSystem(userInput: "EPSG:99999")
        } throws: { error in
            let text = "\(error)"
            return text.contains("EPSG:99999") && text.hasPrefix("invalid CRS")
        }
    }

    @Test("an EPSG code of something that is not a CRS (an ellipsoid) is rejected")
    func notACRS() {
        #expect {
            _ = try CoordinateReferenceSystem(definition: "urn:ogc:def:ellipsoid:EPSG::7030")
        } throws: { error in "\(error)".contains("ellipsoid") }
    }

    @Test("garbage definitions are errors naming the value", arguments: ["", "not a crs", "+proj=nonsense", "PROJCS[\"broken\""])
    func garbage(_ text: String) {
        #expect(throws: GeoError.self) { _ = try CoordinateReferenceSystem(definition: text) }
    }

    @Test("ESRI .prj WKT without AUTHORITY is identified as EPSG:32636 (proj_identify, confidence 100)")
    func esriIdentify() throws {
        let prj = try #require(worldFileImageReferences.first { $0.prj != nil }?.prj)
        #expect(!prj.contains("AUTHORITY"))
        let crs = try CoordinateReferenceSystem(definition: prj)
        #expect(crs.epsgCode == 32636)
    }

    @Test("PROJ strings work without +type=crs")
    func projString() throws {
        let crs = try CoordinateReferenceSystem(userInput: "+proj=utm +zone=36 +datum=WGS84 +units=m +no_defs")
        #expect(crs.kind == .projected)
        #expect(crs.unitName == "metre")
    }

    @Test("--crs forms: bare number, file path, WKT text")
    func userInputForms() throws {
        #expect(try CoordinateReferenceSystem(userInput: "3857").epsgCode == 3857)
        let wkt = try CoordinateReferenceSystem(epsg: 32736).wkt
        #expect(try CoordinateReferenceSystem(userInput: wkt).epsgCode == 32736)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convoygeo-crs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let prj = directory.appendingPathComponent("scene.prj")
        try wkt.write(to: prj, atomically: false, encoding: .utf8)
        #expect(try CoordinateReferenceSystem(userInput: prj.path).epsgCode == 32736)
        #expect(throws: GeoError.self) { _ = try CoordinateReferenceSystem(contentsOfFile: directory.appendingPathComponent("missing.prj").path) }
    }

    @Test("transform: Web Mercator origin and a UTM round trip")
    func transform() throws {
        let mercator = try CoordinateTransform(from: try CoordinateReferenceSystem(epsg: 3857))
        let origin = try mercator.lonLat(MapPoint(x: 0, y: 0))
        #expect(abs(origin.lon) < 1e-12 && abs(origin.lat) < 1e-12)
        let utm = try CoordinateTransform(from: try CoordinateReferenceSystem(epsg: 32636))
        let kyiv = LonLat(lon: 30.5238, lat: 50.45466)
        let back = try utm.lonLat(try utm.mapPoint(kyiv))
        #expect(abs(back.lon - kyiv.lon) < 1e-9 && abs(back.lat - kyiv.lat) < 1e-9)
    }

    @Test("regression: EPSG:4326 axis order is normalised (x = longitude), not latitude-first")
    func axisOrder() throws {
        let geographic = try CoordinateTransform(from: try CoordinateReferenceSystem(epsg: 4326))
        let p = try geographic.lonLat(MapPoint(x: 30.5, y: 50.4))
        #expect(p.lon == 30.5 && p.lat == 50.4)
    }

    @Test("points outside a projection's domain are errors, not garbage numbers")
    func outsideDomain() throws {
        let ortho = try CoordinateTransform(from: try CoordinateReferenceSystem(definition: "+proj=ortho +lat_0=50 +lon_0=30 +datum=WGS84"))
        #expect(throws: GeoError.self) { _ = try ortho.mapPoint(LonLat(lon: -150, lat: -50)) }  // far side of the globe
        #expect(throws: GeoError.self) { _ = try ortho.lonLat(MapPoint(x: 1e8, y: 0)) }          // off the disk
        #expect(try ortho.lonLat([]).isEmpty)
    }

    @Test("one transform can be used from many tasks at once")
    func concurrentUse() async throws {
        let utm = try CoordinateTransform(from: try CoordinateReferenceSystem(epsg: 32636))
        let expected = try utm.lonLat(MapPoint(x: 304000, y: 5606000))
        try await withThrowingTaskGroup(of: LonLat.self) { group in
            for _ in 0..<32 { group.addTask { try utm.lonLat(MapPoint(x: 304000, y: 5606000)) } }
            for try await result in group { #expect(result == expected) }
        }
    }
}
