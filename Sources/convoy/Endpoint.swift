import ConvoyGeo
import Foundation

/// A place or coordinate as the JSON reports show it: `{"name"?, "lat", "lon"}`.
struct Endpoint: Encodable {
    let name: String?
    let lat: Double
    let lon: Double

    init(_ p: PlaceOrCoordinate) {
        name = p.name
        lat = p.position.lat
        lon = p.position.lon
    }
}

extension PlaceOrCoordinate {
    /// "Kyiv, UA (50.45, 30.52)" or "(50.45, 30.52)".
    var label: String {
        let coordinates = String(format: "(%.2f, %.2f)", position.lat, position.lon)
        return name.map { "\($0) \(coordinates)" } ?? coordinates
    }
}
