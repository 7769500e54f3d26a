import ConvoyBatch
import Foundation

/// A progress line redrawn in place on a terminal's stderr, after each image and every second
/// (so the time left moves while long images run); does nothing when stderr is not a terminal.
final class ProgressLine: @unchecked Sendable {
    let enabled: Bool
    private var shown = false
    private var stopped = false
    private var timer: DispatchSourceTimer?
    private let lock = NSLock()

    init(enabled: Bool) { self.enabled = enabled }

    /// Redraws `run`'s progress every second until `stop()`.
    func follow(_ run: BatchRun) {
        guard enabled else { return }
        let timer = DispatchSource.makeTimerSource(queue: .global())
        timer.schedule(deadline: .now(), repeating: 1.0)
        timer.setEventHandler { [weak self, weak run] in
            guard let self, let run else { return }
            self.show(run.snapshot.bar())
        }
        timer.resume()
        self.timer = timer
    }

    func stop() {
        timer?.cancel()
        timer = nil
        lock.lock()
        stopped = true
        lock.unlock()
        clear()
    }

    func show(_ text: String) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        FileHandle.standardError.write(Data("\r\(text)\u{1B}[K".utf8))
        shown = true
    }

    func clear() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard shown else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        shown = false
    }
}
