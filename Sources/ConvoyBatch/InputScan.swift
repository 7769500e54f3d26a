import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Finds the images of a batch in folders and file arguments, by content: a PNG, JPEG or TIFF
/// is an image whatever its name. A file named like an image (`.jpg`, `.tif`...) whose content
/// is not one is kept with a problem (it becomes an error record); everything else (world files,
/// `.prj`, `.aux.xml`, notes, hidden files, FIFOs and devices) is skipped. Folders are listed in
/// sorted order; symbolic links to files are followed, to folders not (no cycles).
public struct InputScan: Sendable {
    public var files: [InputFile] = []
    /// Files looked at and left out as not images.
    public var skipped = 0

    public init(arguments: [String], recursive: Bool) throws {
        for argument in arguments {
            var info = stat()
            guard stat(argument, &info) == 0 else {
                throw BatchError.cannotRead(path: argument, reason: String(cString: strerror(errno)))
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                try walk(folder: argument, relative: "", recursive: recursive)
            } else {
                let name = (argument as NSString).lastPathComponent
                if var file = Self.classify(path: argument, relativePath: name, info: info, claimed: true) {
                    if file.signature == nil && file.problem == nil { file.problem = "not a PNG, JPEG or TIFF" }
                    files.append(file)
                } else {
                    files.append(InputFile(path: argument, relativePath: name, size: Int64(info.st_size), mtime: Self.mtime(info),
                                           signature: nil, problem: "not a regular file"))
                }
            }
        }
    }

    private mutating func walk(folder: String, relative: String, recursive: Bool) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw BatchError.cannotRead(path: folder, reason: (error as NSError).localizedFailureReason ?? "cannot list the folder")
        }
        for name in names where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            let rel = relative.isEmpty ? name : relative + "/" + name
            var link = stat()
            guard lstat(path, &link) == 0 else { skipped += 1; continue }
            if (link.st_mode & S_IFMT) == S_IFDIR {
                if recursive { try walk(folder: path, relative: rel, recursive: true) }
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { skipped += 1; continue }
            if let file = Self.classify(path: path, relativePath: rel, info: info, claimed: false) {
                files.append(file)
            } else {
                skipped += 1
            }
        }
    }

    /// The file as an input, or nil to skip it. `claimed`: named on the command line, so kept
    /// even when it is not an image.
    static func classify(path: String, relativePath: String, info: stat, claimed: Bool) -> InputFile? {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let ext = (path as NSString).pathExtension.lowercased()
        let namedLikeImage = claimed || ImageSignature.imageExtensions.contains(ext)
        var file = InputFile(path: path, relativePath: relativePath, size: Int64(info.st_size), mtime: mtime(info),
                             signature: nil, problem: nil)
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            guard namedLikeImage else { return nil }
            file.problem = "cannot read: \(String(cString: strerror(errno)))"
            return file
        }
        defer { close(fd) }
        var prefix = [UInt8](repeating: 0, count: ImageSignature.prefixLength)
        let n = read(fd, &prefix, prefix.count)
        if n > 0, let signature = ImageSignature(prefix: Array(prefix[0..<n])) {
            file.signature = signature
            return file
        }
        guard namedLikeImage else { return nil }
        if n < 0 {
            file.problem = "cannot read: \(String(cString: strerror(errno)))"
        } else if n == 0 {
            file.problem = "empty file, not a PNG, JPEG or TIFF"
        } else {
            file.problem = ext.isEmpty ? "not a PNG, JPEG or TIFF"
                : "not a PNG, JPEG or TIFF (named .\(ext), but its content is not an image)"
        }
        return file
    }

    static func mtime(_ info: stat) -> Double {
        Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
    }
}
