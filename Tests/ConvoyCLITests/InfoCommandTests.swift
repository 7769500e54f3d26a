import Foundation
import Testing

/// End to end: `convoy info` as a user runs it, output compared exactly.
@Suite struct InfoCommandTests {
    @Test func textTableListsEachFile() throws {
        let r = try ConvoyBinary.run(["info", ConvoyBinary.fixture("tiff-rgba16-lzw-tiled.tif"), ConvoyBinary.fixture("jpeg-gray.jpg")])
        #expect(r.status == 0)
        #expect(r.stderr == "")
        #expect(r.stdout == """
            FILE                                                         FORMAT  WIDTH  HEIGHT  BANDS  BITS  COLOR  COMPRESSION      GEOREFERENCE
            Tests/ConvoyImageIOTests/Fixtures/tiff-rgba16-lzw-tiled.tif  tiff    40     28      4      16    rgba   lzw tiled 16x16  none
            Tests/ConvoyImageIOTests/Fixtures/jpeg-gray.jpg              jpeg    40     28      1      8     gray   jpeg-baseline    none

            """)
    }

    /// `convoy info tiles/*` lists the images, not their world files and .prj as broken images.
    @Test func sidecarsGivenWithTheirImageAreNotListed() throws {
        let r = try ConvoyBinary.run(["info", "--format", "json", "--header-only", "SampleImages/ivankiv-road.jgw",
                                      "SampleImages/ivankiv-road.jpg", "SampleImages/ivankiv-road.prj"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "convoy: note: 2 georeference sidecar(s) given with their images, read as such, not as images\n")
        let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(array.map { $0["path"] as? String } == ["SampleImages/ivankiv-road.jpg"])
    }

    @Test func jsonHasOneObjectPerFile() throws {
        let r = try ConvoyBinary.run(["info", "--format", "json", ConvoyBinary.fixture("tiff-rgb8-bigtiff.tif"),
                                      ConvoyBinary.fixture("jpeg-cmyk.jpg")])
        #expect(r.status == 0)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 2)
        #expect(array[0]["path"] as? String == ConvoyBinary.fixture("tiff-rgb8-bigtiff.tif"))
        #expect(array[0]["format"] as? String == "tiff")
        #expect(array[0]["width"] as? Int == 40 && array[0]["height"] as? Int == 28)
        #expect(array[0]["bands"] as? Int == 3 && array[0]["bit_depth"] as? Int == 8)
        #expect(array[1]["format"] as? String == "jpeg")
        #expect(array[1]["bands"] as? Int == 3, "CMYK is delivered as RGB, as gdalinfo counts it")
    }

    /// A broken file among good ones: the good ones are still reported, the broken one gets
    /// {"path", "error"}, its message goes to stderr naming it, and the exit code is 1.
    @Test func brokenFileGetsAnErrorRecordAndExitCode1() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("cut.jpg").path
        let data = try Data(contentsOf: ConvoyBinary.repositoryRoot.appendingPathComponent(ConvoyBinary.fixture("jpeg-baseline-rgb.jpg")))
        try data.prefix(data.count - 40).write(to: URL(fileURLWithPath: broken))
        let text = dir.appendingPathComponent("notes.jpg").path
        try Data("not an image".utf8).write(to: URL(fileURLWithPath: text))

        let r = try ConvoyBinary.run(["info", "--format", "json", ConvoyBinary.fixture("jpeg-gray.jpg"), broken, text])
        #expect(r.status == 1)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(array.count == 3)
        #expect(array[0]["width"] as? Int == 40)
        #expect(Set(array[1].keys) == ["path", "error"])
        #expect((array[1]["error"] as? String)?.contains("truncated") == true)
        #expect((array[2]["error"] as? String)?.contains("not a PNG, JPEG or TIFF") == true)
        #expect(r.stderr.contains("convoy: \(broken): JPEG: premature end of data (truncated file)"))
        #expect(r.stderr.contains("convoy: \(text): not a PNG, JPEG or TIFF image"))
    }

    @Test func headerOnlySkipsThePixelCheck() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent("cut.jpg").path
        let data = try Data(contentsOf: ConvoyBinary.repositoryRoot.appendingPathComponent(ConvoyBinary.fixture("jpeg-baseline-rgb.jpg")))
        try data.prefix(data.count - 40).write(to: URL(fileURLWithPath: broken))
        #expect(try ConvoyBinary.run(["info", "--header-only", broken]).status == 0)
        #expect(try ConvoyBinary.run(["info", broken]).status == 1)
    }

    @Test(arguments: [["info"], ["info", "--format", "xml", "a.png"], ["info", "--max-pixels", "0", "a.png"], ["frobnicate"]])
    func usageErrorExits64(_ arguments: [String]) throws {
        let r = try ConvoyBinary.run(arguments)
        #expect(r.status == 64)
        #expect(r.stderr.contains("Error:") || r.stderr.contains("Usage:"))
    }

    @Test func maxPixelsRefusesLargerImages() throws {
        let r = try ConvoyBinary.run(["info", "--max-pixels", "1000", ConvoyBinary.fixture("jpeg-gray.jpg")])
        #expect(r.status == 1)
        #expect(r.stderr.contains("1120 pixels; the limit is 1000 pixels"))
    }

    @Test func undecodableFileIsDescribedWithItsReason() throws {
        let r = try ConvoyBinary.run(["info", "--format", "json", ConvoyBinary.fixture("unsupported-float32.tif")])
        #expect(r.status == 1)
        let record = try #require((try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])?.first)
        #expect(record["width"] as? Int == 40 && record["bit_depth"] as? Int == 32)
        #expect((record["error"] as? String)?.contains("floating point samples are not supported") == true)
        #expect(r.stderr.contains("unsupported-float32.tif: TIFF: floating point"))
    }
}
