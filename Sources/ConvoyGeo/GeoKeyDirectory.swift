// The GeoKeyDirectory of a GeoTIFF: a small key/value store packed into three TIFF tags
// (shorts in 34735, doubles in 34736, '|'-terminated strings in 34737).

/// The decoded GeoKeys of a GeoTIFF, keyed by GeoKey id.
public struct GeoKeyDirectory: Sendable, Equatable {
    /// A key's value: GeoKeys are typed by where they are stored.
    public enum Value: Sendable, Equatable {
        case shorts([UInt16])
        case doubles([Double])
        case ascii(String)
    }

    /// The GeoKey ids this library reads (GeoTIFF 1.0 / OGC GeoTIFF 1.1 names).
    public enum Key {
        public static let modelType: UInt16 = 1024            // GTModelTypeGeoKey: 1 projected, 2 geographic, 3 geocentric
        public static let rasterType: UInt16 = 1025           // GTRasterTypeGeoKey: 1 PixelIsArea, 2 PixelIsPoint
        public static let citation: UInt16 = 1026             // GTCitationGeoKey
        public static let geographicType: UInt16 = 2048       // GeographicTypeGeoKey (EPSG geographic CRS)
        public static let geodeticDatum: UInt16 = 2050        // GeogGeodeticDatumGeoKey
        public static let primeMeridian: UInt16 = 2051        // GeogPrimeMeridianGeoKey
        public static let geogAngularUnits: UInt16 = 2054     // GeogAngularUnitsGeoKey
        public static let ellipsoid: UInt16 = 2056            // GeogEllipsoidGeoKey
        public static let semiMajorAxis: UInt16 = 2057        // GeogSemiMajorAxisGeoKey
        public static let semiMinorAxis: UInt16 = 2058        // GeogSemiMinorAxisGeoKey
        public static let inverseFlattening: UInt16 = 2059    // GeogInvFlatteningGeoKey
        public static let primeMeridianLongitude: UInt16 = 2061 // GeogPrimeMeridianLongGeoKey
        public static let projectedCSType: UInt16 = 3072      // ProjectedCSTypeGeoKey (EPSG projected CRS)
        public static let projection: UInt16 = 3074           // ProjectionGeoKey (EPSG conversion)
        public static let projCoordTrans: UInt16 = 3075       // ProjCoordTransGeoKey (projection method)
        public static let projLinearUnits: UInt16 = 3076      // ProjLinearUnitsGeoKey
        public static let projLinearUnitSize: UInt16 = 3077   // ProjLinearUnitSizeGeoKey (metres)
        public static let stdParallel1: UInt16 = 3078
        public static let stdParallel2: UInt16 = 3079
        public static let natOriginLong: UInt16 = 3080
        public static let natOriginLat: UInt16 = 3081
        public static let falseEasting: UInt16 = 3082
        public static let falseNorthing: UInt16 = 3083
        public static let falseOriginLong: UInt16 = 3084
        public static let falseOriginLat: UInt16 = 3085
        public static let falseOriginEasting: UInt16 = 3086
        public static let falseOriginNorthing: UInt16 = 3087
        public static let centerLong: UInt16 = 3088
        public static let centerLat: UInt16 = 3089
        public static let scaleAtNatOrigin: UInt16 = 3092
        public static let scaleAtCenter: UInt16 = 3093
        public static let straightVertPoleLong: UInt16 = 3095
        /// The value meaning "user-defined" in code-valued keys.
        public static let userDefined: UInt16 = 32767
    }

    /// Key id → value.
    public let values: [UInt16: Value]

    /// Decodes the three GeoTIFF tags.
    /// - Throws: `GeoError.invalidGeoTIFF` for a truncated directory or an entry that points
    ///   outside the double/ascii params.
    public init(directory: [UInt16], doubleParams: [Double], asciiParams: String) throws {
        guard directory.count >= 4 else {
            throw GeoError.invalidGeoTIFF(reason: "GeoKeyDirectory has \(directory.count) values, needs at least a 4-value header")
        }
        let keyCount = Int(directory[3])
        guard directory.count >= 4 + 4 * keyCount else {
            throw GeoError.invalidGeoTIFF(reason: "GeoKeyDirectory declares \(keyCount) keys but holds \((directory.count - 4) / 4)")
        }
        let ascii = Array(asciiParams.utf8)
        var values: [UInt16: Value] = [:]
        for index in 0..<keyCount {
            let entry = 4 + 4 * index
            let id = directory[entry], location = directory[entry + 1]
            let count = Int(directory[entry + 2]), offset = Int(directory[entry + 3])
            switch location {
            case 0:
                values[id] = .shorts([directory[entry + 3]])
            case 34735:
                guard offset + count <= directory.count else { throw Self.outOfRange(id, "GeoKeyDirectory") }
                values[id] = .shorts(Array(directory[offset..<(offset + count)]))
            case 34736:
                guard offset + count <= doubleParams.count else { throw Self.outOfRange(id, "GeoDoubleParams") }
                values[id] = .doubles(Array(doubleParams[offset..<(offset + count)]))
            case 34737:
                guard offset + count <= ascii.count else { throw Self.outOfRange(id, "GeoAsciiParams") }
                var text = String(decoding: ascii[offset..<(offset + count)], as: UTF8.self)
                while text.last == "|" || text.last == "\0" { text.removeLast() }
                values[id] = .ascii(text)
            default:
                // A key stored in some other tag: GeoTIFF allows it, nothing here needs it.
                continue
            }
        }
        self.values = values
    }

    private static func outOfRange(_ id: UInt16, _ tag: String) -> GeoError {
        .invalidGeoTIFF(reason: "GeoKey \(id) points outside \(tag)")
    }

    /// A short-valued key (codes, enumerations), or nil when absent or not a short.
    public func short(_ key: UInt16) -> UInt16? {
        if case let .shorts(values)? = values[key], let first = values.first { return first }
        return nil
    }

    /// A double-valued key, or nil.
    public func double(_ key: UInt16) -> Double? {
        if case let .doubles(values)? = values[key], let first = values.first { return first }
        return nil
    }

    /// An ascii-valued key (citations), or nil.
    public func ascii(_ key: UInt16) -> String? {
        if case let .ascii(text)? = values[key] { return text }
        return nil
    }
}
