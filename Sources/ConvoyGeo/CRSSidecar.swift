// The CRS (and, for GDAL PAM files, geotransform) sidecars of an image: IMAGE.ext.aux.xml written
// by GDAL and IMAGE.prj written by ESRI tools. A world file says where pixels are but not in which
// coordinate system; these files say which.
import Foundation

/// Reading `IMAGE.ext.aux.xml` (GDAL PAM) and `IMAGE.prj` (ESRI or OGC WKT).
public enum CRSSidecar {
    /// What a GDAL PAM `.aux.xml` file says about georeferencing.
    public struct AuxXML: Sendable, Equatable {
        /// The `<SRS>` text with XML escapes resolved (usually WKT), or nil when absent/empty.
        public var srs: String?
        /// The `<GeoTransform>` element (pixel-corner convention, GDAL order), or nil when absent.
        public var geoTransform: GeoTransform?
    }

    /// Parses a GDAL PAM document (`<PAMDataset><SRS ...>WKT</SRS><GeoTransform>...</GeoTransform>`).
    ///
    /// Only direct children of the `PAMDataset` root are read, so an `SRS` nested inside band
    /// metadata is never mistaken for the dataset's CRS. Entity and character references
    /// (`&lt;`, `&quot;`, `&#34;`, `&#x22;`...) and CDATA sections are resolved.
    ///
    /// - Parameter fileName: used only in error messages.
    /// - Throws: `GeoError.malformedAuxXML` when the document is not well-formed enough to read,
    ///   the root is not `PAMDataset`, or the GeoTransform is not six numbers.
    public static func parseAuxXML(_ xml: String, fileName: String) throws -> AuxXML {
        let children = try MinimalXML.rootChildren(of: xml, expectedRoot: "PAMDataset", fileName: fileName)
        var result = AuxXML(srs: nil, geoTransform: nil)
        if let srs = children.first(where: { $0.name == "SRS" }) {
            let text = srs.text.trimmingCharacters(in: .whitespacesAndNewlines)
            result.srs = text.isEmpty ? nil : text
        }
        if let transform = children.first(where: { $0.name == "GeoTransform" }) {
            let parts = transform.text.split(whereSeparator: { $0 == "," || $0.isWhitespace })
            let numbers = parts.compactMap { Double($0) }
            guard parts.count == 6, numbers.count == 6, let geo = try? GeoTransform(coefficients: numbers) else {
                throw GeoError.malformedAuxXML(file: fileName, reason: "<GeoTransform> must hold six numbers, found '\(transform.text)'")
            }
            result.geoTransform = geo
        }
        return result
    }

    /// Candidate PAM names for `IMAGE.ext`: `IMAGE.ext.aux.xml`, then `IMAGE.aux.xml`.
    public static func auxXMLNames(forImage imagePath: String) -> [String] {
        let name = URL(fileURLWithPath: imagePath).lastPathComponent
        let (base, _) = Sidecar.split(imagePath: imagePath)
        return ["\(name).aux.xml", "\(base).aux.xml"]
    }

    /// Path of the image's `.aux.xml`, matched case-insensitively, or nil.
    public static func findAuxXML(forImage imagePath: String) -> String? {
        Sidecar.find(forImage: imagePath, names: auxXMLNames(forImage: imagePath))
    }

    /// Path of the image's `IMAGE.prj` (also `IMAGE.ext.prj`), matched case-insensitively, or nil.
    public static func findPRJ(forImage imagePath: String) -> String? {
        let name = URL(fileURLWithPath: imagePath).lastPathComponent
        let (base, _) = Sidecar.split(imagePath: imagePath)
        return Sidecar.find(forImage: imagePath, names: ["\(base).prj", "\(name).prj"])
    }

    /// Reads and parses a `.aux.xml` file.
    public static func loadAuxXML(path: String) throws -> AuxXML {
        try parseAuxXML(Sidecar.readText(path), fileName: path)
    }

    /// The CRS stated by the image's sidecars and the file it came from: the `.aux.xml` `<SRS>`
    /// when present (GDAL's precedence), else the `.prj`. Nil when neither file states a CRS.
    /// - Throws: when a sidecar exists but cannot be read or PROJ rejects its CRS.
    public static func loadCRS(forImage imagePath: String) throws -> (crs: CoordinateReferenceSystem, file: String)? {
        if let auxPath = findAuxXML(forImage: imagePath), let srs = try loadAuxXML(path: auxPath).srs {
            do {
                return (try CoordinateReferenceSystem(definition: srs), auxPath)
            } catch let GeoError.invalidCRS(_, reason) {
                throw GeoError.invalidCRS(definition: "<SRS> in \(auxPath)", reason: reason)
            }
        }
        if let prjPath = findPRJ(forImage: imagePath) {
            return (try CoordinateReferenceSystem(contentsOfFile: prjPath), prjPath)
        }
        return nil
    }
}

/// Just enough XML to read GDAL PAM files: the direct children of the root element with their
/// text content. Not a general parser; it rejects what it does not understand instead of guessing.
enum MinimalXML {
    struct Element {
        var name: String
        var text: String
    }

    static func rootChildren(of xml: String, expectedRoot: String, fileName: String) throws -> [Element] {
        func fail(_ reason: String) -> GeoError { .malformedAuxXML(file: fileName, reason: reason) }
        let scalars = Array(xml.unicodeScalars)
        var index = 0
        var depth = 0
        var rootSeen = false
        var children: [Element] = []
        var current: (name: String, text: String)?
        var openNames: [String] = []

        func hasPrefix(_ prefix: String, at position: Int) -> Bool {
            let p = Array(prefix.unicodeScalars)
            guard position + p.count <= scalars.count else { return false }
            for k in 0..<p.count where scalars[position + k] != p[k] { return false }
            return true
        }
        func indexOf(_ marker: String, from position: Int) -> Int? {
            var k = position
            while k < scalars.count {
                if hasPrefix(marker, at: k) { return k }
                k += 1
            }
            return nil
        }

        while index < scalars.count {
            if scalars[index] != "<" {
                // Text: belongs to the current child (depth 2 = inside a child of the root).
                let start = index
                while index < scalars.count, scalars[index] != "<" { index += 1 }
                if depth >= 2, current != nil {
                    let raw = String(String.UnicodeScalarView(scalars[start..<index]))
                    current?.text += try unescape(raw, fail: fail)
                }
                continue
            }
            if hasPrefix("<!--", at: index) {
                guard let end = indexOf("-->", from: index + 4) else { throw fail("unterminated comment") }
                index = end + 3
                continue
            }
            if hasPrefix("<![CDATA[", at: index) {
                guard let end = indexOf("]]>", from: index + 9) else { throw fail("unterminated CDATA section") }
                if depth >= 2, current != nil {
                    current?.text += String(String.UnicodeScalarView(scalars[(index + 9)..<end]))
                }
                index = end + 3
                continue
            }
            if hasPrefix("<?", at: index) || hasPrefix("<!", at: index) {
                guard let end = indexOf(">", from: index) else { throw fail("unterminated declaration") }
                index = end + 1
                continue
            }
            // A start, end or empty-element tag. Attribute values may contain '>' only when quoted.
            var k = index + 1
            var quote: Unicode.Scalar?
            while k < scalars.count {
                let s = scalars[k]
                if let q = quote {
                    if s == q { quote = nil }
                } else if s == "\"" || s == "'" {
                    quote = s
                } else if s == ">" {
                    break
                }
                k += 1
            }
            guard k < scalars.count else { throw fail("unterminated tag") }
            let body = String(String.UnicodeScalarView(scalars[(index + 1)..<k]))
            index = k + 1
            let isEnd = body.hasPrefix("/")
            let isEmpty = body.hasSuffix("/")
            let name = String(body.drop(while: { $0 == "/" }).prefix(while: { !$0.isWhitespace && $0 != "/" }))
            guard !name.isEmpty else { throw fail("empty tag name") }
            if isEnd {
                guard openNames.last == name else { throw fail("</\(name)> does not close <\(openNames.last ?? "nothing")>") }
                openNames.removeLast()
                depth -= 1
                if depth == 1, let finished = current {
                    children.append(Element(name: finished.name, text: finished.text))
                    current = nil
                }
                continue
            }
            if depth == 0 {
                guard !rootSeen else { throw fail("more than one root element") }
                guard name == expectedRoot else { throw fail("root element is <\(name)>, expected <\(expectedRoot)>") }
                rootSeen = true
            }
            if isEmpty {
                if depth == 1 { children.append(Element(name: name, text: "")) }
                continue
            }
            if depth == 1 { current = (name, "") }
            openNames.append(name)
            depth += 1
        }
        guard rootSeen else { throw fail("no <\(expectedRoot)> element") }
        guard openNames.isEmpty else { throw fail("<\(openNames.last ?? "")> is never closed") }
        return children
    }

    /// Resolves the five predefined entities and numeric character references.
    static func unescape(_ text: String, fail: (String) -> GeoError) throws -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";") else { throw fail("unterminated entity in '\(text.prefix(40))'") }
            let entity = rest[rest.index(after: amp)..<semicolon]
            switch entity {
            case "lt": output += "<"
            case "gt": output += ">"
            case "amp": output += "&"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                var value: UInt32?
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    value = UInt32(entity.dropFirst(2), radix: 16)
                } else if entity.hasPrefix("#") {
                    value = UInt32(entity.dropFirst())
                }
                guard let value, let scalar = Unicode.Scalar(value) else { throw fail("unknown entity &\(entity);") }
                output.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        output += rest
        return output
    }
}
