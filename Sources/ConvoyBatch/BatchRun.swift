import Foundation

/// Measures a batch's images in parallel, each in its own child process, and appends each
/// record to the log as soon as its image finishes (in the order they finish).
public final class BatchRun: @unchecked Sendable {
    public let files: [InputFile]
    public let worker: MeasureWorker
    public let jobs: Int
    public let log: ResultLog
    /// Called after each record is written, one call at a time.
    public let onRecord: @Sendable (BatchRecord, BatchProgress) -> Void

    private let lock = NSLock()
    private var next = 0
    private var progress: BatchProgress
    private var writeError: Error?

    public init(files: [InputFile], worker: MeasureWorker, jobs: Int, log: ResultLog,
                onRecord: @escaping @Sendable (BatchRecord, BatchProgress) -> Void) {
        self.files = files
        self.worker = worker
        self.jobs = max(1, jobs)
        self.log = log
        self.onRecord = onRecord
        progress = BatchProgress(total: files.count)
    }

    /// Runs every image; returns the final progress (counts, time). Throws only when a record
    /// could not be written (then no more images are started).
    public func run() throws -> BatchProgress {
        lock.lock()
        progress.started = Date()
        lock.unlock()
        // one thread per job: each blocks on its child process, which would starve Dispatch's
        // global queue (as wide as the cores) and the timers that run there
        let finished = DispatchSemaphore(value: 0)
        let threads = min(jobs, max(1, files.count))
        for _ in 0..<threads {
            Thread {
                self.work()
                finished.signal()
            }.start()
        }
        for _ in 0..<threads { finished.wait() }
        if let writeError { throw writeError }
        return progress
    }

    /// The progress so far.
    public var snapshot: BatchProgress {
        lock.lock()
        defer { lock.unlock() }
        return progress
    }

    private func take() -> InputFile? {
        lock.lock()
        defer { lock.unlock() }
        guard writeError == nil, next < files.count else { return nil }
        next += 1
        return files[next - 1]
    }

    private func work() {
        while let file = take() {
            let record = worker.measure(file)
            lock.lock()
            do {
                try log.append(record)
                progress.done += 1
                if !record.ok { progress.failed += 1 }
                progress.megapixels += record.megapixels
                onRecord(record, progress)
            } catch {
                if writeError == nil { writeError = error }
            }
            lock.unlock()
        }
    }
}
