import ConvoyMeasure
import Foundation

/// One line of `convoy batch`'s JSON Lines output: an image measured on its own, or why it
/// could not be. `{"path", "ok": true, "convoys", "seconds", ...}` or `{"path", "ok": false,
/// "error", ...}`; `size` and `mtime` identify the file's version for resuming.
public struct BatchRecord: Codable, Sendable, Equatable {
    public var path: String
    public var ok: Bool
    /// The same objects as `convoy measure --format json` prints, longest first (ok records).
    public var convoys: [ReportedConvoy]?
    /// Why the image could not be measured (error records).
    public var error: String?
    /// Wall-clock time spent on the image.
    public var seconds: Double?
    /// File size in bytes and modification time (seconds since 1970) when it was measured.
    public var size: Int64?
    public var mtime: Double?
    /// Image size in pixels (ok records).
    public var width: Int?
    public var height: Int?
    /// What `measure` warns about the image (coarse resolution), when anything.
    public var warnings: [String]?
    /// Columns found in the image but left out of `convoys` for their confidence
    /// (`--min-confidence`), when there were any.
    public var columns_below_min_confidence: Int?
    /// With `batch --explain`: the columns found but not reported, longest first, each with its
    /// `rejection` and `rejected_because` (as `measure --explain --format json` prints them).
    public var not_reported: [ReportedConvoy]?

    public init(path: String, ok: Bool, convoys: [ReportedConvoy]? = nil, error: String? = nil, seconds: Double? = nil,
                size: Int64? = nil, mtime: Double? = nil, width: Int? = nil, height: Int? = nil, warnings: [String]? = nil) {
        self.path = path
        self.ok = ok
        self.convoys = convoys
        self.error = error
        self.seconds = seconds
        self.size = size
        self.mtime = mtime
        self.width = width
        self.height = height
        self.warnings = warnings
    }

    /// Megapixels measured, 0 when unknown.
    public var megapixels: Double { Double(width ?? 0) * Double(height ?? 0) / 1e6 }

    /// The record as one line of JSON (keys sorted, no newline inside, slashes unescaped),
    /// ending with "\n". Throws for non-finite numbers, which JSON cannot hold.
    public func line() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Why a line of a JSON Lines file was not taken as a record.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        public var reason: String
        /// The last line has no newline: a write cut short (a kill, a full disk), not garbage.
        public var isIncompleteLastLine: Bool

        public var description: String { "line \(line): \(reason)" }
    }

    /// Longest line taken as a record; longer ones are reported, not decoded.
    public static let maxLineBytes = 64 << 20

    /// Reads JSON Lines as `batch` writes them. Never throws or traps on any input: blank lines
    /// are ignored, and every line that is not a valid record (torn by a kill, garbage, too long,
    /// nested too deep, missing fields) is reported as a problem and skipped.
    public static func parseLines(_ data: Data, maxLineBytes: Int = maxLineBytes) -> (records: [BatchRecord], problems: [Problem]) {
        var records: [BatchRecord] = []
        var problems: [Problem] = []
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        let decoder = JSONDecoder()
        func take(_ number: Int, _ line: LineSplitter.Line, _ isLast: Bool) {
            switch parse(line, number: number, isLast: isLast, maxLineBytes: maxLineBytes, decoder: decoder) {
            case .record(let record): records.append(record)
            case .problem(let problem): problems.append(problem)
            case .blank: break
            }
        }
        data.withUnsafeBytes { splitter.feed($0, take) }
        splitter.finish(take)
        return (records, problems)
    }

    /// What one line of a JSON Lines file is.
    enum Parsed { case record(BatchRecord), problem(Problem), blank }

    /// One line of a JSON Lines file as a record, or why it is none.
    static func parse(_ line: LineSplitter.Line, number: Int, isLast: Bool, maxLineBytes: Int, decoder: JSONDecoder) -> Parsed {
        let bytes: Data
        switch line {
        case .tooLong(let count):
            return .problem(Problem(line: number, reason: "line of \(count) bytes is longer than \(maxLineBytes)",
                                    isIncompleteLastLine: false))
        case .text(let text): bytes = text
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return .blank }
        do {
            let record = try decoder.decode(BatchRecord.self, from: bytes)
            if let reason = record.invalidity { return .problem(Problem(line: number, reason: reason, isIncompleteLastLine: false)) }
            return .record(record)
        } catch {
            return .problem(Problem(line: number, reason: isLast ? "incomplete last line (a write was interrupted)"
                                        : "not a batch record: \(Self.summary(of: error))",
                                    isIncompleteLastLine: isLast))
        }
    }

    /// What makes a decoded record unusable, or nil.
    var invalidity: String? {
        if path.isEmpty { return "record with an empty path" }
        if ok && convoys == nil { return "ok record without \"convoys\"" }
        if !ok && error == nil { return "error record without \"error\"" }
        return nil
    }

    private static func summary(of error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing \"\(key.stringValue)\""
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            let at = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "wrong type at \"\(at)\""
        case DecodingError.dataCorrupted: return "invalid JSON"
        default: return "invalid JSON"
        }
    }
}
