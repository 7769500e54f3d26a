// ESRI world files (.pgw, .jgw, .tfw, .wld, ...): six numbers placing an image on a map.
import Foundation

/// The six numbers of an ESRI world file, in file order A, D, B, E, C, F.
///
/// They describe the CENTRE of the top-left pixel (unlike `GeoTransform`, which uses its corner):
///
///     X = C + col * A + row * B,   Y = F + col * D + row * E   (col, row = pixel indices)
///
/// Units are those of the image's CRS, which the world file does not say (see `CRSSidecar`).
public struct WorldFile: Sendable, Hashable {
    /// Line 1: map X change per column (pixel width).
    public let a: Double
    /// Line 2: map Y change per column (rotation term).
    public let d: Double
    /// Line 3: map X change per row (rotation term).
    public let b: Double
    /// Line 4: map Y change per row (negative pixel height for a north-up image).
    public let e: Double
    /// Line 5: map X of the centre of the top-left pixel.
    public let c: Double
    /// Line 6: map Y of the centre of the top-left pixel.
    public let f: Double

    public init(a: Double, d: Double, b: Double, e: Double, c: Double, f: Double) {
        self.a = a
        self.d = d
        self.b = b
        self.e = e
        self.c = c
        self.f = f
    }

    /// The equivalent pixel-corner transform.
    public var geoTransform: GeoTransform { GeoTransform(worldFile: self) }

    /// Parses world-file text, accepting what GDAL's GDALLoadWorldFile accepts: the first six
    /// non-blank lines are the numbers; surrounding spaces/tabs, CRLF line ends, blank lines and
    /// lines after the sixth are ignored. Also accepted: a trailing comma after a number
    /// ("30.0,") and a decimal comma when there is no point ("30,5" = 30.5), both seen in files
    /// written by spreadsheet tools.
    ///
    /// Stricter than GDAL (which reads garbage as 0): a line that is not a number, or is NaN or
    /// infinite, is an error, as is a file whose pixel size is zero.
    ///
    /// - Parameter fileName: used only in error messages.
    /// - Throws: `GeoError.malformedWorldFile` naming `fileName` and the 1-based line.
    public static func parse(_ text: String, fileName: String) throws -> WorldFile {
        var numbers: [Double] = []
        // Split on \n, \r\n and lone \r alike; keep 1-based line numbers for messages.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "\r", omittingEmptySubsequences: false) }
        for (index, rawLine) in lines.enumerated() where numbers.count < 6 {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            guard let value = number(from: line) else {
                throw GeoError.malformedWorldFile(file: fileName, line: index + 1, reason: "'\(line)' is not a number")
            }
            guard value.isFinite else {
                throw GeoError.malformedWorldFile(file: fileName, line: index + 1, reason: "'\(line)' is not a finite number")
            }
            numbers.append(value)
        }
        guard numbers.count == 6 else {
            throw GeoError.malformedWorldFile(file: fileName, line: nil,
                                              reason: "expected 6 numbers (A, D, B, E, C, F), found \(numbers.count)")
        }
        let world = WorldFile(a: numbers[0], d: numbers[1], b: numbers[2], e: numbers[3], c: numbers[4], f: numbers[5])
        // GDAL's own validity test: both pixel axes must have a non-zero extent.
        guard world.a != 0 || world.b != 0, world.e != 0 || world.d != 0, world.a * world.e - world.b * world.d != 0 else {
            throw GeoError.malformedWorldFile(file: fileName, line: nil, reason: "pixel size is zero (degenerate transform)")
        }
        return world
    }

    private static func number(from line: String) -> Double? {
        var text = Substring(line)
        while text.last == "," { text = text.dropLast() }
        text = Substring(text.trimmingCharacters(in: .whitespaces))
        guard !text.isEmpty else { return nil }
        // Only plain decimal notation: no hex floats, no "inf"/"nan" spelled as words pass through as
        // non-finite so that the caller can say so.
        let allowed = Set("0123456789+-.eE,")
        let lowered = text.lowercased()
        if ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(lowered) {
            return Double(lowered.replacingOccurrences(of: "infinity", with: "inf"))
        }
        guard text.allSatisfy({ allowed.contains($0) }) else { return nil }
        if text.contains(",") {
            guard !text.contains("."), text.filter({ $0 == "," }).count == 1 else { return nil }
            text = Substring(text.replacingOccurrences(of: ",", with: "."))
        }
        return Double(text)
    }

    /// Reads and parses a world file.
    /// - Throws: `GeoError.unreadableFile` or `GeoError.malformedWorldFile` naming the file.
    public static func load(path: String) throws -> WorldFile {
        try parse(Sidecar.readText(path), fileName: path)
    }

    /// Sidecar names GDAL looks for next to `IMAGE.ext`, in order: `IMAGE.<first+last letter of ext>w`
    /// (.pgw, .jgw, .tfw), `IMAGE.<ext>w` (.pngw, .jpgw, .tifw, .tiffw), `IMAGE.wld`.
    public static func candidateNames(forImage imagePath: String) -> [String] {
        let (base, ext) = Sidecar.split(imagePath: imagePath)
        var names: [String] = []
        if let first = ext.first, let last = ext.last {
            names.append("\(base).\(first)\(last)w")
            names.append("\(base).\(ext)w")
        }
        names.append("\(base).wld")
        return names
    }

    /// Path of the world file of an image, matching names case-insensitively (scene.PGW and
    /// SCENE.pgw both belong to scene.png), or nil when there is none.
    public static func find(forImage imagePath: String) -> String? {
        Sidecar.find(forImage: imagePath, names: candidateNames(forImage: imagePath))
    }
}
