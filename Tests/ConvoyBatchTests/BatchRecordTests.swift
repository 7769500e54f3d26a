import ConvoyBatch
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

    @Test func emptyInputHasNothing() {
        let (records, problems) = BatchRecord.parseLines(Data())
        #expect(records.isEmpty && problems.isEmpty)
    }
}
