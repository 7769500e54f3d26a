import ConvoyMeasure
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Measures one image in a child process — `convoy measure IMAGE --format json` with the batch's
/// options — so that an image that crashes a decoder, exhausts memory or hangs costs only its
/// own record: a crash becomes an error record, and so does an image still running after the
/// time limit (the child is killed).
public struct MeasureWorker: Sendable {
    /// The `convoy` executable.
    public var executable: URL
    /// Options after `measure IMAGE --format json` (`--gsd`, `--crs`, `--target`, `--max-gap`...).
    public var arguments: [String]
    /// The target's name, put back into each convoy's `target` (the children get the resolved
    /// coordinates, so each does not load the gazetteer again).
    public var targetName: String?
    /// Per-image wall-clock limit in seconds; nil for none.
    public var timeout: Double?

    public init(executable: URL, arguments: [String], targetName: String? = nil, timeout: Double? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.targetName = targetName
        self.timeout = timeout
    }

    /// What `measure --format json` prints, as far as a record needs it.
    struct MeasureOutput: Decodable {
        struct Image: Decodable { let path: String; let width: Int; let height: Int }
        let images: [Image]
        let convoys: [ReportedConvoy]
        let warnings: [String]?
        let columns_below_min_confidence: Int?
        let not_reported: [ReportedConvoy]?
    }

    /// The record of `file`: measured, or why not. Never throws.
    public func measure(_ file: InputFile) -> BatchRecord {
        let started = Date()
        var record = BatchRecord(path: file.path, ok: false, size: file.size, mtime: file.mtime)
        if let problem = file.problem {
            record.error = problem
            return record
        }
        let result: ChildResult
        do {
            result = try run(["measure", file.path, "--format", "json"] + arguments)
        } catch {
            record.error = "could not start the measuring process: \(error)"
            return record
        }
        record.seconds = Date().timeIntervalSince(started)
        if result.timedOut {
            record.error = String(format: "timed out after %g s (--timeout); the measurement was stopped", timeout ?? 0)
        } else if let signal = result.signal {
            record.error = "the measuring process crashed (signal \(signal)\(Self.signalName(signal)))"
        } else if result.status != 0 {
            record.error = Self.reason(fromStderr: result.stderr, path: file.path)
                ?? "the measuring process failed with exit status \(result.status)"
        } else {
            do {
                let output = try JSONDecoder().decode(MeasureOutput.self, from: result.stdout)
                record.ok = true
                record.convoys = output.convoys.map { convoy in
                    var c = convoy
                    if let targetName, c.target != nil { c.target!.name = targetName }
                    return c
                }
                record.width = output.images.first?.width
                record.height = output.images.first?.height
                if let w = output.warnings, !w.isEmpty { record.warnings = w }
                if let n = output.columns_below_min_confidence, n > 0 { record.columns_below_min_confidence = n }
                record.not_reported = output.not_reported
            } catch {
                record.error = "the measuring process printed no readable report"
            }
        }
        return record
    }

    /// `convoy: IMAGE: reason` lines of the child's stderr, without the prefixes.
    static func reason(fromStderr data: Data, path: String) -> String? {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map { line -> String in
            var s = Substring(line)
            if s.hasPrefix("convoy: ") { s = s.dropFirst(8) }
            if s.hasPrefix(path + ": ") { s = s.dropFirst(path.count + 2) }
            return String(s)
        }.filter { !$0.hasPrefix("note: ") && !$0.isEmpty }
        guard !lines.isEmpty else { return nil }
        let text = lines.joined(separator: "; ")
        return text.count > 2000 ? String(text.prefix(2000)) + "…" : text
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case SIGSEGV: return ", segmentation fault"
        case SIGABRT: return ", abort"
        case SIGBUS: return ", bus error"
        case SIGILL: return ", illegal instruction (a Swift runtime trap)"
        case SIGTRAP: return ", trap (a Swift runtime trap)"
        case SIGKILL: return ", killed (out of memory?)"
        case SIGFPE: return ", arithmetic error"
        default: return ""
        }
    }

    struct ChildResult {
        var status: Int32
        var signal: Int32?
        var timedOut: Bool
        var stdout: Data
        var stderr: Data
    }

    /// Runs the executable, reading both pipes while it runs, killing it at the time limit.
    func run(_ args: [String]) throws -> ChildResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = args
        process.standardInput = FileHandle.nullDevice
        // the child stops by itself if this process dies without reaping it (`OrphanWatch`)
        var environment = ProcessInfo.processInfo.environment
        environment[OrphanWatch.environmentKey] = String(getpid())
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let state = ChildState()
        // Dedicated threads, not Dispatch's global queue: the pipe reads block, and on a 2-core
        // machine a few blocked reads (several images at once, or tests in parallel) starve the
        // global queue, so a timer queued there could fire only after the child had finished.
        let exited = DispatchSemaphore(value: 0)
        if let timeout {
            let pid = process.processIdentifier
            Thread {
                if exited.wait(timeout: .now() + timeout) == .timedOut { state.killIfRunning(pid) }
            }.start()
        }
        let errBox = DataBox()
        let errRead = DispatchSemaphore(value: 0)
        Thread {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            errRead.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        errRead.wait()
        process.waitUntilExit()
        let killed = state.finish()
        exited.signal()
        let signal = process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil
        let timedOut = killed && signal == SIGKILL
        return ChildResult(status: process.terminationStatus, signal: signal, timedOut: timedOut,
                           stdout: outData, stderr: errBox.data)
    }
}

/// Whether a child has been reaped, and whether the time limit killed it.
private final class ChildState: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var killed = false

    func killIfRunning(_ pid: pid_t) {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        killed = true
        kill(pid, SIGKILL)
    }

    /// Marks the child reaped; returns whether it was killed for its time.
    func finish() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        finished = true
        return killed
    }
}

private final class DataBox: @unchecked Sendable {
    var data = Data()
}
