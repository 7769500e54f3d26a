import Foundation

/// `--shard K/N`: a deterministic 1/N of a batch's images, so N machines can each take one
/// part. An image belongs to shard `1 + hash % N`, where the hash is 64-bit FNV-1a (with
/// Murmur3's finaliser) of its path relative to the folder given on the command line, so every
/// machine (and every later run, with files added) puts an image in the same shard, wherever the
/// folder is mounted.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (1...count).contains(index) else { throw BatchError.invalidShard(text: "\(index)/\(count)") }
        self.index = index
        self.count = count
    }

    /// Parses "K/N".
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)), n >= 1, (1...n).contains(k)
        else { throw BatchError.invalidShard(text: text) }
        index = k
        count = n
    }

    public static let whole = try! Shard(index: 1, count: 1)

    public func contains(_ file: InputFile) -> Bool {
        count == 1 || Int(Self.mix(Self.fnv1a(file.relativePath)) % UInt64(count)) == index - 1
    }

    /// MurmurHash3's 64-bit finaliser: spreads FNV's similar hashes of similar names evenly.
    static func mix(_ value: UInt64) -> UInt64 {
        var h = value
        h ^= h >> 33
        h &*= 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h &*= 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    public var description: String { "\(index)/\(count)" }
}
