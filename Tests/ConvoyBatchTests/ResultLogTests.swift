import ConvoyBatch
import Foundation
import Testing

/// The append-only log: whole records, a torn tail isolated, resume and merge rules.
@Suite struct ResultLogTests {
    static func temporary() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("convoy-log-\(UUID().uuidString).jsonl").path
    }

    @Test func appendAfterATornLineKeepsEveryWholeRecord() throws {
        let path = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = BatchRecord(path: "a.jpg", ok: true, convoys: [], size: 1, mtime: 2)
        let second = BatchRecord(path: "b.jpg", ok: false, error: "broken", size: 3, mtime: 4)
        try (first.line() + Data("{\"path\":\"half".utf8)).write(to: URL(fileURLWithPath: path))
        do {
            let log = try ResultLog(path: path)
            try log.append(second)
        }
        let (records, problems) = try ResultLog.read(path: path)
        #expect(records == [first, second])
        #expect(problems.count == 1 && problems[0].line == 2 && !problems[0].isIncompleteLastLine)
    }

    @Test func secondWriterIsRefused() throws {
        let path = Self.temporary()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let log = try ResultLog(path: path)
        #expect(throws: BatchError.self) { try ResultLog(path: path) }
        _ = log
    }

    @Test func resumeSkipsOnlyTheSameVersionOfAFile() {
        let file = InputFile(path: "d/a.jpg", relativePath: "a.jpg", size: 10, mtime: 100.5, signature: .jpeg, problem: nil)
        let ok = BatchRecord(path: "d/a.jpg", ok: true, convoys: [], size: 10, mtime: 100.5)
        let failed = BatchRecord(path: "d/a.jpg", ok: false, error: "x", size: 10, mtime: 100.5)
        #expect(ResumeIndex([ok]).entry(for: file) == ResumeIndex.Entry(ok))
        var edited = file
        edited.mtime = 101
        #expect(ResumeIndex([ok]).entry(for: edited) == nil)
        edited = file
        edited.size = 11
        #expect(ResumeIndex([ok]).entry(for: edited) == nil)
        #expect(ResumeIndex([ok, failed]).entry(for: file)?.ok == false, "the latest record counts")
        #expect(ResumeIndex([failed]).entry(for: file, retryFailed: true) == nil)
    }

    @Test func mergeKeepsOneRecordPerPath() {
        let old = BatchRecord(path: "a.jpg", ok: true, convoys: [], size: 1, mtime: 1)
        let new = BatchRecord(path: "a.jpg", ok: false, error: "e", size: 1, mtime: 2)
        let failed = BatchRecord(path: "b.jpg", ok: false, error: "e", size: 1, mtime: 1)
        let fixed = BatchRecord(path: "b.jpg", ok: true, convoys: [], size: 1, mtime: 1)
        let merged = Merge.combine([new, fixed, old, failed])
        #expect(merged == [new, fixed])
    }

    @Test func outputThatIsAnInputIsRefused() throws {
        #expect(throws: BatchError.self) { try OutputPath.refuseIfInput("x/../y.jsonl", inputs: ["a", "y.jsonl"]) }
        try OutputPath.refuseIfInput("out.jsonl", inputs: ["a.jsonl", "b.jsonl"])
    }
}
