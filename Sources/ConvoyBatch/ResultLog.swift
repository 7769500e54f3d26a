import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The JSON Lines file a batch appends its records to. Every record is written whole by a
/// single `write(2)` on a file opened with `O_APPEND`, then `fsync`ed, so a killed batch leaves
/// every record it had finished and at worst one torn last line, which readers skip and the
/// next append isolates on its own line. An exclusive `flock` keeps two batches from appending
/// to the same file at once.
public final class ResultLog: @unchecked Sendable {
    public let path: String
    private let fd: Int32
    private let syncs: Bool
    private var needsNewline: Bool
    private let lock = NSLock()

    /// Opens (creating) `path` for appending. Throws when it cannot, or when another batch holds it.
    public init(path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw BatchError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw BatchError.outputInUse(path: path)
        }
        var info = stat()
        fstat(fd, &info)
        needsNewline = false
        if info.st_size > 0 {
            // a torn last line (no newline) must not swallow the next record
            let reader = open(path, O_RDONLY | O_CLOEXEC)
            if reader >= 0 {
                var last: UInt8 = 0
                if pread(reader, &last, 1, off_t(info.st_size - 1)) == 1 { needsNewline = last != 0x0A }
                close(reader)
            }
        }
        self.path = path
        self.fd = fd
        syncs = true
    }

    /// Standard output: records written whole, not synced (a pipe or a terminal).
    public init(standardOutput: Void) {
        path = "<stdout>"
        fd = STDOUT_FILENO
        syncs = false
        needsNewline = false
    }

    deinit { if fd != STDOUT_FILENO { close(fd) } }

    /// Appends one record with one write and syncs it to disk.
    public func append(_ record: BatchRecord) throws {
        var bytes = try record.line()
        lock.lock()
        defer { lock.unlock() }
        if needsNewline { bytes.insert(0x0A, at: 0); needsNewline = false }
        let written = bytes.withUnsafeBytes { buffer -> Int in
            var done = 0
            while done < buffer.count {
                let n = write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return -Int(errno)
                }
                done += n
            }
            return done
        }
        if written < 0 { throw BatchError.cannotWrite(path: path, reason: String(cString: strerror(Int32(-written)))) }
        if syncs, fsync(fd) != 0 { throw BatchError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
    }

    /// The records already in the JSON Lines file at `path` (none when it does not exist), with
    /// the lines that could not be read.
    public static func read(path: String, mustExist: Bool = false) throws -> (records: [BatchRecord], problems: [BatchRecord.Problem]) {
        guard mustExist || FileManager.default.fileExists(atPath: path) else { return ([], []) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw BatchError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        return BatchRecord.parseLines(data)
    }
}
