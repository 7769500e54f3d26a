// Every failure ConvoyGeo reports to a user. Each description names the value or file at fault
// and the reason, so the command-line tool can print `convoy: <description>` unchanged.

/// An input or environment problem found while georeferencing, transforming or looking up places.
///
/// All cases are user-facing: `description` is a complete sentence fragment suitable for
/// `convoy: <description>` on stderr. None of them indicate a programming error.
public enum GeoError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A CRS definition (`EPSG:NNNN`, WKT, PROJ string or file) that PROJ cannot turn into a CRS.
    case invalidCRS(definition: String, reason: String)
    /// PROJ could not create or run a coordinate operation between two CRSs.
    case transformFailed(from: String, to: String, reason: String)
    /// A coordinate that PROJ could not transform (typically outside the projection's domain).
    case pointNotTransformable(x: Double, y: Double, from: String, to: String, reason: String)
    /// A file that could not be read at all.
    case unreadableFile(path: String, reason: String)
    /// A world file whose content is not six usable numbers; `line` is 1-based, nil if whole-file.
    case malformedWorldFile(file: String, line: Int?, reason: String)
    /// A GDAL `.aux.xml` sidecar whose XML could not be parsed.
    case malformedAuxXML(file: String, reason: String)
    /// GeoTIFF tags that are present but inconsistent or unusable.
    case invalidGeoTIFF(reason: String)
    /// A GeoTIFF CRS defined by user-defined GeoKeys this tool cannot express.
    case unsupportedUserDefinedCRS(reason: String)
    /// A georeferenced image without any CRS: the tool never guesses one.
    case missingCRS(image: String, transformSource: String)
    /// A geotransform that cannot be inverted (pixel size zero or degenerate rotation).
    case singularGeoTransform([Double])
    /// A `--gsd` value that is not a finite number > 0.
    case invalidGroundSampleDistance(String)
    /// A coordinate text that looks like `lat,lon` but is not valid.
    case invalidCoordinate(text: String, reason: String)
    /// A place name not in the gazetteer; `suggestions` are the closest spellings (may be empty).
    case placeNotFound(name: String, country: String?, suggestions: [String])
    /// The gazetteer resource shipped with the tool is missing or corrupt.
    case gazetteerUnavailable(reason: String)

    public var description: String {
        switch self {
        case let .invalidCRS(definition, reason):
            return "invalid CRS '\(Self.abbreviate(definition))': \(reason)"
        case let .transformFailed(from, to, reason):
            return "cannot transform coordinates from \(from) to \(to): \(reason)"
        case let .pointNotTransformable(x, y, from, to, reason):
            return "cannot transform point (\(x), \(y)) from \(from) to \(to): \(reason)"
        case let .unreadableFile(path, reason):
            return "cannot read \(path): \(reason)"
        case let .malformedWorldFile(file, line, reason):
            if let line { return "malformed world file \(file), line \(line): \(reason)" }
            return "malformed world file \(file): \(reason)"
        case let .malformedAuxXML(file, reason):
            return "malformed GDAL aux.xml \(file): \(reason)"
        case let .invalidGeoTIFF(reason):
            return "unusable GeoTIFF georeferencing: \(reason)"
        case let .unsupportedUserDefinedCRS(reason):
            return "unsupported user-defined CRS in GeoTIFF keys (\(reason)); pass --crs EPSG:NNNN or --crs FILE.prj"
        case let .missingCRS(image, transformSource):
            return "\(image) is georeferenced by \(transformSource) but has no CRS (no .prj or .aux.xml); "
                + "pass --crs EPSG:NNNN (or a WKT/.prj file) to say which coordinate system it uses"
        case let .singularGeoTransform(coefficients):
            return "geotransform \(coefficients) cannot be inverted (zero pixel size or degenerate rotation)"
        case let .invalidGroundSampleDistance(text):
            return "invalid --gsd '\(text)': expected metres per pixel, a finite number greater than 0"
        case let .invalidCoordinate(text, reason):
            return "invalid coordinate '\(text)': \(reason)"
        case let .placeNotFound(name, country, suggestions):
            let scope = country.map { " in country \($0)" } ?? ""
            let hint = suggestions.isEmpty ? "" : "; did you mean " + suggestions.map { "'\($0)'" }.joined(separator: ", ") + "?"
            return "unknown place '\(name)'\(scope) (use a name from the built-in gazetteer or 'lat,lon' in decimal degrees)\(hint)"
        case let .gazetteerUnavailable(reason):
            return "built-in gazetteer unavailable: \(reason)"
        }
    }

    /// Long WKT strings are cut so that an error message stays one readable line.
    private static func abbreviate(_ text: String) -> String {
        let oneLine = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return oneLine.count > 120 ? String(oneLine.prefix(117)) + "..." : oneLine
    }
}
