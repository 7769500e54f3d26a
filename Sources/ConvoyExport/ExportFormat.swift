/// The GIS formats convoys are exported in.
public enum ExportFormat: String, Sendable, CaseIterable {
    case geojson, kml, csv

    /// The file for `convoys`, and the convoys it could not place on a map.
    public func render(_ convoys: [ExportedConvoy], title: String = "convoy") throws -> ExportResult {
        switch self {
        case .geojson: return try GeoJSONExport.export(convoys)
        case .kml: return KMLExport.export(convoys, title: title)
        case .csv: return CSVExport.export(convoys)
        }
    }
}
