// The offline place index: every place with ≥ 15,000 inhabitants (GeoNames cities15000, CC BY 4.0)
// with its alternate names, plus a hand-curated supplement of smaller places on the 2022 Kyiv axis.
// Built by Scripts/build-gazetteer.py into Resources/gazetteer.tsv and loaded once, lazily.
import Foundation

/// Looks up places by name, offline. Immutable after loading, so one instance is shared freely.
public final class Gazetteer: Sendable {
    /// All places, by descending population (the order of the resource file).
    public let places: [Place]
    /// Folded name (UTF-8 bytes, see `fold`) → the spelling as stored and the places carrying it,
    /// most populous first. Byte keys hash much faster than `String` keys, which matters when
    /// indexing ~260,000 names at start-up.
    private let index: [[UInt8]: Entry]

    private struct Entry: Sendable {
        var spelling: String
        var places: [Int32]
    }

    /// The built-in gazetteer, loaded from the module's resources on first use.
    /// - Throws: `GeoError.gazetteerUnavailable` when the resource is missing or corrupt.
    public static func builtIn() throws -> Gazetteer {
        try shared.get()
    }

    private static let shared: Result<Gazetteer, GeoError> = {
        guard let url = resourceURL() else {
            return .failure(.gazetteerUnavailable(
                reason: "convoy_ConvoyGeo.resources/Resources/gazetteer.tsv was not found beside the convoy executable; "
                    + "keep that folder next to the binary or set CONVOY_GAZETTEER to the file"))
        }
        do {
            return .success(try Gazetteer(tsv: try Data(contentsOf: url)))
        } catch let error as GeoError {
            return .failure(error)
        } catch {
            return .failure(.gazetteerUnavailable(reason: "\(url.path): \(error.localizedDescription)"))
        }
    }()

    /// Where the gazetteer file is: `CONVOY_GAZETTEER`, else the resource bundle SwiftPM puts beside
    /// the executable. SwiftPM's generated `Bundle.module` is not used because it stops the
    /// process (fatalError) when the bundle is missing, e.g. for a binary copied elsewhere.
    static func resourceURL() -> URL? {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["CONVOY_GAZETTEER"] {
            return fm.fileExists(atPath: path) ? URL(fileURLWithPath: path) : nil
        }
        let bundleName = "convoy_ConvoyGeo.resources"
        let executableDirectory = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
            .resolvingSymlinksInPath().deletingLastPathComponent()
        for directory in [Bundle.main.bundleURL, executableDirectory] {
            for relative in ["Resources/gazetteer.tsv", "gazetteer.tsv"] {
                let url = directory.appendingPathComponent(bundleName).appendingPathComponent(relative)
                if fm.fileExists(atPath: url.path) { return url }
            }
        }
        return nil
    }

    /// Builds a gazetteer from text in the format of Resources/gazetteer.tsv.
    public convenience init(tsv: String) throws {
        try self.init(tsv: Data(tsv.utf8))
    }

    /// Builds a gazetteer from UTF-8 text in the format of Resources/gazetteer.tsv (lines starting
    /// with '#' are comments): geonameid, name, country, admin1, lat, lon, population,
    /// '|'-separated alternate names, note.
    /// - Throws: `GeoError.gazetteerUnavailable` naming the first malformed line.
    public init(tsv data: Data) throws {
        let bytes = [UInt8](data)
        var places: [Place] = []
        var index: [[UInt8]: Entry] = [:]
        index.reserveCapacity(300_000)
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            lineNumber += 1
            if lineEnd == lineStart || bytes[lineStart] == UInt8(ascii: "#") { continue }
            var fields: [Range<Int>] = []
            var fieldStart = lineStart
            for position in lineStart...lineEnd where position == lineEnd || bytes[position] == 0x09 {
                fields.append(fieldStart..<position)
                fieldStart = position + 1
            }
            let text = { (field: Int) in String(decoding: bytes[fields[field]], as: UTF8.self) }
            guard fields.count >= 8, let id = Int(text(0)), let lat = Double(text(4)), let lon = Double(text(5)),
                  let population = Int(text(6)), (-90...90).contains(lat), (-180...180).contains(lon) else {
                throw GeoError.gazetteerUnavailable(reason: "gazetteer line \(lineNumber) is malformed")
            }
            let note = fields.count > 8 && !fields[8].isEmpty ? text(8) : nil
            let name = text(1)
            let place = Place(geonameID: id, name: name, countryCode: text(2), admin1: text(3),
                              position: LonLat(lon: lon, lat: lat), population: population, accuracyNote: note)
            let placeIndex = Int32(places.count)
            places.append(place)
            var spellings = [bytes[fields[1]]]
            var alternateStart = fields[7].lowerBound
            for position in fields[7].lowerBound...fields[7].upperBound
            where position == fields[7].upperBound || bytes[position] == UInt8(ascii: "|") {
                if position > alternateStart { spellings.append(bytes[alternateStart..<position]) }
                alternateStart = position + 1
            }
            var keys: [[UInt8]] = []
            for spelling in spellings {
                let key = Gazetteer.foldedKey(spelling)
                guard !key.isEmpty, !keys.contains(key) else { continue }
                keys.append(key)
                index[key, default: Entry(spelling: String(decoding: spelling, as: UTF8.self), places: [])].places.append(placeIndex)
            }
        }
        guard !places.isEmpty else { throw GeoError.gazetteerUnavailable(reason: "gazetteer is empty") }
        // The file is sorted by population, but keep the invariant explicit for hand-made inputs.
        for (key, entry) in index where entry.places.count > 1 {
            index[key]?.places = entry.places.sorted { places[Int($0)].population > places[Int($1)].population }
        }
        self.places = places
        self.index = index
    }

    /// The key names are compared by: case- and diacritic-insensitive (Foundation's
    /// `folding(options: [.caseInsensitive, .diacriticInsensitive])`), with apostrophes removed
    /// ("Ivan'kiv" = "Ivankiv"), hyphens as spaces and runs of spaces collapsed.
    public static func fold(_ name: String) -> String {
        String(decoding: foldedKey(Array(name.utf8)[...]), as: UTF8.self)
    }

    static func foldedKey(_ utf8: ArraySlice<UInt8>) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(utf8.count)
        var pendingSpace = false
        func append(_ byte: UInt8) {
            if pendingSpace { key.append(0x20) }
            pendingSpace = false
            key.append(byte)
        }
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // Pure ASCII (most of the index): Foundation's folding is plain lowercasing here.
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "'"), UInt8(ascii: "`"): continue
                case UInt8(ascii: "-"), UInt8(ascii: " "), 0x09: pendingSpace = !key.isEmpty
                case UInt8(ascii: "A")...UInt8(ascii: "Z"): append(byte + 32)
                default: append(byte)
                }
            }
            return key
        }
        let folded = String(decoding: utf8, as: UTF8.self)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        for scalar in folded.unicodeScalars {
            switch scalar {
            case "'", "\u{2019}", "\u{02BC}", "`", "\u{02BB}", "\u{2018}": continue
            case "-", "\u{2010}", "\u{2013}", " ", "\t": pendingSpace = !key.isEmpty
            default:
                for byte in String(scalar).utf8 { append(byte) }
            }
        }
        return key
    }

    /// Looks up "Name" or "Name,CC" (CC = ISO 3166-1 alpha-2 country code, e.g. "Paris,US").
    /// - Throws: `GeoError.placeNotFound` with up to three close spellings.
    public func lookup(_ query: String) throws -> PlaceMatch {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        if let comma = trimmed.lastIndex(of: ",") {
            let country = trimmed[trimmed.index(after: comma)...].trimmingCharacters(in: .whitespaces)
            if country.count == 2, country.allSatisfy({ $0.isASCII && $0.isLetter }) {
                return try lookup(name: String(trimmed[..<comma]), country: country)
            }
        }
        return try lookup(name: trimmed, country: nil)
    }

    /// Looks up a name, optionally within one country (ISO 3166-1 alpha-2, any case). Among
    /// several places with the name, the most populous wins; `PlaceMatch.candidates` lists all.
    /// - Throws: `GeoError.placeNotFound` with up to three close spellings.
    public func lookup(name: String, country: String?) throws -> PlaceMatch {
        let displayName = name.trimmingCharacters(in: .whitespaces)
        let key = Gazetteer.foldedKey(Array(displayName.utf8)[...])
        let countryCode = country?.uppercased()
        let all = (index[key]?.places ?? []).map { places[Int($0)] }
        let candidates = countryCode.map { code in all.filter { $0.countryCode == code } } ?? all
        guard let best = candidates.first else {
            if !all.isEmpty {
                // The name exists, just not in that country: say where it does.
                let elsewhere = Array(Set(all.map(\.label))).sorted().prefix(3)
                throw GeoError.placeNotFound(name: displayName, country: countryCode, suggestions: Array(elsewhere))
            }
            throw GeoError.placeNotFound(name: displayName, country: countryCode,
                                         suggestions: suggestions(for: displayName, country: countryCode))
        }
        return PlaceMatch(place: best, matchedName: index[key]?.spelling ?? displayName, candidates: candidates)
    }

    /// Up to `limit` places whose name or alternate name is closest to `name` by edit distance on
    /// folded names, as "Kyiv, UA" or, when an alternate matched, "Kiev (Kyiv, UA)". Only names
    /// with the same first letter and a similar length are compared, which keeps this to a few
    /// thousand comparisons.
    public func suggestions(for name: String, country: String? = nil, limit: Int = 3) -> [String] {
        let key = Gazetteer.foldedKey(Array(name.utf8)[...])
        guard let initial = key.first else { return [] }
        let query = Array(String(decoding: key, as: UTF8.self).unicodeScalars)
        let maxDistance = max(1, min(3, query.count / 3))
        var best: [Int32: (distance: Int, label: String)] = [:]
        for candidate in suggestionIndex.keys(startingWith: initial, in: index) {
            guard abs(candidate.scalars.count - query.count) <= maxDistance else { continue }
            let distance = Gazetteer.editDistance(query, candidate.scalars, limit: maxDistance)
            guard distance <= maxDistance, let entry = index[candidate.key] else { continue }
            guard let top = entry.places.first(where: { country == nil || places[Int($0)].countryCode == country }) else { continue }
            let place = places[Int(top)]
            let isOwnName = Gazetteer.foldedKey(Array(place.name.utf8)[...]) == candidate.key
            let label = isOwnName ? place.label : "\(entry.spelling) (\(place.label))"
            if let existing = best[top], existing.distance < distance || (existing.distance == distance && !isOwnName) { continue }
            best[top] = (distance, label)
        }
        let ranked = best.sorted { lhs, rhs in
            let l = (lhs.value.distance, -places[Int(lhs.key)].population, lhs.value.label)
            let r = (rhs.value.distance, -places[Int(rhs.key)].population, rhs.value.label)
            return l < r
        }
        return ranked.prefix(limit).map(\.value.label)
    }

    /// Folded keys bucketed by first byte with their scalars decoded, built on the first
    /// suggestion request only (look-ups that succeed never pay for it).
    private let suggestionIndex = SuggestionIndex()

    private final class SuggestionIndex: @unchecked Sendable {  // @unchecked: `buckets` is only touched under `lock`
        struct Candidate {
            let key: [UInt8]
            let scalars: [Unicode.Scalar]
        }
        private let lock = NSLock()
        private var buckets: [UInt8: [Candidate]]?

        func keys(startingWith initial: UInt8, in index: [[UInt8]: Entry]) -> [Candidate] {
            lock.lock()
            defer { lock.unlock() }
            if buckets == nil {
                var built: [UInt8: [Candidate]] = [:]
                for key in index.keys {
                    guard let first = key.first else { continue }
                    built[first, default: []].append(Candidate(key: key, scalars: Array(String(decoding: key, as: UTF8.self).unicodeScalars)))
                }
                buckets = built
            }
            return buckets?[initial] ?? []
        }
    }

    /// Optimal-string-alignment edit distance (Levenshtein plus adjacent transpositions, the
    /// commonest typo), stopping early once every path exceeds `limit` (then returns limit + 1).
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, beforePrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
