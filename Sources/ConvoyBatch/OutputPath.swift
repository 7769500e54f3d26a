import Foundation

/// An output file must never be one of the inputs (a batch appending to an image it reads, a
/// merge overwriting a shard it reads): compared as absolute paths with links resolved.
public enum OutputPath {
    public static func refuseIfInput(_ out: String, inputs: [String]) throws {
        let target = canonical(out)
        for path in inputs where canonical(path) == target { throw BatchError.outputIsInput(path: out) }
    }

    /// An absolute path with symbolic links resolved (of its folder, when it does not exist yet).
    static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
        return url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
    }
}
