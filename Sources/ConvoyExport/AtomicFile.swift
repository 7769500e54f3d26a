import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole output file or nothing: the bytes go to a temporary file in the same folder,
/// are synced, and the temporary file is renamed over the destination, so a reader (or a kill)
/// never sees half a file.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { put in try put(bytes) }
    }

    /// The file made of what `produce` passes to the function it is given, piece by piece (a
    /// large output need not be held whole); nothing is written at `path` when either throws.
    public static func write(to path: String, _ produce: (_ put: ([UInt8]) throws -> Void) throws -> Void) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false, open = true
        defer {
            if open { close(fd) }
            if !ok { unlink(temporary) }
        }
        try produce { bytes in
            let written = bytes.withUnsafeBytes { buffer -> Bool in
                var done = 0
                while done < buffer.count {
                    let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                    if n < 0 { if errno == EINTR { continue }; return false }
                    done += n
                }
                return true
            }
            if !written { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        }
        guard fsync(fd) == 0 else { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        fchmod(fd, 0o644)
        close(fd)
        open = false
        guard rename(temporary, path) == 0 else { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        ok = true
    }
}
