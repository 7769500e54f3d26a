import ConvoyGeo
import Foundation

/// An output file the user named (`--overlay OUT.png`), checked against the inputs before any
/// work is done, so that a typo cannot overwrite an image or its sidecar with an overlay.
struct OutputPath {
    let path: String

    /// Fails when `path` is the same file as one of `inputs` or of their sidecars (world file,
    /// `.prj`, `.aux.xml`): same path after resolving `.`/`..` and symbolic links, or, when both
    /// exist, the same file on disk (a hard link).
    /// - Throws: `OutputPath.Clash` naming the output and the input it would replace.
    func refuseOverwriting(inputs: [String]) throws {
        let candidates = inputs.flatMap { image in
            [image] + [WorldFile.find(forImage: image), CRSSidecar.findPRJ(forImage: image),
                       CRSSidecar.findAuxXML(forImage: image)].compactMap { $0 }
        }
        let output = Self.canonical(path)
        let outputFile = Self.fileIdentity(path)
        for input in candidates {
            if Self.canonical(input) == output || (outputFile != nil && Self.fileIdentity(input) == outputFile) {
                throw Clash(output: path, input: input)
            }
        }
    }

    struct Clash: Error, CustomStringConvertible {
        let output: String
        let input: String
        var description: String {
            "\(output): the output would overwrite the input \(input); choose another output path"
        }
    }

    /// The absolute path with symbolic links in its existing part resolved.
    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// Device and inode of an existing file, nil when there is none.
    private static func fileIdentity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }
}
