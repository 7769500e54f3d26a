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
        var records: [BatchRecord] = []
        let problems = try forEachRecord(path: path, mustExist: mustExist) { records.append($0) }
        return (records, problems)
    }

    /// Bytes read from a results file at a time.
    static let chunkBytes = 1 << 20

    /// Calls `body` with each record of the JSON Lines file at `path` in file order, reading it a
    /// piece at a time (memory bounded by the longest line, not by the file), and returns the lines
    /// that could not be read (`BatchRecord.parseLines`' rules). A file that does not exist has no
    /// records unless `mustExist`.
    public static func forEachRecord(path: String, mustExist: Bool = false, maxLineBytes: Int = BatchRecord.maxLineBytes,
                                     _ body: (BatchRecord) throws -> Void) throws -> [BatchRecord.Problem] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT && !mustExist { return [] }
            throw BatchError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw BatchError.cannotRead(path: path, reason: String(cString: strerror(EISDIR)))
        }
        var problems: [BatchRecord.Problem] = []
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        let decoder = JSONDecoder()
        func take(_ number: Int, _ line: LineSplitter.Line, _ isLast: Bool) throws {
            switch BatchRecord.parse(line, number: number, isLast: isLast, maxLineBytes: maxLineBytes, decoder: decoder) {
            case .record(let record): try body(record)
            case .problem(let problem): problems.append(problem)
            case .blank: break
            }
        }
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw BatchError.cannotRead(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try splitter.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n]), take) }
        }
        try splitter.finish(take)
        return problems
    }
}
