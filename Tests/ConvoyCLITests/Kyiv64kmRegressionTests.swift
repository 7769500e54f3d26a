import Foundation
import Testing

/// The reference case: on 28 February 2022 Maxar imagery showed a column north-west of Kyiv,
/// reported as 64 km long along its road with its head about 25 km from the city. Its synthetic
/// reconstruction lies in SampleImages/kyiv-64km (48 georeferenced 2 m JPEG tiles, truth beside
/// them; Scripts/make-kyiv-64km-sample.sh regenerates it). This test guards the whole chain on
/// it: tiles joined in one plane, geodesic length, head found by the target.
///
/// It runs the release binary (Scripts/test.sh builds it; set CONVOY_RELEASE_BIN otherwise): 48
/// tiles take over a minute in a debug build.
@Suite struct Kyiv64kmRegressionTests {
    static let tiles = ConvoyBinary.repositoryRoot.appendingPathComponent("SampleImages/kyiv-64km")

    static var releaseBinary: String? {
        let path = ProcessInfo.processInfo.environment["CONVOY_RELEASE_BIN"]
            ?? ConvoyBinary.repositoryRoot.appendingPathComponent(".build/release/convoy").path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    @Test func truthIsTheReportedColumn() throws {
        let data = try Data(contentsOf: Self.tiles.appendingPathComponent("kyiv-64km.truth.json"))
        let truth = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let column = try #require((truth["convoys"] as? [[String: Any]])?.first)
        #expect(abs((column["length_m"] as? Double ?? 0) - 64_000) < 10)
        let jpegs = try FileManager.default.contentsOfDirectory(atPath: Self.tiles.path).filter { $0.hasSuffix(".jpg") }
        #expect(jpegs.count >= 40)
    }

    @Test(.enabled(if: releaseBinary != nil, "build the release binary first: swift build -c release --product convoy"))
    func measuresSixtyFourKilometresWithTheHeadTwentyFiveFromKyiv() throws {
        let jpegs = try FileManager.default.contentsOfDirectory(atPath: Self.tiles.path).filter { $0.hasSuffix(".jpg") }.sorted()
        let r = try ConvoyBinary.run(["measure"] + jpegs.map { "SampleImages/kyiv-64km/\($0)" }
                                         + ["--target", "Kyiv", "--max-gap", "1500", "--format", "json"],
                                     binary: Self.releaseBinary)
        #expect(r.status == 0, "\(r.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let convoys = report["convoys"] as? [[String: Any]] ?? []
        let longest = convoys.first
        let km = longest?["length_km"] as? Double ?? 0
        let headKm = (longest?["target"] as? [String: Any])?["distance_km"] as? Double ?? 0
        // Known to fail until the detector copes with forest and field clutter at 2 m per pixel
        // (issue 4): the expectations run for real, and Swift Testing reports when they start to
        // pass, so that this wrapper is removed then.
        withKnownIssue("issue 4: at 2 m per pixel the detector breaks the column up among forest and field clutter") {
            #expect(abs(km - 64) <= 64 * 0.02, "measured \(km) km")
            #expect(abs(headKm - 25) <= 0.5, "head \(headKm) km from Kyiv")
            #expect(convoys.count == 1, "\(convoys.count) convoys reported")
        }
    }
}
