import ArgumentParser
import ConvoyGeo

/// `convoy distance FROM TO`: geodesic distance and bearing between two places or coordinates.
struct Distance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Geodesic distance and initial bearing between two places or 'lat,lon' points (WGS84).",
        discussion: "Places come from the built-in GeoNames gazetteer (CC BY 4.0): 'Kyiv', 'Kharkov', 'Paris,US'.")

    @Argument(help: "Start: a place name (optionally 'Name,CC') or 'lat,lon' in decimal degrees.") var from: String
    @Argument(help: "End: same forms as FROM.") var to: String
    @Option(help: "Output format: text or json.") var format: ReportFormat = .text

    struct Output: Encodable {
        let from: Endpoint, to: Endpoint, distance_km: Double, bearing_deg: Double, method: String
    }

    func run() throws {
        let start = try PlaceOrCoordinate.parse(from), end = try PlaceOrCoordinate.parse(to)
        for note in [start.note, end.note].compactMap({ $0 }) { reportNote(note) }
        let line = Geodesic.wgs84.inverse(from: start.position, to: end.position)
        let output = Output(from: Endpoint(start), to: Endpoint(end), distance_km: line.distance / 1000,
                            bearing_deg: line.initialBearing, method: "geodesic WGS84")
        switch format {
        case .json: print(try encodeJSON(output))
        case .text:
            let numbers = String(format: "%.3f km, bearing %.1f°", output.distance_km, output.bearing_deg)
            print("\(start.label) → \(end.label): \(numbers)  [geodesic WGS84]")
        }
    }
}
