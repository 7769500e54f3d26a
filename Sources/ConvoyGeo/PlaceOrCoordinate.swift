// One parser for every place argument the tool takes (`distance FROM TO`, `--target`): either
// decimal "lat,lon" or a gazetteer name such as "Kyiv" or "Paris,US".
import Foundation

/// A location typed by a user: explicit coordinates or a named place.
public enum PlaceOrCoordinate: Sendable, Hashable {
    /// "lat,lon" in decimal degrees.
    case coordinate(LonLat)
    /// A gazetteer match.
    case place(PlaceMatch)

    /// Parses a location argument.
    ///
    /// Coordinates: two decimal numbers, latitude first, separated by a comma (spaces allowed:
    /// "50.45,30.52", "50.45, 30.52") or by spaces ("50.45 30.52"). Latitude must be in [-90, 90],
    /// longitude in [-180, 180]. Anything else is a place name, optionally followed by ",CC"
    /// (ISO country code). "Name,CC" and "lat,lon" cannot be confused: coordinates need BOTH
    /// parts numeric, and a text whose first part is numeric but the rest is not is an error
    /// rather than a place name.
    ///
    /// - Parameter gazetteer: called only when the text is a place name.
    /// - Throws: `GeoError.invalidCoordinate` naming the text and the problem, or
    ///   `GeoError.placeNotFound` with suggestions, or `GeoError.gazetteerUnavailable`.
    public static func parse(_ text: String, gazetteer: () throws -> Gazetteer = Gazetteer.builtIn) throws -> PlaceOrCoordinate {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw GeoError.invalidCoordinate(text: text, reason: "empty location; give 'lat,lon' or a place name")
        }
        let commaParts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let parts: [String]
        if commaParts.count == 1 {
            parts = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        } else {
            parts = commaParts
        }
        let numbers = parts.map(decimal)
        let numericCount = numbers.compactMap { $0 }.count

        if parts.count == 2, let lat = numbers[0], let lon = numbers[1] {
            return .coordinate(try checked(lat: lat, lon: lon, text: trimmed))
        }
        if numericCount == parts.count, parts.count > 2 {
            throw GeoError.invalidCoordinate(text: trimmed, reason: "expected two numbers 'lat,lon' with '.' as the decimal point, got \(parts.count)")
        }
        if let first = parts.first, looksNumeric(first), numericCount >= 1 {
            // "50.45,abc", "50.45, NaN", "91" — meant as coordinates, but not valid ones.
            let bad = zip(parts, numbers).first(where: { $0.1 == nil })?.0
            let reason = bad.map { "'\($0)' is not a decimal number" } ?? "expected 'lat,lon' (two numbers)"
            throw GeoError.invalidCoordinate(text: trimmed, reason: reason)
        }
        return .place(try gazetteer().lookup(trimmed))
    }

    private static func checked(lat: Double, lon: Double, text: String) throws -> LonLat {
        guard (-90...90).contains(lat) else {
            let hint = (-90...90).contains(lon) && (-180...180).contains(lat) ? " (latitude comes first: 'lat,lon')" : ""
            throw GeoError.invalidCoordinate(text: text, reason: "latitude \(lat) is outside [-90, 90]\(hint)")
        }
        guard (-180...180).contains(lon) else {
            throw GeoError.invalidCoordinate(text: text, reason: "longitude \(lon) is outside [-180, 180]")
        }
        return LonLat(lon: lon, lat: lat)
    }

    /// A plain decimal number ("30", "-30.5", "+1.5e1"); rejects nan, inf, hex and empty text.
    private static func decimal(_ text: String) -> Double? {
        guard looksNumeric(text), text.allSatisfy({ "0123456789+-.eE".contains($0) }) else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// Starts like a number: a sign, digit or point followed by digits.
    private static func looksNumeric(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        if first.isASCII && first.isNumber { return true }
        if first == "-" || first == "+" || first == "." {
            return text.dropFirst().first.map { ($0.isASCII && $0.isNumber) || $0 == "." } ?? false
        }
        return false
    }

    /// The WGS 84 position.
    public var position: LonLat {
        switch self {
        case let .coordinate(position): return position
        case let .place(match): return match.place.position
        }
    }

    /// "Kyiv, UA" for a place, nil for coordinates.
    public var name: String? {
        guard case let .place(match) = self else { return nil }
        return match.place.label
    }

    /// Caveats worth printing: ambiguity ("most populous of 3 places named ...") and, for
    /// hand-curated supplement places, the position's accuracy. Nil when there is nothing to say.
    public var note: String? {
        guard case let .place(match) = self else { return nil }
        var notes: [String] = []
        if let ambiguity = match.ambiguityNote { notes.append(ambiguity) }
        if let accuracy = match.place.accuracyNote {
            switch accuracy {
            case "approx-1km": notes.append("\(match.place.label) position is approximate (about 1 km)")
            case "approx-5km": notes.append("\(match.place.label) position is approximate (a few km): do not measure from it")
            default: notes.append("\(match.place.label) position: \(accuracy)")
            }
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }
}
