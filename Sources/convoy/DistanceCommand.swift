// `convoy distance FROM TO`: geodesic distance and bearing between two places or coordinates.
import ArgumentParser
import ConvoyGeo
import Foundation

struct Distance: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Geodesic distance and initial bearing between two places or 'lat,lon' points (WGS84).",
        discussion: "Places come from the built-in GeoNames gazetteer (CC BY 4.0): 'Kyiv', 'Kharkov', 'Paris,US'.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @Argument(help: "Start: a place name (optionally 'Name,CC') or 'lat,lon' in decimal degrees.") var from: String
    @Argument(help: "End: same forms as FROM.") var to: String
    @Option(help: "Output format: text or json.") var format: Format = .text

    struct Endpoint: Encodable { let name: String?; let lat: Double; let lon: Double }
    struct Output: Encodable {
        let from: Endpoint, to: Endpoint, distance_km: Double, bearing_deg: Double, method: String
    }

    func run() throws {
        let start = try PlaceOrCoordinate.parse(from), end = try PlaceOrCoordinate.parse(to)
        let line = Geodesic.wgs84.inverse(from: start.position, to: end.position)
        let output = Output(from: endpoint(start), to: endpoint(end), distance_km: line.distance / 1000,
                            bearing_deg: line.initialBearing, method: "geodesic WGS84")
        for note in [start.note, end.note].compactMap({ $0 }) { FileHandle.standardError.write(Data("convoy: note: \(note)\n".utf8)) }
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(output), as: UTF8.self))
        case .text:
            func label(_ p: PlaceOrCoordinate) -> String {
                let coordinates = String(format: "(%.2f, %.2f)", p.position.lat, p.position.lon)
                return p.name.map { "\($0) \(coordinates)" } ?? coordinates
            }
            let numbers = String(format: "%.3f km, bearing %.1f°", output.distance_km, output.bearing_deg)
            print("\(label(start)) → \(label(end)): \(numbers)  [geodesic WGS84]")
        }
    }

    private func endpoint(_ p: PlaceOrCoordinate) -> Endpoint { Endpoint(name: p.name, lat: p.position.lat, lon: p.position.lon) }
}
