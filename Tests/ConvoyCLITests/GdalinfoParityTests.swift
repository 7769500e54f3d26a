import Foundation
import Testing

/// `convoy info --format json` reports the size and band count that `gdalinfo -json` reports
/// (gdal-bin, installed by Scripts/test.sh), for every readable image the project has: the
/// decoder fixtures, SampleImages and the PngSuite files that must decode.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/gdalinfo"), "gdal-bin is not installed"))
struct GdalinfoParityTests {
    static var files: [String] {
        let fm = FileManager.default
        let root = ConvoyBinary.repositoryRoot
        var files: [String] = []
        for dir in ["Tests/ConvoyImageIOTests/Fixtures", "SampleImages"] {
            for name in (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)) ?? []
            where [".png", ".jpg", ".tif"].contains(where: name.hasSuffix) && !name.hasPrefix("unsupported") {
                files.append("\(dir)/\(name)")
            }
        }
        let manifest = (try? String(contentsOf: ConvoyBinary.sharedData.appendingPathComponent("pngsuite/MANIFEST.csv"), encoding: .utf8)) ?? ""
        for line in manifest.split(whereSeparator: \.isNewline).dropFirst() where line.contains(",decode,") {
            files.append(ConvoyBinary.sharedData.appendingPathComponent("pngsuite/\(line.split(separator: ",")[0])").path)
        }
        return files.sorted()
    }

    @Test func sizesAndBandsMatchGdalinfo() throws {
        let files = Self.files
        #expect(files.count > 180)
        let r = try ConvoyBinary.run(["info", "--format", "json"] + files)
        #expect(r.status == 0, "\(r.stderr)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        try #require(records.count == files.count)
        for (file, record) in zip(files, records) {
            let gdal = try gdalinfo(file)
            #expect(record["width"] as? Int == gdal.width && record["height"] as? Int == gdal.height, "\(file)")
            #expect(record["bands"] as? Int == gdal.bands, "\(file): convoy \(record["bands"] ?? "-") gdal \(gdal.bands)")
            if let expected = gdal.geoTransform {
                let mine = (record["georeference"] as? [String: Any])?["geotransform"] as? [Double]
                #expect(mine.map { zip($0, expected).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($1)) } } == true,
                        "\(file): geotransform \(mine ?? []) vs gdalinfo \(expected)")
            }
        }
    }

    func gdalinfo(_ file: String) throws -> (width: Int, height: Int, bands: Int, geoTransform: [Double]?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gdalinfo")
        process.arguments = ["-json", file]
        process.currentDirectoryURL = ConvoyBinary.repositoryRoot
        process.environment = ["GDAL_PAM_ENABLED": "NO"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        let size = json?["size"] as? [Int] ?? [0, 0]
        return (size[0], size[1], (json?["bands"] as? [Any])?.count ?? 0, json?["geoTransform"] as? [Double])
    }
}
