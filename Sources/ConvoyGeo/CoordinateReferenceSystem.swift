// A coordinate reference system as the tool uses it: parsed once by PROJ from whatever the user
// or the image supplied, then kept as WKT plus the few facts that decide how to measure.
import Foundation

/// A coordinate reference system (CRS) understood by PROJ.
///
/// The value holds no PROJ state (see PROJ.swift for why), so it is `Sendable` and cheap to copy.
/// Two values are equal when their WKT is identical.
public struct CoordinateReferenceSystem: Sendable, Equatable, CustomStringConvertible {
    /// Whether coordinates are angles on an ellipsoid or projected onto a plane.
    public enum Kind: String, Sendable, Equatable {
        /// Longitude/latitude in angular units (normally degrees).
        case geographic
        /// Easting/northing in linear units (normally metres).
        case projected
        /// Anything else PROJ accepts as a CRS (geocentric, engineering, vertical...).
        case other
    }

    /// PROJ's name for the CRS, e.g. "WGS 84 / Pseudo-Mercator".
    public let name: String
    /// The CRS as WKT2:2019 (ISO 19162:2019), which keeps the authority identifier when there is one.
    public let wkt: String
    /// The authority of `code`, normally "EPSG"; nil when the CRS has no known identifier.
    public let authority: String?
    /// The identifier within `authority`, e.g. "3857". Taken from the definition itself or, for WKT
    /// without an AUTHORITY node, from `proj_identify` when PROJ is 100 % confident.
    public let code: String?
    public let kind: Kind
    /// The unit of the first axis as PROJ names it: "metre", "degree", "US survey foot", ...
    public let unitName: String
    /// Metres per unit for a linear unit (1 for metres, 0.3048006096 for US survey feet); nil for
    /// angular units.
    public let metresPerUnit: Double?

    /// "EPSG:3857" when the CRS has an identifier, else nil.
    public var identifier: String? {
        guard let authority, let code else { return nil }
        return "\(authority):\(code)"
    }

    /// The EPSG code when the identifier is an EPSG one.
    public var epsgCode: Int? {
        guard authority?.uppercased() == "EPSG", let code else { return nil }
        return Int(code)
    }

    /// `identifier` or, failing that, the name: what messages call this CRS.
    public var description: String { identifier.map { "\($0) (\(name))" } ?? name }

    init(_ description: CRSDescription) {
        name = description.name
        wkt = description.wkt
        authority = description.authority
        code = description.code
        unitName = description.unitName
        switch description.kind {
        case .geographic:
            kind = .geographic
            metresPerUnit = nil
        case .projected:
            kind = .projected
            metresPerUnit = description.unitToSI
        case .other:
            kind = .other
            metresPerUnit = nil
        }
    }

    /// Parses a CRS definition: "EPSG:NNNN" (or another AUTH:CODE PROJ knows), WKT1, WKT2,
    /// ESRI WKT (.prj content), PROJJSON or a PROJ string such as "+proj=utm +zone=36 +datum=WGS84".
    /// - Throws: `GeoError.invalidCRS` naming the definition and PROJ's reason (e.g. an unknown EPSG code).
    public init(definition: String) throws {
        self.init(try PROJ.describeCRS(definition: definition))
    }

    /// The CRS with this EPSG code, e.g. 32636 for WGS 84 / UTM zone 36N.
    /// - Throws: `GeoError.invalidCRS` when PROJ's database has no CRS with that code.
    public init(epsg code: Int) throws {
        try self.init(definition: "EPSG:\(code)")
    }

    /// Reads a CRS from a file containing WKT (OGC or ESRI, e.g. a `.prj`), PROJJSON or a PROJ string.
    /// - Throws: `GeoError.unreadableFile` or `GeoError.invalidCRS` naming the file.
    public init(contentsOfFile path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            // ESRI .prj files written on Windows are sometimes Latin-1.
            guard let latin1 = try? String(contentsOfFile: path, encoding: .isoLatin1) else {
                throw GeoError.unreadableFile(path: path, reason: error.localizedDescription)
            }
            text = latin1
        }
        do {
            try self.init(definition: text)
        } catch let GeoError.invalidCRS(_, reason) {
            throw GeoError.invalidCRS(definition: path, reason: reason)
        }
    }

    /// The value of a `--crs` option: a path to an existing file (WKT/.prj/PROJJSON), otherwise a
    /// definition as accepted by `init(definition:)`. A bare number such as "3857" means EPSG:3857.
    public init(userInput: String) throws {
        let trimmed = userInput.trimmingCharacters(in: .whitespacesAndNewlines)
        var isDirectory: ObjCBool = false
        if !trimmed.hasPrefix("+"), !trimmed.contains("["), !trimmed.contains("{"),
           FileManager.default.fileExists(atPath: trimmed, isDirectory: &isDirectory), !isDirectory.boolValue {
            try self.init(contentsOfFile: trimmed)
        } else if let code = Int(trimmed), code > 0 {
            try self.init(epsg: code)
        } else {
            try self.init(definition: trimmed)
        }
    }

    /// WGS 84 geographic, EPSG:4326, as PROJ defines it.
    public static func wgs84() throws -> CoordinateReferenceSystem {
        try CoordinateReferenceSystem(epsg: 4326)
    }
}
