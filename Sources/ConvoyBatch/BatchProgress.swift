import Foundation

/// How far a batch has got: images done out of total, throughput and time left.
public struct BatchProgress: Sendable {
    public var total: Int
    public var done = 0
    public var failed = 0
    public var megapixels = 0.0
    public var started: Date

    public init(total: Int, started: Date = Date()) {
        self.total = total
        self.started = started
    }

    public var elapsed: Double { Date().timeIntervalSince(started) }

    /// Megapixels measured per second of wall-clock time.
    public var megapixelsPerSecond: Double { elapsed > 0 ? megapixels / elapsed : 0 }

    /// Seconds left at the pace so far, nil before the first image.
    public var secondsLeft: Double? {
        guard done > 0, elapsed > 0 else { return nil }
        return elapsed / Double(done) * Double(total - done)
    }

    /// `[#########.........]  12/40 images  3.2 MP/s  0:45 left  (1 failed)`, at most `width` columns.
    public func bar(width: Int = 80) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let left = secondsLeft.map { "\(Self.clock($0)) left" } ?? "--:-- left"
        var tail = String(format: " %d/%d images  %.1f MP/s  %@", done, total, megapixelsPerSecond, left)
        if failed > 0 { tail += "  (\(failed) failed)" }
        let barWidth = max(10, min(40, width - tail.count - 3))
        let filled = Int((fraction * Double(barWidth)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: barWidth - filled) + "]" + tail
    }

    /// "1:05", "1:02:05".
    public static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
