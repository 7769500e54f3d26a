import Foundation

/// RFC 7946 GeoJSON: one FeatureCollection, in WGS84 longitude/latitude (no "crs" member), with
/// for each convoy a LineString along its path from head to tail and a Point at its head and at
/// its tail. Properties: `kind` ("convoy", "head", "tail"), `image`, `convoy` (number),
/// `length_km`, `length_uncertainty_km`, `vehicles`, `vehicles_estimated`, `confidence`,
/// `target`, `distance_km`, `bearing_deg`, `head_at_image_edge`, `tail_at_image_edge` (null
/// where unknown). Convoys without georeference cannot be placed and are left out (see
/// `ExportResult.unmapped`), so every feature has a geometry, as QGIS and OGR expect.
public enum GeoJSONExport {
    enum Value: Encodable {
        case string(String), number(Double), int(Int), bool(Bool), null

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .string(s): try c.encode(s)
            case let .number(d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
            case let .int(i): try c.encode(i)
            case let .bool(b): try c.encode(b)
            case .null: try c.encodeNil()
            }
        }
    }

    struct Geometry: Encodable {
        let type: String
        let coordinates: Coordinates
    }

    enum Coordinates: Encodable {
        case point([Double]), line([[Double]])
        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case let .point(p): try c.encode(p)
            case let .line(l): try c.encode(l)
            }
        }
    }

    struct Feature: Encodable {
        let type = "Feature"
        let geometry: Geometry
        let properties: [String: Value]
    }

    struct Collection: Encodable {
        let type = "FeatureCollection"
        let features: [Feature]
    }

    public static func export(_ convoys: [ExportedConvoy]) throws -> ExportResult {
        var features: [Feature] = []
        var unmapped: [ExportedConvoy] = []
        for item in convoys {
            guard item.isMappable, let path = item.convoy.lonLatPath else { unmapped.append(item); continue }
            let c = item.convoy
            var properties: [String: Value] = [
                "kind": .string("convoy"), "image": .string(item.image), "convoy": .int(item.number),
                "length_km": .number(c.length_km), "length_uncertainty_km": .number(c.length_uncertainty_km),
                "vehicles": .int(c.vehicles), "vehicles_estimated": .bool(c.vehicles_estimated),
                "confidence": .number(c.confidence),
                "target": item.targetLabel.map(Value.string) ?? .null,
                "distance_km": c.target.map { .number($0.distance_km) } ?? .null,
                "bearing_deg": c.target.map { .number($0.bearing_deg) } ?? .null,
                "head_at_image_edge": .bool(c.head_at_image_edge), "tail_at_image_edge": .bool(c.tail_at_image_edge),
            ]
            features.append(Feature(geometry: Geometry(type: "LineString", coordinates: .line(path.map(\.pair))),
                                    properties: properties))
            for (kind, point) in [("head", path.first!), ("tail", path.last!)] {
                properties["kind"] = .string(kind)
                features.append(Feature(geometry: Geometry(type: "Point", coordinates: .point(point.pair)), properties: properties))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = [UInt8](try encoder.encode(Collection(features: features)))
        data.append(0x0A)
        return ExportResult(data: data, unmapped: unmapped)
    }
}
