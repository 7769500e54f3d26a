import Foundation
import Testing

/// End to end: `convoy batch` on a folder of good and broken images, resume, shards and merge.
@Suite struct BatchCommandTests {
    /// A temporary folder: two good georeferenced images (JPEG + world file + .prj, GeoTIFF), a
    /// truncated JPEG with its sidecars, a text file named .jpg, an empty .png and a note.
    static func mixedFolder() throws -> URL {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("convoy-batch-\(UUID().uuidString)")
        let images = dir.appendingPathComponent("images")
        try fm.createDirectory(at: images, withIntermediateDirectories: true)
        let samples = ConvoyBinary.repositoryRoot.appendingPathComponent("SampleImages")
        for name in ["good", "truncated"] {
            for ext in ["jgw", "prj"] {
                try fm.copyItem(at: samples.appendingPathComponent("ivankiv-road.\(ext)"), to: images.appendingPathComponent("\(name).\(ext)"))
            }
        }
        let jpeg = try Data(contentsOf: samples.appendingPathComponent("ivankiv-road.jpg"))
        try jpeg.write(to: images.appendingPathComponent("good.jpg"))
        try jpeg.prefix(jpeg.count / 3).write(to: images.appendingPathComponent("truncated.jpg"))
        try fm.copyItem(at: samples.appendingPathComponent("ivankiv-road-utm35n.tif"), to: images.appendingPathComponent("scene.tif"))
        try Data("this is not an image\n".utf8).write(to: images.appendingPathComponent("text.jpg"))
        try Data().write(to: images.appendingPathComponent("zero.png"))
        try Data("notes about the images\n".utf8).write(to: images.appendingPathComponent("notes.txt"))
        return dir
    }

    static func records(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    static func records(file: URL) throws -> [[String: Any]] {
        try records(String(decoding: try Data(contentsOf: file), as: UTF8.self))
    }

    /// Records by path, without the timing, for comparing runs.
    static func comparable(_ records: [[String: Any]]) -> [String: NSDictionary] {
        var out: [String: NSDictionary] = [:]
        for var r in records {
            r["seconds"] = nil
            out[r["path"] as? String ?? ""] = r as NSDictionary
        }
        return out
    }

    @Test func mixedFolderGivesOneRecordPerImageAndTheNumbersOfMeasure() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(["batch", "images", "--target", "Kyiv"], in: dir)
        #expect(r.status == 2, "some images failed: \(r.stderr)")
        let records = try Self.records(r.stdout)
        let byPath = Dictionary(uniqueKeysWithValues: records.map { ($0["path"] as? String ?? "", $0) })
        #expect(records.count == 5 && byPath.count == 5, "one record per image, none for sidecars and notes: \(byPath.keys)")
        for broken in ["images/truncated.jpg", "images/text.jpg", "images/zero.png"] {
            let record = try #require(byPath[broken])
            #expect(record["ok"] as? Bool == false)
            #expect((record["error"] as? String).map { !$0.isEmpty } == true)
            #expect(r.stderr.contains("convoy: \(broken): "), "stderr names \(broken)")
        }
        #expect((byPath["images/truncated.jpg"]?["error"] as? String)?.contains("premature end") == true)
        #expect((byPath["images/text.jpg"]?["error"] as? String)?.contains("not a PNG, JPEG or TIFF") == true)
        for good in ["images/good.jpg", "images/scene.tif"] {
            let record = try #require(byPath[good])
            #expect(record["ok"] as? Bool == true)
            #expect((record["seconds"] as? Double).map { $0 > 0 } == true)
            let convoys = try #require(record["convoys"] as? [[String: Any]])
            #expect(convoys.count == 1)
            let m = try ConvoyBinary.run(["measure", good, "--target", "Kyiv", "--format", "json"], in: dir)
            let report = try #require(try JSONSerialization.jsonObject(with: Data(m.stdout.utf8)) as? [String: Any])
            let measured = try #require(report["convoys"] as? [[String: Any]])
            #expect(convoys as NSArray == measured as NSArray, "batch prints the same convoy objects as measure")
        }
        #expect(r.stderr.contains("5 images: 2 measured, 3 failed"))
    }

    @Test func minConfidenceReachesTheChildrenAndTheLeftOutColumnsAreCounted() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(["batch", "images/good.jpg", "--min-confidence", "0.9999"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let record = try #require(try Self.records(r.stdout).first)
        #expect(record["ok"] as? Bool == true)
        #expect((record["convoys"] as? [Any])?.isEmpty == true, "the sample's column is below 0.9999")
        #expect(record["columns_below_min_confidence"] as? Int == 1)
    }

    /// `--explain` reaches the children, and each record says what was found but not reported
    /// and why, as `measure --explain` does; without it records have no such list.
    @Test func explainRecordsTheColumnsNotReportedAndWhy() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(["batch", "images/good.jpg", "--min-vehicles", "20", "--explain"], in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let record = try #require(try Self.records(r.stdout).first)
        #expect((record["convoys"] as? [Any])?.isEmpty == true, "the sample's column has 14 vehicles")
        let explained = try #require(record["not_reported"] as? [[String: Any]])
        #expect(explained.first?["rejection"] as? String == "too_few_vehicles")
        #expect(explained.first?["rejected_because"] as? String == "14 vehicles (fewer than --min-vehicles)")
        let plain = try ConvoyBinary.run(["batch", "images/good.jpg", "--min-vehicles", "20"], in: dir)
        #expect(try Self.records(plain.stdout).first?["not_reported"] == nil)
    }

    /// Regression: children of a batch that was killed outright went on measuring their images
    /// with nobody to read them. A child started for a batch that is not its parent stops at once.
    @Test func measuringChildWhoseBatchIsGoneStops() throws {
        // 999999 is above the kernel's default pid_max: certainly not this child's parent
        let r = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg"],
                                     environment: ["CONVOY_BATCH_PARENT_PID": "999999"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("the batch process (999999) that started this measurement is gone"), "\(r.stderr)")
        // without it, or with a value no batch would write, measure runs as usual
        for value in ["", "abc", "1"] {
            let plain = try ConvoyBinary.run(["measure", "SampleImages/ivankiv-road.jpg"], environment: ["CONVOY_BATCH_PARENT_PID": value])
            #expect(plain.status == 0, "\(value): \(plain.stderr)")
        }
    }

    @Test func resumeSkipsRecordedImagesAndAppendsOnlyNewOnes() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("results.jsonl")
        let first = try ConvoyBinary.run(["batch", "images", "--gsd", "0.5", "--out", "results.jsonl"], in: dir)
        #expect(first.status == 2, "\(first.stderr)")
        #expect(first.stdout.isEmpty, "with --out, nothing on stdout")
        let before = try Self.records(file: out)
        #expect(before.count == 5)
        // a kill mid-write would leave a torn line; resume must keep going and not lose records
        let handle = try FileHandle(forWritingTo: out)
        handle.seekToEndOfFile()
        handle.write(Data("{\"path\":\"images/torn".utf8))
        try handle.close()

        let second = try ConvoyBinary.run(["batch", "images", "--gsd", "0.5", "--out", "results.jsonl"], in: dir)
        #expect(second.status == 2, "the earlier failures still count: \(second.stderr)")
        #expect(second.stderr.contains("0 measured, 0 failed, 5 already in results.jsonl"), "\(second.stderr)")
        try FileManager.default.copyItem(at: dir.appendingPathComponent("images/good.jpg"),
                                         to: dir.appendingPathComponent("images/another.jpg"))
        let third = try ConvoyBinary.run(["batch", "images", "--gsd", "0.5", "--out", "results.jsonl"], in: dir)
        #expect(third.stderr.contains("1 measured, 0 failed, 5 already"), "\(third.stderr)")
        let text = String(decoding: try Data(contentsOf: out), as: UTF8.self)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 7, "5 records, the torn line, 1 new record")
        let after = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(after.count == 6)
        #expect(Set(after.compactMap { $0["path"] as? String }).count == 6, "no duplicates")
        #expect(after.last?["path"] as? String == "images/another.jpg" && after.last?["ok"] as? Bool == true)
    }

    @Test func threeShardsMergedEqualOneRun() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        for extra in ["b", "c", "d"] {
            try FileManager.default.copyItem(at: dir.appendingPathComponent("images/good.jpg"),
                                             to: dir.appendingPathComponent("images/\(extra).jpg"))
        }
        let whole = try ConvoyBinary.run(["batch", "images", "--gsd", "0.5", "--out", "all.jsonl"], in: dir)
        #expect(whole.status == 2)
        var shardCounts: [Int] = []
        for k in 1...3 {
            let r = try ConvoyBinary.run(["batch", "images", "--gsd", "0.5", "--shard", "\(k)/3", "--out", "shard\(k).jsonl"], in: dir)
            #expect(r.status == 0 || r.status == 2, "\(r.stderr)")
            shardCounts.append(FileManager.default.fileExists(atPath: dir.appendingPathComponent("shard\(k).jsonl").path)
                ? try Self.records(file: dir.appendingPathComponent("shard\(k).jsonl")).count : 0)
        }
        #expect(shardCounts.reduce(0, +) == 8, "every image in exactly one shard: \(shardCounts)")
        let merge = try ConvoyBinary.run(["merge", "shard1.jsonl", "shard2.jsonl", "shard3.jsonl", "all.jsonl", "--out", "merged.jsonl"], in: dir)
        #expect(merge.status == 0, "\(merge.stderr)")
        let merged = try Self.records(file: dir.appendingPathComponent("merged.jsonl"))
        #expect(merged.count == 8, "duplicates across the shards and the whole run merged")
        #expect(merged.compactMap { $0["path"] as? String } == merged.compactMap { $0["path"] as? String }.sorted())
        let shardsOnly = try ConvoyBinary.run(["merge", "shard1.jsonl", "shard2.jsonl", "shard3.jsonl", "--out", "shards.jsonl"], in: dir)
        #expect(shardsOnly.status == 0)
        #expect(Self.comparable(try Self.records(file: dir.appendingPathComponent("shards.jsonl")))
                == Self.comparable(try Self.records(file: dir.appendingPathComponent("all.jsonl"))))
    }

    @Test func timedOutImageBecomesAnErrorRecord() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(["batch", "images/good.jpg", "images/zero.png", "--timeout", "0.001"], in: dir)
        #expect(r.status == 2)
        let records = try Self.records(r.stdout)
        #expect(records.count == 2, "the batch goes on after a timeout")
        let good = try #require(records.first { $0["path"] as? String == "images/good.jpg" })
        #expect(good["ok"] as? Bool == false)
        #expect((good["error"] as? String)?.contains("timed out") == true)
    }

    @Test func outputThatIsAnInputIsRefused() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try ConvoyBinary.run(["batch", "images", "--gsd", "0.5", "--out", "images/good.jpg"], in: dir)
        #expect(r.status == 64, "a usage error, as for --overlay")
        #expect(r.stderr.contains("images/good.jpg") && r.stderr.contains("would overwrite the input"))
        let m = try ConvoyBinary.run(["merge", "a.jsonl", "--out", "./a.jsonl"], in: dir)
        #expect(m.status == 64 && m.stderr.contains("would overwrite the input"))
    }

    @Test(arguments: [["--shard", "4/3"], ["--jobs", "0"], ["--timeout", "-1"], ["--max-gap", "0"]])
    func badOptionIsAUsageError(_ options: [String]) throws {
        let r = try ConvoyBinary.run(["batch", "SampleImages"] + options)
        #expect(r.status == 64, "\(r.stderr)")
    }

    @Test func missingFolderIsAnInputError() throws {
        let r = try ConvoyBinary.run(["batch", "no-such-folder-\(UUID().uuidString)"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("convoy: no-such-folder-"))
    }

    @Test func mergeSkipsGarbageLinesAndSaysSo() throws {
        let dir = try Self.mixedFolder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let line = "{\"path\":\"x.jpg\",\"ok\":false,\"error\":\"broken\",\"size\":1,\"mtime\":2}\n"
        try Data((line + "garbage\n" + line).utf8).write(to: dir.appendingPathComponent("in.jsonl"))
        let r = try ConvoyBinary.run(["merge", "in.jsonl", "--out", "out.jsonl"], in: dir)
        #expect(r.status == 1)
        #expect(r.stderr.contains("in.jsonl: line 2"))
        #expect(try Self.records(file: dir.appendingPathComponent("out.jsonl")).count == 1)
    }
}
