import ConvoyGeo
import Foundation

/// An output file must never be one of the inputs: a batch appending to an image it reads, a merge
/// overwriting a shard it reads, an overlay (`--overlay OUT.png`) written over an image or its
/// sidecar. Checked before any work is done.
public enum OutputPath {
    /// Throws `BatchError.outputIsInput` when `out` is the same file as one of `inputs` or, with
    /// `sidecars`, of their world files, `.prj` and `.aux.xml`: the same path once `.`/`..` and
    /// symbolic links are resolved, or, when both exist, the same file on disk (a hard link).
    public static func refuseIfInput(_ out: String, inputs: [String], sidecars: Bool = false) throws {
        let candidates = sidecars
            ? inputs.flatMap { [$0] + GeoreferenceSidecars.paths(forImage: $0) }
            : inputs
        let target = canonical(out), targetFile = fileIdentity(out)
        for input in candidates where canonical(input) == target || (targetFile != nil && fileIdentity(input) == targetFile) {
            throw BatchError.outputIsInput(path: out, input: input)
        }
    }

    /// An absolute path with symbolic links resolved (of its folder, when it does not exist yet).
    static func canonical(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        if FileManager.default.fileExists(atPath: url.path) { return url.resolvingSymlinksInPath().path }
        return url.deletingLastPathComponent().resolvingSymlinksInPath().appendingPathComponent(url.lastPathComponent).path
    }

    /// Device and inode of an existing file, nil when there is none.
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }
}
