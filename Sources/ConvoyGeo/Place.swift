// A named place from the built-in gazetteer, and the answer to "which place did you mean?".

/// A populated place from the gazetteer (GeoNames, CC BY 4.0, or the hand-curated supplement).
public struct Place: Sendable, Hashable {
    /// GeoNames id; negative for supplement entries that have none.
    public let geonameID: Int
    /// The GeoNames name (English/Latin script where GeoNames has one), e.g. "Kyiv".
    public let name: String
    /// ISO 3166-1 alpha-2 country code, e.g. "UA".
    public let countryCode: String
    /// GeoNames first-level administrative division code (oblast/state), may be empty.
    public let admin1: String
    /// The place's representative point (city centre) on WGS 84.
    public let position: LonLat
    /// Population as recorded by GeoNames (0 when unknown or uninhabited).
    public let population: Int
    /// For supplement entries, how exact the position is ("approx-1km", "approx-5km"); nil for GeoNames values.
    public let accuracyNote: String?

    public init(geonameID: Int, name: String, countryCode: String, admin1: String, position: LonLat,
                population: Int, accuracyNote: String?) {
        self.geonameID = geonameID
        self.name = name
        self.countryCode = countryCode
        self.admin1 = admin1
        self.position = position
        self.population = population
        self.accuracyNote = accuracyNote
    }

    /// "Kyiv, UA".
    public var label: String { "\(name), \(countryCode)" }
}

/// The result of a gazetteer look-up.
public struct PlaceMatch: Sendable, Hashable {
    /// The chosen place: the most populous one with that name (in the requested country, if any).
    public let place: Place
    /// The spelling that matched, as stored (may be an alternate name such as "Kiev").
    public let matchedName: String
    /// Every place with that name (folded), chosen one first, by descending population.
    public let candidates: [Place]

    /// More than one place carries the name.
    public var isAmbiguous: Bool { candidates.count > 1 }

    /// A one-line explanation for ambiguous matches, e.g.
    /// "most populous of 3 places named 'Paris': Paris, FR; Paris, US; Paris, US"; nil when unambiguous.
    public var ambiguityNote: String? {
        guard isAmbiguous else { return nil }
        let shown = candidates.prefix(5).map(\.label).joined(separator: "; ")
        let more = candidates.count > 5 ? "; ..." : ""
        return "most populous of \(candidates.count) places named '\(matchedName)': \(shown)\(more)"
    }
}
