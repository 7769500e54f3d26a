import ConvoyBatch
import Foundation
import Testing

/// The child-process worker, with stand-in executables that crash, hang, fail or print nonsense:
/// each becomes an error record naming the reason, and the caller goes on.
@Suite struct MeasureWorkerTests {
    static let image = InputFile(path: "in/a.jpg", relativePath: "a.jpg", size: 1, mtime: 2, signature: .jpeg, problem: nil)

    /// A shell script standing in for `convoy`.
    static func worker(_ body: String, timeout: Double? = nil) throws -> (MeasureWorker, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-worker-\(UUID().uuidString).sh")
        try Data("#!/bin/sh\n\(body)\n".utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        return (MeasureWorker(executable: url, arguments: [], timeout: timeout), url)
    }

    @Test func crashBecomesAnErrorRecord() throws {
        let (worker, url) = try Self.worker("kill -SEGV $$")
        defer { try? FileManager.default.removeItem(at: url) }
        let record = worker.measure(Self.image)
        #expect(!record.ok)
        #expect(record.error?.contains("crashed (signal 11, segmentation fault)") == true, "\(record.error ?? "")")
        #expect(record.path == "in/a.jpg" && record.size == 1 && record.mtime == 2)
    }

    @Test func hangIsStoppedAtTheTimeLimit() throws {
        let (worker, url) = try Self.worker("exec sleep 30", timeout: 0.5)
        defer { try? FileManager.default.removeItem(at: url) }
        let record = worker.measure(Self.image)
        #expect(record.error?.contains("timed out after 0.5 s") == true, "\(record.error ?? "")")
    }

    @Test func failureGivesTheChildsReasonWithoutPrefixes() throws {
        let (worker, url) = try Self.worker("echo 'convoy: note: something' >&2; echo \"convoy: $2: JPEG: premature end\" >&2; exit 1")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(worker.measure(Self.image).error == "JPEG: premature end")
    }

    @Test func unreadableReportIsAnError() throws {
        let (worker, url) = try Self.worker("echo 'not json'")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(worker.measure(Self.image).error?.contains("no readable report") == true)
    }

    @Test func reportIsTakenWithTheTargetName() throws {
        let report = """
            {"images": [{"path": "in/a.jpg", "width": 4, "height": 3}], "warnings": [], "convoys": [{"length_km": 1, \
            "length_uncertainty_km": 0, "vehicles": 10, "vehicles_estimated": false, "confidence": 0.5, \
            "head_at_image_edge": false, "tail_at_image_edge": false, "images": ["in/a.jpg"], \
            "target": {"lat": 1, "lon": 2, "distance_km": 3, "bearing_deg": 4}}]}
            """
        let (base, url) = try Self.worker("cat <<'JSON'\n\(report)\nJSON")
        defer { try? FileManager.default.removeItem(at: url) }
        var worker = base
        worker.targetName = "Kyiv, UA"
        let record = worker.measure(Self.image)
        #expect(record.ok && record.width == 4 && record.height == 3 && record.warnings == nil)
        #expect(record.convoys?.first?.target?.name == "Kyiv, UA")
    }

    @Test func fileWithAProblemIsNotRun() throws {
        let (worker, url) = try Self.worker("exit 0")
        defer { try? FileManager.default.removeItem(at: url) }
        var file = Self.image
        file.problem = "empty file, not a PNG, JPEG or TIFF"
        #expect(worker.measure(file).error == "empty file, not a PNG, JPEG or TIFF")
    }
}
