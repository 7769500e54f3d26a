@testable import ConvoyBatch
import ConvoyMeasure
import Foundation
import Testing

/// The JSON Lines reader behind resume and merge: whole records in, every bad line reported.
@Suite struct BatchRecordTests {
    static let good = BatchRecord(path: "a/b.jpg", ok: true, convoys: [], seconds: 1.5, size: 10, mtime: 1_700_000_000.123456789)
    static let failed = BatchRecord(path: "a/c.jpg", ok: false, error: "JPEG: premature end of data", size: 3, mtime: 5)

    @Test func recordsRoundTripExactly() throws {
        let data = try Self.good.line() + Self.failed.line()
        let (records, problems) = BatchRecord.parseLines(data)
        #expect(problems.isEmpty)
        #expect(records == [Self.good, Self.failed])
        #expect(try records[0].line() == Self.good.line(), "re-encoding gives the same bytes")
        #expect(data.filter { $0 == 0x0A }.count == 2, "one line per record")
    }

    /// Regression: results written before a convoy's evidence had `vehicles_on_path` and
    /// `blobs_two_abreast` (2026-11-30) must still resume and merge.
    @Test func aRecordWrittenBeforeTheCountEvidenceStillReads() throws {
        let line = Data(("{\"convoys\":[{\"confidence\":0.9022588857026687,\"evidence\":{\"aligned_fraction\":1,\"darker_than_road_fraction\":1,\"filled_gap_fraction\":0,\"lateral_spread_m\":0.7865048117740933,\"median_spacing_m\":25.927345823999815,\"road_band_fraction\":1,\"streak_fraction\":0,\"vehicles_per_km\":39.907183009520566,\"working_gsd_m\":0.49994648529486807},\"head\":{\"lat\":50.928427243453974,\"lon\":29.89406702128245},\"head_at_image_edge\":false,\"images\":[\"SampleImages/ivankiv-road.jpg\"],\"length_km\":0.35081403757626434,\"length_uncertainty_km\":0.052622105636439646,\"path\":[[29.89406702128245,50.928427243453974],[29.893662072405995,50.9283668477302],[29.89328682388444,50.92831353678455],[29.892852611234144,50.928264663964306],[29.892404063253185,50.928229630765614],[29.891999891231627,50.9282120184582],[29.89165316547526,50.92821221238889],[29.891347066304007,50.928225144597505],[29.89102827465612,50.928251857120905],[29.890664933744944,50.928297806111594],[29.890294011683306,50.92835875816681],[29.8899250112469,50.928430651517395],[29.88955895121144,50.92850813753906],[29.88919278279353,50.92859285304574]],\"tail\":{\"lat\":50.92859285304574,\"lon\":29.88919278279353},\"tail_at_image_edge\":false,\"target\":{\"bearing_deg\":139.58089641445866,\"distance_km\":68.97554144551259,\"lat\":50.45466,\"lon\":30.5238,\"name\":\"Kyiv, UA\"},\"vehicles\":14,\"vehicles_estimated\":false}],\"height\":500,\"mtime\":1795950868.9864795,\"ok\":true,\"path\":\"SampleImages/ivankiv-road.jpg\",\"seconds\":0.07993566989898682,\"size\":81391,\"width\":800}" + "\n").utf8) // `convoy batch` on the sample, as written at 8123f77
        let (records, problems) = BatchRecord.parseLines(line)
        #expect(problems.isEmpty)
        let evidence = try #require(records.first?.convoys?.first?.evidence)
        #expect(evidence.vehicles_on_path == nil && evidence.blobs_two_abreast == nil)
        #expect(records.first?.convoys?.first?.vehicles == 14)
    }

    @Test func tornLastLineIsReportedAsIncomplete() throws {
        let whole = try Self.good.line()
        let torn = try Self.failed.line().prefix(20)
        let (records, problems) = BatchRecord.parseLines(whole + torn)
        #expect(records == [Self.good])
        #expect(problems.count == 1 && problems[0].line == 2 && problems[0].isIncompleteLastLine)
    }

    @Test func garbageLinesAreSkippedWithTheirNumbers() throws {
        var data = Data("not json\n".utf8)
        data += try Self.good.line()
        data += Data("{\"path\": \"x\"}\n\n   \n{\"path\": \"y\", \"ok\": true}\n{\"path\": \"\", \"ok\": false, \"error\": \"e\"}\n[1,2]\r\n".utf8)
        data += Data([0xFF, 0xFE, 0x00, 0x0A])
        data += try Self.failed.line()
        let (records, problems) = BatchRecord.parseLines(data)
        #expect(records == [Self.good, Self.failed])
        #expect(problems.map(\.line) == [1, 3, 6, 7, 8, 9])
        #expect(problems.allSatisfy { !$0.isIncompleteLastLine })
        #expect(problems.contains { $0.reason.contains("ok record without") })
    }

    @Test func hostileLinesNeverTrap() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let deepObject = String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        let long = "{\"path\": \"" + String(repeating: "x", count: 5000) + "\", \"ok\": false, \"error\": \"e\"}"
        let data = Data((deep + "\n" + deepObject + "\n" + long + "\n").utf8) + (try Self.good.line())
        let (records, problems) = BatchRecord.parseLines(data, maxLineBytes: 4096)
        #expect(records == [Self.good])
        #expect(problems.map(\.line) == [1, 2, 3])
        #expect(problems[2].reason.contains("longer than"))
        // deterministic pseudo-random bytes with newlines
        var state: UInt64 = 42
        var noise = [UInt8]()
        for _ in 0..<200_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            noise.append(UInt8(truncatingIfNeeded: state >> 56))
        }
        let result = BatchRecord.parseLines(Data(noise))
        #expect(result.records.isEmpty)
        #expect(!result.problems.isEmpty)
    }

    /// Resume and merge read result files a piece at a time (`ResultLog.forEachRecord`, 1 MiB
    /// reads): lines cut anywhere by the pieces — a carriage return apart from its newline, a
    /// line too long to keep, a torn last line — read as they do whole.
    @Test func aStreamCutAnywhereReadsAsTheWholeDoes() throws {
        var data = Data("not json\n".utf8) + (try Self.good.line())
        data += Data(("{\"path\": \"x\"}\r\n\n  \r\n" + "{\"path\": \"" + String(repeating: "y", count: 300) + "\", \"ok\": false, \"error\": \"e\"}\r\n").utf8)
        data += try Self.failed.line()
        data += try Self.good.line().prefix(30)
        let whole = BatchRecord.parseLines(data, maxLineBytes: 200)
        #expect(whole.records == [Self.good, Self.failed])
        #expect(whole.problems.map(\.line) == [1, 3, 6, 8] && whole.problems.last?.isIncompleteLastLine == true)
        #expect(whole.problems[2].reason == "line of 339 bytes is longer than 200", "the length without its \\r")
        for piece in [1, 2, 3, 7, 64] {
            var splitter = LineSplitter(maxLineBytes: 200)
            var lines: [(Int, LineSplitter.Line, Bool)] = []
            data.withUnsafeBytes { all in
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + piece)
                    splitter.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { lines.append(($0, $1, $2)) }
                    start = end
                }
            }
            splitter.finish { lines.append(($0, $1, $2)) }
            var records: [BatchRecord] = [], problems: [BatchRecord.Problem] = []
            for (n, line, last) in lines {
                switch BatchRecord.parse(line, number: n, isLast: last, maxLineBytes: 200, decoder: JSONDecoder()) {
                case .record(let r): records.append(r)
                case .problem(let p): problems.append(p)
                case .blank: break
                }
            }
            #expect(records == whole.records && problems == whole.problems, "pieces of \(piece) bytes")
        }
    }

    /// A results file longer than one read: every record, in order, and the same problems.
    @Test func aResultsFileLongerThanOneReadIsReadWhole() throws {
        var data = Data()
        for k in 0..<20_000 {
            var r = Self.good
            r.path = "deliveries/tile-\(k).jpg"
            data += try r.line()
            if k == 4321 { data += Data("garbage\n".utf8) }
        }
        #expect(data.count > ResultLog.chunkBytes)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-long-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try data.write(to: URL(fileURLWithPath: path))
        var paths: [String] = []
        let problems = try ResultLog.forEachRecord(path: path) { paths.append($0.path) }
        #expect(paths == (0..<20_000).map { "deliveries/tile-\($0).jpg" })
        #expect(problems.map(\.line) == [4323])
        #expect(try ResultLog.forEachRecord(path: path + ".missing") { _ in }.isEmpty, "no file, no records")
        #expect(throws: BatchError.self) { try ResultLog.forEachRecord(path: path + ".missing", mustExist: true) { _ in } }
    }

    @Test func emptyInputHasNothing() {
        let (records, problems) = BatchRecord.parseLines(Data())
        #expect(records.isEmpty && problems.isEmpty)
    }
}
