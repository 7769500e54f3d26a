import ConvoyImageIO

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
    var error: String?

    enum CodingKeys: String, CodingKey {
        case path, format, width, height, bands, bitDepth = "bit_depth", color, compression, tile, warnings, error
    }

    /// Reads the header and, when `verifyPixels`, decodes every row to prove the file whole.
    init(path: String, verifyPixels: Bool, limits: DecodeLimits) throws(ImageError) {
        let reader = try ImageReader(path: path, limits: limits)
        if verifyPixels {
            while try reader.nextBand() != nil {}
        }
        let h = reader.header
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
    }

    init(path: String, error: ImageError) {
        self.path = path
        self.error = error.reason
    }

    /// A readable table, one row per file.
    static func table(_ records: [ImageInfoRecord]) -> String {
        let header = ["FILE", "FORMAT", "WIDTH", "HEIGHT", "BANDS", "BITS", "COLOR", "COMPRESSION"]
        let rows = records.map { r -> [String] in
            if let error = r.error { return [r.path, "error: \(error)"] }
            return [r.path, r.format?.rawValue ?? "", String(r.width ?? 0), String(r.height ?? 0),
                    String(r.bands ?? 0), String(r.bitDepth ?? 0), r.color?.rawValue ?? "",
                    (r.compression ?? "") + (r.tile.map { " tiled \($0[0])x\($0[1])" } ?? "")]
        }
        return TextTable(header: header, rows: rows).render()
    }
}
