// The built-in gazetteer: names in several scripts and spellings, ambiguity, country filters,
// suggestions for typos, and how long the look-ups take.
import Foundation
import Testing
@testable import ConvoyGeo

@Suite("Gazetteer")
struct GazetteerTests {
    /// Known positions (GeoNames values, or the public record for the airport).
    static let known: [(String, String, Double, Double)] = [
        ("Kyiv", "Kyiv", 50.45466, 30.5238), ("Kiev", "Kyiv", 50.45466, 30.5238), ("Київ", "Kyiv", 50.45466, 30.5238),
        ("kyiv", "Kyiv", 50.45466, 30.5238), ("KIEV,ua", "Kyiv", 50.45466, 30.5238), ("Киев", "Kyiv", 50.45466, 30.5238),
        ("Kharkiv", "Kharkiv", 49.98177, 36.25475), ("Kharkov", "Kharkiv", 49.98177, 36.25475), ("Харків", "Kharkiv", 49.98177, 36.25475),
        ("Ivankiv", "Ivankiv", 50.93953, 29.90205), ("Ivankov", "Ivankiv", 50.93953, 29.90205), ("Ivan'kiv", "Ivankiv", 50.93953, 29.90205),
        ("Hostomel", "Hostomel", 50.56841, 30.2651), ("Gostomel", "Hostomel", 50.56841, 30.2651),
        ("Bucha", "Bucha", 50.54741, 30.20879), ("Irpin", "Irpin", 50.52201, 30.24037), ("Irpen", "Irpin", 50.52201, 30.24037),
        ("Borodianka", "Borodianka", 50.64306, 29.92329), ("Borodyanka", "Borodianka", 50.64306, 29.92329),
        ("Chernobyl", "Chornobyl", 51.27013, 30.21968), ("Chornobyl", "Chornobyl", 51.27013, 30.21968),
        ("Antonov Airport", "Antonov Airport", 50.6036, 30.1917), ("Hostomel Airport", "Antonov Airport", 50.6036, 30.1917),
        ("Prybirsk", "Prybirsk", 51.01, 30.12),
    ]

    @Test("names, alternate names and other scripts resolve within 2 km of the known position", arguments: known.indices)
    func resolves(_ index: Int) throws {
        let (query, name, lat, lon) = Self.known[index]
        let match = try Gazetteer.builtIn().lookup(query)
        #expect(match.place.name == name)
        let distance = Geodesic.wgs84.inverse(from: match.place.position, to: LonLat(lon: lon, lat: lat)).distance
        #expect(distance < 2000, "\(query): \(distance) m away")
    }

    @Test("ambiguous name picks the most populous and says so: Paris → FR")
    func paris() throws {
        let match = try Gazetteer.builtIn().lookup("Paris")
        #expect(match.place.countryCode == "FR")
        #expect(match.isAmbiguous)
        #expect(match.candidates.first == match.place)
        #expect(match.candidates.map(\.population) == match.candidates.map(\.population).sorted(by: >))
        #expect(match.ambiguityNote?.hasPrefix("most populous of \(match.candidates.count) places named 'Paris'") == true)
    }

    @Test("Name,CC picks the country", arguments: ["Paris,US", "Paris, us", "paris ,US"])
    func country(_ query: String) throws {
        let match = try Gazetteer.builtIn().lookup(query)
        #expect(match.place.countryCode == "US")
        #expect(match.place.name == "Paris")
    }

    @Test("a name that exists, but not in the requested country, says where it does exist")
    func wrongCountry() {
        #expect {
            _ = try Gazetteer.builtIn().lookup("Kharkiv,PL")
        } throws: { error in "\(error)".contains("in country PL") && "\(error)".contains("Kharkiv, UA") }
    }

    @Test("typos get up to three close spellings", arguments: [("Kharkif", "Kharkiv, UA"), ("Hostomell", "Hostomel, UA"), ("Ivankvi", "Ivankiv, UA"), ("Kyvi", "Kyiv, UA"),
                                                              ("Bordianka", "Borodianka, UA")])
    func suggestions(_ typo: String, _ expected: String) throws {
        do {
            _ = try Gazetteer.builtIn().lookup(typo)
            Issue.record("\(typo) unexpectedly resolved")
        } catch let GeoError.placeNotFound(name, _, suggestions) {
            #expect(name == typo)
            #expect(suggestions.count <= 3)
            #expect(suggestions.contains { $0.hasSuffix(expected) }, "\(suggestions)")
        }
    }

    @Test("folding: case, diacritics, apostrophes, hyphens and spaces")
    func folding() {
        #expect(Gazetteer.fold("Kyïv") == Gazetteer.fold("KYIV"))
        #expect(Gazetteer.fold("Ivan'kiv") == "ivankiv")
        #expect(Gazetteer.fold("Ivano-Frankivsk") == Gazetteer.fold("ivano  frankivsk"))
        #expect(Gazetteer.fold("Kraków") == "krakow")
    }

    @Test("supplement places carry their accuracy; GeoNames places do not")
    func accuracy() throws {
        #expect(try Gazetteer.builtIn().lookup("Prybirsk").place.accuracyNote == "approx-5km")
        #expect(try Gazetteer.builtIn().lookup("Ivankiv").place.accuracyNote == nil)
    }

    @Test("malformed gazetteer text is an error, not a crash")
    func malformed() {
        #expect(throws: GeoError.self) { _ = try Gazetteer(tsv: "1\tX\tUA\t\tnot-a-number\t30\t0\t\t\n") }
        #expect(throws: GeoError.self) { _ = try Gazetteer(tsv: "# only comments\n") }
        #expect(throws: GeoError.self) { _ = try Gazetteer(tsv: "1\tX\tUA\t\t95\t30\t0\t\t\n") }
    }
}
