// The one location parser used by `distance` and `--target`.
import Testing
@testable import ConvoyGeo

@Suite("PlaceOrCoordinate parsing")
struct PlaceOrCoordinateTests {
    @Test("coordinates: lat,lon with optional spaces",
          arguments: [("50.45,30.52", 50.45, 30.52), ("50.45, 30.52", 50.45, 30.52), (" -33.86 , 151.21 ", -33.86, 151.21),
                      ("50.45 30.52", 50.45, 30.52), ("90,180", 90.0, 180.0), ("-90,-180", -90.0, -180.0), ("+1.5e1,2", 15.0, 2.0),
                      ("0,0", 0.0, 0.0)])
    func coordinates(_ text: String, _ lat: Double, _ lon: Double) throws {
        let parsed = try PlaceOrCoordinate.parse(text)
        #expect(parsed == .coordinate(LonLat(lon: lon, lat: lat)))
        #expect(parsed.name == nil && parsed.note == nil)
    }

    @Test("invalid coordinates: the error names the value and the reason",
          arguments: [("91,30", "latitude 91.0 is outside [-90, 90]"), ("-90.5,0", "latitude -90.5 is outside [-90, 90]"),
                      ("50,181", "longitude 181.0 is outside [-180, 180]"), ("50,-180.01", "longitude -180.01 is outside [-180, 180]"),
                      ("30.5,250", "longitude 250.0 is outside"), ("120,50", "(latitude comes first: 'lat,lon')"),
                      ("50.45,abc", "'abc' is not a decimal number"), ("50.45, NaN", "'NaN' is not a decimal number"),
                      ("50,45,30,52", "expected two numbers 'lat,lon' with '.' as the decimal point"),
                      ("50.45", "expected 'lat,lon' (two numbers)"), ("50.45,", "'' is not a decimal number"), ("  ", "empty location")])
    func invalid(_ text: String, _ reason: String) {
        #expect {
            _ = try PlaceOrCoordinate.parse(text)
        } throws: { error in
            let description = "\(error)"
            return description.contains(reason) && (description.contains("'\(text.trimmingCharacters(in: .whitespaces))'") || text.trimmingCharacters(in: .whitespaces).isEmpty)
        }
    }

    @Test("place names, including Name,CC (both parts must be numeric to be coordinates)",
          arguments: [("Kyiv", "Kyiv, UA"), ("Paris,US", "Paris, US"), ("Paris, FR", "Paris, FR"), ("Київ", "Kyiv, UA"), ("Ivankiv", "Ivankiv, UA")])
    func places(_ text: String, _ label: String) throws {
        let parsed = try PlaceOrCoordinate.parse(text)
        #expect(parsed.name == label)
    }

    @Test("ambiguous and approximate places carry a note")
    func notes() throws {
        #expect(try PlaceOrCoordinate.parse("Paris").note?.contains("most populous of") == true)
        #expect(try PlaceOrCoordinate.parse("Prybirsk").note?.contains("approximate") == true)
        #expect(try PlaceOrCoordinate.parse("Kyiv,UA").note == nil)
    }

    @Test("the gazetteer is not loaded for coordinates")
    func lazyGazetteer() throws {
        let parsed = try PlaceOrCoordinate.parse("50.45,30.52") { throw GeoError.gazetteerUnavailable(reason: "must not be called") }
        #expect(parsed.position == LonLat(lon: 30.52, lat: 50.45))
    }

    @Test("unknown place: error with suggestions")
    func unknown() {
        #expect {
            _ = try PlaceOrCoordinate.parse("Kharkof")
        } throws: { error in "\(error)".hasPrefix("unknown place 'Kharkof'") && "\(error)".contains("Kharkiv") }
    }
}
