import Foundation

/// CSV (RFC 4180: CRLF line ends, fields with a comma, quote, line break or edge space quoted,
/// quotes doubled), a header row, then a row per convoy: `image, convoy, length_km,
/// length_uncertainty_km, vehicles, confidence, head_lat, head_lon, tail_lat, tail_lon, target,
/// distance_km, bearing_deg`. Convoys without georeference have empty coordinates: the CSV keeps
/// every convoy. Text fields (image path, target name) that a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) get a leading `'`, as OWASP advises
/// for CSV injection: an image named `=HYPERLINK(...)` from a scraped folder stays text in Excel.
public enum CSVExport {
    public static let header = ["image", "convoy", "length_km", "length_uncertainty_km", "vehicles", "confidence",
                                "head_lat", "head_lon", "tail_lat", "tail_lon", "target", "distance_km", "bearing_deg"]

    public static func export(_ convoys: [ExportedConvoy]) -> ExportResult {
        var rows = [header]
        for item in convoys {
            let c = item.convoy
            func number(_ v: Double?) -> String { v.map { $0.isFinite ? "\($0)" : "" } ?? "" }
            rows.append([text(item.image), "\(item.number)", number(c.length_km), number(c.length_uncertainty_km), "\(c.vehicles)",
                         number(c.confidence), number(c.head?.lat), number(c.head?.lon), number(c.tail?.lat),
                         number(c.tail?.lon), text(item.targetLabel ?? ""), number(c.target?.distance_km),
                         number(c.target?.bearing_deg)])
        }
        let text = rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
        return ExportResult(data: Array(text.utf8), unmapped: [])
    }

    /// A text field made inert for spreadsheets (see the type's comment).
    static func text(_ value: String) -> String {
        guard let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return value }
        return "'" + value
    }

    /// One field, quoted when it must be.
    static func field(_ text: String) -> String {
        let needsQuotes = text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            || text.first == " " || text.last == " "
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
