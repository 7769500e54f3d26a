import ConvoyGeo
import Foundation

/// KML 2.2 for Google Earth: a Document with line and pin styles and, per image, a Folder with
/// for each convoy a Placemark with a clamped, tessellated LineString from head to tail (a name
/// such as "Convoy 1: 0.35 km, 16 vehicles", a description, and the numbers as ExtendedData),
/// and a Placemark with a Point at its head and at its tail. Coordinates are `lon,lat,0`. Text
/// is XML-escaped; characters XML 1.0 cannot hold are replaced. Convoys without georeference
/// are left out, as in GeoJSON.
public enum KMLExport {
    public static func export(_ convoys: [ExportedConvoy], title: String = "convoy") -> ExportResult {
        var unmapped: [ExportedConvoy] = []
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <kml xmlns="http://www.opengis.net/kml/2.2">
            <Document>
              <name>\(escape(title))</name>
              <Style id="convoy"><LineStyle><color>ff1e1ee6</color><width>4</width></LineStyle></Style>
              <Style id="head"><IconStyle><color>ff3cd21e</color></IconStyle></Style>
              <Style id="tail"><IconStyle><color>ffff5a28</color></IconStyle></Style>

            """
        var folders: [(String, [ExportedConvoy])] = []
        for item in convoys {
            guard item.isMappable, item.convoy.lonLatPath != nil else { unmapped.append(item); continue }
            if folders.last?.0 == item.image { folders[folders.count - 1].1.append(item) } else { folders.append((item.image, [item])) }
        }
        for (image, items) in folders {
            out += "  <Folder>\n    <name>\(escape(image))</name>\n"
            for item in items { out += placemarks(item) }
            out += "  </Folder>\n"
        }
        out += "</Document>\n</kml>\n"
        return ExportResult(data: Array(out.utf8), unmapped: unmapped)
    }

    static func placemarks(_ item: ExportedConvoy) -> String {
        let c = item.convoy
        let path = c.lonLatPath!
        let name = String(format: "Convoy %d: %.2f km, %d vehicles", item.number, c.length_km, c.vehicles)
        var description = String(format: "Length %.3f km ± %.0f m along its path, %d vehicles%@, confidence %.2f.",
                                 c.length_km, c.length_uncertainty_km * 1000, c.vehicles,
                                 c.vehicles_estimated ? " (estimated)" : "", c.confidence)
        if c.head_at_image_edge || c.tail_at_image_edge { description += " Reaches the edge of the imagery: may be longer." }
        if let t = c.target, let label = item.targetLabel {
            description += String(format: " Head %.2f km from %@, bearing %.1f°.", t.distance_km, label, t.bearing_deg)
        } else {
            description += " Which end leads is unknown (measured without a target)."
        }
        description += " Image: \(item.image)."
        var data: [(String, String)] = [("image", item.image), ("length_km", "\(c.length_km)"),
                                        ("length_uncertainty_km", "\(c.length_uncertainty_km)"),
                                        ("vehicles", "\(c.vehicles)"), ("confidence", "\(c.confidence)")]
        if let t = c.target {
            data += [("target", item.targetLabel ?? ""), ("distance_km", "\(t.distance_km)"), ("bearing_deg", "\(t.bearing_deg)")]
        }
        let extended = data.map { "<Data name=\"\($0.0)\"><value>\(escape($0.1))</value></Data>" }.joined()
        var s = """
                <Placemark>
                  <name>\(escape(name))</name>
                  <description>\(escape(description))</description>
                  <styleUrl>#convoy</styleUrl>
                  <ExtendedData>\(extended)</ExtendedData>
                  <LineString><tessellate>1</tessellate><coordinates>\(path.map(coordinate).joined(separator: " "))</coordinates></LineString>
                </Placemark>

            """
        for (end, point) in [("head", path.first!), ("tail", path.last!)] {
            s += """
                    <Placemark><name>\(escape("Convoy \(item.number) \(end)"))</name><styleUrl>#\(end)</styleUrl><Point><coordinates>\(coordinate(point))</coordinates></Point></Placemark>

                """
        }
        return s
    }

    static func coordinate(_ p: LonLat) -> String { "\(decimal(p.lon)),\(decimal(p.lat)),0" }

    /// Fixed-point with 9 decimals (0.1 mm), trailing zeros dropped: no exponent notation.
    static func decimal(_ v: Double) -> String {
        var s = String(format: "%.9f", v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s == "-0" ? "0" : s
    }

    /// Text safe inside an XML element or attribute.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let allowed = (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000
                out.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return out
    }
}
