import ConvoyBatch
import Testing

@Suite struct ShardTests {
    static func file(_ name: String) -> InputFile {
        InputFile(path: "/data/" + name, relativePath: name, size: 1, mtime: 0, signature: .jpeg, problem: nil)
    }

    @Test func shardsPartitionTheImages() throws {
        let files = (0..<300).map { Self.file("tile-\($0 / 20)-\($0 % 20).jpg") }
        var seen = [Int](repeating: 0, count: files.count)
        for k in 1...3 {
            let shard = try Shard(parsing: "\(k)/3")
            let taken = files.indices.filter { shard.contains(files[$0]) }
            for i in taken { seen[i] += 1 }
            #expect(taken.count > 60 && taken.count < 140, "shard \(k) has \(taken.count) of 300")
        }
        #expect(seen.allSatisfy { $0 == 1 }, "every image in exactly one shard")
    }

    @Test func shardDependsOnThePathInsideTheFolderOnly() throws {
        let shard = try Shard(parsing: "2/5")
        for name in ["a.jpg", "x/y.tif", "tile-7.png"] {
            let here = InputFile(path: "/mnt/imgs/" + name, relativePath: name, size: 5, mtime: 9, signature: .png, problem: nil)
            #expect(shard.contains(here) == shard.contains(Self.file(name)))
        }
    }

    @Test(arguments: ["0/3", "4/3", "3", "a/b", "1/0", "-1/2", "1/2/3", ""])
    func invalidShardIsRefused(_ text: String) {
        #expect(throws: BatchError.self) { try Shard(parsing: text) }
    }

    @Test func wholeTakesEverything() {
        #expect(Shard.whole.contains(Self.file("anything.jpg")))
    }
}
