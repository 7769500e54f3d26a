import ConvoyGeo
import ConvoyMeasure
import ConvoyImageIO
import Foundation

/// One file's line in `convoy info`: its header, or why it could not be read.
struct ImageInfoRecord: Encodable {
    let path: String
    var format: ImageFormat?
    var width: Int?
    var height: Int?
    var bands: Int?
    var bitDepth: Int?
    var color: ColorModel?
    var compression: String?
    var tile: [Int]?
    var warnings: Int?
    /// Present (possibly null) for every readable image.
    var georeference: GeoreferenceRecord?
    /// Why the sidecars or GeoTIFF keys could not be turned into a georeference.
    var georeferenceError: String?
    var error: String?

    enum CodingKeys: String, CodingKey {
        case path, format, width, height, bands, bitDepth = "bit_depth", color, compression, tile, warnings,
             georeference, georeferenceError = "georeference_error", error
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(path, forKey: .path)
        try c.encodeIfPresent(error, forKey: .error)
        guard format != nil else { return } // unreadable: {"path", "error"} only
        try c.encodeIfPresent(format, forKey: .format)
        try c.encodeIfPresent(width, forKey: .width)
        try c.encodeIfPresent(height, forKey: .height)
        try c.encodeIfPresent(bands, forKey: .bands)
        try c.encodeIfPresent(bitDepth, forKey: .bitDepth)
        try c.encodeIfPresent(color, forKey: .color)
        try c.encodeIfPresent(compression, forKey: .compression)
        try c.encodeIfPresent(tile, forKey: .tile)
        try c.encodeIfPresent(warnings, forKey: .warnings)
        try c.encode(georeference, forKey: .georeference) // null when there is none
        try c.encodeIfPresent(georeferenceError, forKey: .georeferenceError)
    }

    /// Reads the header and, when `verifyPixels`, decodes every row to prove the file whole;
    /// then looks for a georeference (GeoTIFF keys, world file, .aux.xml), with `crs` overriding.
    init(path: String, verifyPixels: Bool, limits: DecodeLimits, crs: CoordinateReferenceSystem?) throws(ImageError) {
        let reader = try ImageReader(path: path, limits: limits, describeUnsupported: true)
        let h = reader.header
        if let reason = h.unsupportedReason {
            error = reason // described, but its pixels cannot be used
        } else if verifyPixels {
            while try reader.nextBand() != nil {}
        }
        self.path = path
        format = h.format
        width = h.width
        height = h.height
        bands = h.dataBands
        bitDepth = h.bitDepth
        color = h.color
        compression = h.compressionName
        tile = h.tileSize.map { [$0.width, $0.height] }
        warnings = reader.warnings.count
        do {
            georeference = try Georeference.of(reader, crsOverride: crs).map {
                try GeoreferenceRecord($0, width: h.width, height: h.height)
            }
        } catch {
            georeferenceError = "\(error)"
        }
    }

    init(path: String, error: ImageError) {
        self.path = path
        self.error = error.reason
    }

    /// A readable table, one row per file.
    static func table(_ records: [ImageInfoRecord]) -> String {
        let header = ["FILE", "FORMAT", "WIDTH", "HEIGHT", "BANDS", "BITS", "COLOR", "COMPRESSION", "GEOREFERENCE"]
        let rows = records.map { r -> [String] in
            if let error = r.error, r.format == nil { return [r.path, "error: \(error)"] }
            return [r.path, r.format?.rawValue ?? "", String(r.width ?? 0), String(r.height ?? 0),
                    String(r.bands ?? 0), String(r.bitDepth ?? 0), r.color?.rawValue ?? "",
                    (r.compression ?? "") + (r.tile.map { " tiled \($0[0])x\($0[1])" } ?? ""),
                    r.georeferenceText]
        }
        return TextTable(header: header, rows: rows).render()
    }

    /// "EPSG:32635, 0.50 x 0.50 m (geotiff)", "none", or the problem.
    var georeferenceText: String {
        if let error { return "error: \(error)" }
        if let georeferenceError { return "error: \(georeferenceError)" }
        guard let g = georeference else { return "none" }
        let crs = g.crs.hasPrefix("EPSG:") ? g.crs : "custom CRS"
        return String(format: "%@, %.2f x %.2f m (%@)", crs, g.gsdM[0], g.gsdM[1], g.source)
    }
}
