// World files and their CRS sidecars: parsing as tolerant as GDAL's GDALLoadWorldFile, errors
// that name file and line, case-insensitive discovery next to the image, and GDAL PAM .aux.xml.
import Foundation
import Testing
@testable import ConvoyGeo

@Suite("WorldFile and CRS sidecars")
struct WorldFileTests {
    static let good: [(String, String, WorldFile)] = [
        ("plain", "1.0\n0.0\n0.0\n-1.0\n3397800.5\n6521199.5\n", WorldFile(a: 1, d: 0, b: 0, e: -1, c: 3397800.5, f: 6521199.5)),
        ("CRLF and surrounding spaces", "  0.5 \r\n\t0\r\n0  \r\n-0.5\r\n 304000.25\r\n5605999.75  \r\n",
         WorldFile(a: 0.5, d: 0, b: 0, e: -0.5, c: 304000.25, f: 5605999.75)),
        ("blank lines and no final newline", "\n30\n\n0\n0\n\n-30\n491015\n9721985", WorldFile(a: 30, d: 0, b: 0, e: -30, c: 491015, f: 9721985)),
        ("trailing commas", "1.0,\n0.0,\n0.0,\n-1.0,\n100.5,\n200.5,\n", WorldFile(a: 1, d: 0, b: 0, e: -1, c: 100.5, f: 200.5)),
        ("rotation terms and exponents", "4.33012701892219e-01\n0.25\n0.25\n-4.33012701892219E-01\n304000.34150635096\n5605999.908493649\n",
         WorldFile(a: 0.433012701892219, d: 0.25, b: 0.25, e: -0.433012701892219, c: 304000.34150635096, f: 5605999.908493649)),
        ("decimal comma", "0,5\n0\n0\n-0,5\n100,25\n200,75\n", WorldFile(a: 0.5, d: 0, b: 0, e: -0.5, c: 100.25, f: 200.75)),
        ("lines after the sixth are ignored, like GDAL", "1\n0\n0\n-1\n10\n20\nextra text\n", WorldFile(a: 1, d: 0, b: 0, e: -1, c: 10, f: 20)),
    ]

    @Test("good world files", arguments: good.indices)
    func parsesGood(_ index: Int) throws {
        let (_, text, expected) = Self.good[index]
        #expect(try WorldFile.parse(text, fileName: "scene.pgw") == expected)
    }

    static let bad: [(String, String)] = [
        ("1\n0\n0\n-1\n10\n", "malformed world file scene.pgw: expected 6 numbers (A, D, B, E, C, F), found 5"),
        ("1\n0\nzero\n-1\n10\n20\n", "malformed world file scene.pgw, line 3: 'zero' is not a number"),
        ("1\n0\n0\nNaN\n10\n20\n", "malformed world file scene.pgw, line 4: 'NaN' is not a finite number"),
        ("1\n0\n0\n-1\ninf\n20\n", "malformed world file scene.pgw, line 5: 'inf' is not a finite number"),
        ("1\n\n0\n0\n-1\n10\n0x14\n", "malformed world file scene.pgw, line 7: '0x14' is not a number"),
        ("0\n0\n0\n-1\n10\n20\n", "malformed world file scene.pgw: pixel size is zero (degenerate transform)"),
        ("", "malformed world file scene.pgw: expected 6 numbers (A, D, B, E, C, F), found 0"),
        ("1 0 0 -1 10 20\n", "malformed world file scene.pgw, line 1: '1 0 0 -1 10 20' is not a number"),
    ]

    @Test("bad world files: the error names the file and the line", arguments: bad.indices)
    func rejectsBad(_ index: Int) {
        let (text, message) = Self.bad[index]
        #expect {
            _ = try WorldFile.parse(text, fileName: "scene.pgw")
        } throws: { error in "\(error)" == message }
    }

    @Test("world file → geotransform matches gdalinfo to 1e-9 relative (centre → corner)",
          arguments: worldFileImageReferences.filter { $0.worldFile != nil })
    func matchesGDAL(_ reference: WorldFileImageReference) throws {
        let world = try WorldFile.parse(try #require(reference.worldFile), fileName: "scene.wld")
        let expected = try #require(reference.gdalGeoTransform)
        for (actual, gdal) in zip(world.geoTransform.coefficients, expected) {
            #expect(isClose(actual, gdal, relative: 1e-9))
        }
    }

    @Test("regression: world-file numbers are pixel CENTRES; using them as corners shifts the image half a pixel")
    func centreNotCorner() throws {
        let world = try WorldFile.parse("2\n0\n0\n-2\n101\n199\n", fileName: "x.tfw")
        #expect(world.geoTransform.x0 == 100 && world.geoTransform.y0 == 200)
    }

    @Test("GDAL PAM aux.xml: SRS (XML-unescaped) and GeoTransform", arguments: worldFileImageReferences.filter { $0.auxXML != nil })
    func auxXML(_ reference: WorldFileImageReference) throws {
        let aux = try CRSSidecar.parseAuxXML(try #require(reference.auxXML), fileName: "scene.png.aux.xml")
        let srs = try #require(aux.srs)
        #expect(srs.hasPrefix("PROJCS[\"WGS 84 / Pseudo-Mercator\""))
        #expect(try CoordinateReferenceSystem(definition: srs).epsgCode == reference.epsg)
    }

    @Test("aux.xml parser: entities, CDATA, nesting and errors")
    func auxXMLDetails() throws {
        let escaped = """
        <?xml version="1.0"?>
        <!-- written by hand -->
        <PAMDataset>
          <Metadata><MDI key="SRS">not this one</MDI></Metadata>
          <SRS dataAxisToSRSAxisMapping="1,2">GEOGCS[&quot;WGS 84&quot;,DATUM[&#34;WGS_1984&#x22;,SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]]</SRS>
          <GeoTransform>  3.0e+01,  1.0e-04,  0.0,  5.046e+01,  0.0, -1.0e-04</GeoTransform>
          <PAMRasterBand band="1"><SRS>ignored</SRS></PAMRasterBand>
        </PAMDataset>
        """
        let aux = try CRSSidecar.parseAuxXML(escaped, fileName: "a.aux.xml")
        #expect(aux.srs?.hasPrefix("GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\"") == true)
        #expect(aux.geoTransform == GeoTransform(x0: 30, a: 1e-4, b: 0, y0: 50.46, d: 0, e: -1e-4))
        #expect(try CoordinateReferenceSystem(definition: aux.srs ?? "").epsgCode == 4326)

        let cdata = try CRSSidecar.parseAuxXML("<PAMDataset><SRS><![CDATA[EPSG:3857]]></SRS></PAMDataset>", fileName: "b.aux.xml")
        #expect(cdata.srs == "EPSG:3857" && cdata.geoTransform == nil)
        #expect(try CRSSidecar.parseAuxXML("<PAMDataset/>", fileName: "c.aux.xml").srs == nil)

        for (xml, reason) in [("<PAMDataset><SRS>x</PAMDataset>", "does not close"), ("<Other/>", "root element is <Other>"),
                              ("<PAMDataset><SRS>&bogus;</SRS></PAMDataset>", "unknown entity"),
                              ("<PAMDataset><GeoTransform>1,2,3</GeoTransform></PAMDataset>", "six numbers"), ("", "no <PAMDataset>")] {
            #expect {
                _ = try CRSSidecar.parseAuxXML(xml, fileName: "bad.aux.xml")
            } throws: { error in "\(error)".contains("bad.aux.xml") && "\(error)".contains(reason) }
        }
    }

    // MARK: files next to an image

    private func withDirectory(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("convoygeo-wf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, content) in files {
            try content.write(to: directory.appendingPathComponent(name), atomically: false, encoding: .utf8)
        }
        try body(directory)
    }

    /// Folder listings are kept between lookups (`DirectoryListing`: 3,000 tiles took 49–103 s
    /// to list before) but taken again once the folder changes: a world file written after its
    /// folder was listed is found.
    @Test func aWorldFileWrittenAfterTheFolderWasListedIsFound() throws {
        try withDirectory(["scene.png": ""]) { directory in
            // the folder last changed a minute ago, so its listing is kept
            let minuteAgo = timespec(tv_sec: Int(Date().timeIntervalSince1970) - 60, tv_nsec: 0)
            var times = [minuteAgo, minuteAgo]
            #expect(utimensat(AT_FDCWD, directory.path, &times, 0) == 0)
            let image = directory.appendingPathComponent("scene.png").path
            #expect(WorldFile.find(forImage: image) == nil)
            #expect(WorldFile.find(forImage: image) == nil) // from the kept listing
            try "1\n0\n0\n-1\n0\n0\n".write(to: directory.appendingPathComponent("Scene.PGW"), atomically: false, encoding: .utf8)
            #expect(WorldFile.find(forImage: image) == directory.appendingPathComponent("Scene.PGW").path)
        }
    }

    /// `convoy measure tiles/*` and `convoy info tiles/*`: the sidecars of images among the
    /// arguments are set apart in any letter case and any spelling of their path; a world file
    /// whose image is not among them stays an argument (and is refused as no image).
    @Test func sidecarsOfImagesAmongTheArgumentsAreSetApart() throws {
        try withDirectory(["scene.jpg": "", "SCENE.JGW": "1\n0\n0\n-1\n0\n0\n", "scene.prj": "x", "lone.jgw": "x",
                           "other.png": ""]) { directory in
            func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
            let arguments = [path("SCENE.JGW"), path("scene.jpg"), directory.path + "/./scene.prj", path("lone.jgw"), path("other.png")]
            let (images, sidecars) = GeoreferenceSidecars.separate(arguments)
            #expect(images == [path("scene.jpg"), path("lone.jgw"), path("other.png")])
            #expect(sidecars == [path("SCENE.JGW"), directory.path + "/./scene.prj"])
        }
    }

    @Test("sidecar names: first+last letter + w, ext + w, .wld",
          arguments: [("scene.png", ["scene.pgw", "scene.pngw", "scene.wld"]), ("a.b.jpg", ["a.b.jgw", "a.b.jpgw", "a.b.wld"]),
                      ("x.tiff", ["x.tfw", "x.tiffw", "x.wld"]), ("x.tif", ["x.tfw", "x.tifw", "x.wld"])])
    func candidateNames(_ image: String, _ names: [String]) {
        #expect(WorldFile.candidateNames(forImage: "/data/" + image) == names)
    }

    @Test("world file and .prj are found in any letter case",
          arguments: [("SCENE.PGW", "SCENE.PRJ"), ("scene.PngW", "Scene.prj"), ("Scene.WLD", "scene.Prj"), ("scene.jpgw", "scene.prj")])
    func caseInsensitiveDiscovery(_ worldName: String, _ prjName: String) throws {
        let image = worldName.lowercased().hasSuffix("jpgw") ? "scene.jpg" : "scene.png"
        let wkt = try CoordinateReferenceSystem(epsg: 3857).wkt
        try withDirectory([image: "", worldName: "1\n0\n0\n-1\n3397800.5\n6521199.5\n", prjName: wkt]) { directory in
            let imagePath = directory.appendingPathComponent(image).path
            let georeference = try #require(try Georeference.fromSidecars(imagePath: imagePath, crsOverride: nil))
            #expect(georeference.source == .worldFile(worldFile: worldName, crsFile: prjName))
            #expect(georeference.source.description == "world file \(worldName) + \(prjName)")
            #expect(georeference.crs.epsgCode == 3857)
            #expect(georeference.geoTransform == GeoTransform(x0: 3397800, a: 1, b: 0, y0: 6521200, d: 0, e: -1))
        }
    }

    @Test("regression: a world file without .prj/.aux.xml must not silently assume a CRS")
    func missingCRSNamesTheFlag() throws {
        try withDirectory(["scene.png": "", "scene.pgw": "1\n0\n0\n-1\n3397800.5\n6521199.5\n"]) { directory in
            let imagePath = directory.appendingPathComponent("scene.png").path
            #expect {
                _ = try Georeference.fromSidecars(imagePath: imagePath, crsOverride: nil)
            } throws: { error in
                let text = "\(error)"
                return text.contains("scene.png") && text.contains("scene.pgw") && text.contains("--crs")
            }
            let withFlag = try #require(try Georeference.fromSidecars(imagePath: imagePath, crsOverride: try CoordinateReferenceSystem(epsg: 3857)))
            #expect(withFlag.source.description == "world file scene.pgw + --crs")
        }
    }

    @Test("aux.xml SRS wins over .prj; aux.xml GeoTransform alone georeferences an image")
    func auxXMLPrecedence() throws {
        let mercator = worldFileImageReferences[0].auxXML ?? ""
        try withDirectory(["scene.png": "", "scene.png.aux.xml": mercator, "scene.prj": try CoordinateReferenceSystem(epsg: 32636).wkt,
                           "scene.pgw": "1\n0\n0\n-1\n3397800.5\n6521199.5\n"]) { directory in
            let imagePath = directory.appendingPathComponent("scene.png").path
            let georeference = try #require(try Georeference.fromSidecars(imagePath: imagePath, crsOverride: nil))
            #expect(georeference.crs.epsgCode == 3857)
            #expect(georeference.source.description == "world file scene.pgw + scene.png.aux.xml")
        }
        let pam = "<PAMDataset><SRS>EPSG:32636</SRS><GeoTransform>304000, 1, 0, 5606000, 0, -1</GeoTransform></PAMDataset>"
        try withDirectory(["scene.png": "", "scene.png.aux.xml": pam]) { directory in
            let georeference = try #require(try Georeference.fromSidecars(imagePath: directory.appendingPathComponent("scene.png").path, crsOverride: nil))
            #expect(georeference.source == .auxXML(file: "scene.png.aux.xml"))
            #expect(georeference.geoTransform.x0 == 304000)
        }
    }

    @Test("no sidecars → nil (not georeferenced); malformed world file → error naming it")
    func noneAndMalformed() throws {
        try withDirectory(["scene.png": ""]) { directory in
            let none = try Georeference.fromSidecars(imagePath: directory.appendingPathComponent("scene.png").path, crsOverride: nil)
            #expect(none == nil)
        }
        try withDirectory(["scene.png": "", "scene.pgw": "1\n0\n0\n-1\n10\n"]) { directory in
            #expect {
                _ = try Georeference.fromSidecars(imagePath: directory.appendingPathComponent("scene.png").path, crsOverride: nil)
            } throws: { error in "\(error)".contains("scene.pgw") && "\(error)".contains("found 5") }
        }
    }
}
