import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes a whole output file or nothing: the bytes go to a temporary file in the same folder,
/// are synced, and the temporary file is renamed over the destination, so a reader (or a kill)
/// never sees half a file.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        var template = Array(((folder.isEmpty ? "." : folder) + "/." + base + ".tmp-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        let temporary = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        let written = bytes.withUnsafeBytes { buffer -> Bool in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
        let reason = String(cString: strerror(errno))
        guard written, fsync(fd) == 0 else {
            close(fd)
            throw ExportError.cannotWrite(path: path, reason: reason)
        }
        fchmod(fd, 0o644)
        close(fd)
        guard rename(temporary, path) == 0 else { throw ExportError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        ok = true
    }
}
