import ArgumentParser
import ConvoyGeo

/// `--crs`, shared by the commands that read georeferenced images.
struct GeoreferenceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Coordinate reference system of the images, overriding any in the files: EPSG:NNNN, a WKT file or a PROJ string.",
        valueName: "crs"))
    var crs: String?

    /// The parsed `--crs`, or nil. Throws a `GeoError` naming the value.
    func crsOverride() throws -> CoordinateReferenceSystem? {
        try crs.map { try CoordinateReferenceSystem(userInput: $0) }
    }
}

/// `--target PLACE|LAT,LON`, parsed once for the commands that report a distance to it.
struct TargetOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Place (\"Kyiv\", \"Name,CC\") or 'lat,lon' to report the distance and bearing from each convoy's head to.",
        valueName: "place|lat,lon"))
    var target: String?

    /// The resolved target, or nil without `--target`. Throws a `GeoError` naming the value
    /// (unknown place with the closest spellings, coordinates out of range).
    func resolvedTarget() throws -> PlaceOrCoordinate? {
        guard let target else { return nil }
        let resolved = try PlaceOrCoordinate.parse(target)
        if let note = resolved.note { reportNote(note) }
        return resolved
    }
}
