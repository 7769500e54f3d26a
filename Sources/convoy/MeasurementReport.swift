import ConvoyCore
import ConvoyGeo
import ConvoyMeasure
import Foundation

/// What `convoy measure` prints: the JSON contract other tools rely on, and a readable text form.
struct MeasurementReport: Encodable {
    struct Image: Encodable {
        let path: String
        let width: Int
        let height: Int
        let gsd_m: [Double]
        let crs: String?
        let scale_source: String
    }

    struct Detection: Encodable {
        let image: String
        let x: Double
        let y: Double
        let length_m: Double
        let width_m: Double
        let angle_deg: Double?
        /// `vehicle` or `streak_piece` (candidates), or `vehicle_on_path`: counted on a reported
        /// convoy's path though no candidate (a vehicle lighter than its road, a dark patch).
        let kind: String
        let polarity: String
        /// For a `vehicle_on_path`, how many vehicles it counts for (a dark patch by its area).
        var vehicles: Int? = nil
    }

    let images: [Image]
    let convoys: [ReportedConvoy]
    /// Columns found whose confidence is below `--min-confidence`, not listed in `convoys`.
    let columns_below_min_confidence: Int
    let min_confidence: Double
    /// With `--detections`: every candidate, then every vehicle counted on a reported convoy's
    /// path that was no candidate.
    var detections: DetectionList?
    /// With `--explain`: columns found but not reported, longest first, each with `rejection` and
    /// `rejected_because`.
    let not_reported: [ReportedConvoy]?
    /// What the user should know about how far to trust the result.
    let warnings: [String]

    init(_ m: SceneMeasurement, includeDetections: Bool, explain: Bool = false) {
        images = m.images.map { image in
            let gsd = (try? image.scale.metresPerPixel(width: image.header.width, height: image.header.height))
            var crs: String?
            if case let .georeferenced(g) = image.scale { crs = g.crs.epsgCode.map { "EPSG:\($0)" } ?? g.crs.wkt }
            return Image(path: image.path, width: image.header.width, height: image.header.height,
                         gsd_m: gsd.map { [$0.x, $0.y] } ?? [], crs: crs, scale_source: image.scale.source.description)
        }
        convoys = m.convoys.map { ReportedConvoy($0, imagePaths: m.images.map(\.path)) }
        not_reported = explain ? m.notReported.map { ReportedConvoy($0, imagePaths: m.images.map(\.path)) } : nil
        columns_below_min_confidence = m.columnsBelowMinConfidence
        min_confidence = m.minConfidence
        warnings = m.images.filter { !$0.resolvesShape }.map { image in
            String(format: "%@: at %.1f m per pixel vehicles merge into streaks; there this first detector misses "
                   + "most columns and measures the ones it finds only to within tens of per cent (see README, Accuracy)",
                   image.path, image.metresPerPixel)
        }
        detections = includeDetections ? DetectionList(m) : nil
    }

    var text: String {
        var lines: [String] = []
        func gsd(_ image: Image) -> String {
            image.gsd_m.isEmpty ? "?" : String(format: "%.2f m/px", (image.gsd_m[0] + image.gsd_m[1]) / 2)
        }
        if images.count <= 5 {
            for image in images {
                lines.append("\(image.path): \(image.width)x\(image.height), \(gsd(image)), scale from \(image.scale_source)")
            }
            for warning in warnings { lines.append("warning: \(warning)") }
        } else {
            // a mosaic: one line, not one per tile
            let pixels = images.reduce(0) { $0 + $1.width * $1.height }
            let gsds = Set(images.map(gsd)).sorted().joined(separator: ", ")
            let crss = Set(images.compactMap(\.crs).map { $0.hasPrefix("EPSG:") ? $0 : "custom CRS" }).sorted().joined(separator: ", ")
            lines.append(String(format: "%d images, %.0f megapixels, %@, %@", images.count, Double(pixels) / 1e6, gsds,
                                crss.isEmpty ? "no georeference" : crss))
            if !warnings.isEmpty {
                lines.append("warning: \(warnings.count) images are at 1.5 m per pixel or coarser, where this first detector misses "
                             + "most columns and measures the ones it finds only to within tens of per cent (see README, Accuracy)")
            }
        }
        if let detections {
            let onPath = detections.onPathCount
            lines.append("Detections: \(detections.count - onPath) vehicle candidates"
                         + (onPath > 0 ? " and \(onPath) vehicles counted on convoy paths" : "") + " (--format json lists them)")
        }
        if convoys.isEmpty { lines.append("No convoy found.") }
        if columns_below_min_confidence > 0 && not_reported == nil {
            let n = columns_below_min_confidence
            lines.append("(\(n) more column\(n == 1 ? "" : "s") below confidence \(min_confidence) not listed; "
                         + "--min-confidence 0 lists \(n == 1 ? "it" : "them"))")
        }
        for (i, c) in convoys.enumerated() {
            let uncertainty = c.length_uncertainty_km < 0.1 ? String(format: "%.0f m", c.length_uncertainty_km * 1000)
                : String(format: "%.2f km", c.length_uncertainty_km)
            var line = String(format: "Convoy %d: %.2f km ± %@, %d vehicles%@, confidence %.2f", i + 1, c.length_km,
                              uncertainty, c.vehicles, c.vehicles_estimated ? " (estimated)" : "", c.confidence)
            if c.head_at_image_edge || c.tail_at_image_edge {
                line += " — reaches the edge of the imagery, may be longer"
            }
            lines.append(line)
            if let head = c.head, let tail = c.tail {
                lines.append(String(format: "  head %.5f, %.5f  tail %.5f, %.5f%@", head.lat, head.lon, tail.lat, tail.lon,
                                    c.target == nil ? "  (which end leads is unknown without --target)" : ""))
            } else if let px = c.path_px, let first = px.first, let last = px.last {
                lines.append(String(format: "  ends at pixels (%.0f, %.0f) and (%.0f, %.0f)", first[0], first[1], last[0], last[1]))
            }
            if let t = c.target {
                lines.append(String(format: "  head %.2f km from %@, bearing %.1f°", t.distance_km,
                                    t.name ?? String(format: "%.5f, %.5f", t.lat, t.lon), t.bearing_deg))
            }
        }
        if let not_reported {
            lines.append(not_reported.isEmpty ? "No other column of 5 vehicles and 100 m or more was found."
                         : "Columns found but not reported (--explain):")
            for c in not_reported {
                var line = String(format: "  %.2f km, %d vehicles%@, confidence %.2f: %@", c.length_km, c.vehicles,
                                  c.vehicles_estimated ? " (estimated)" : "", c.confidence, c.rejected_because ?? "")
                if let head = c.head, let tail = c.tail {
                    line += String(format: "  (%.5f, %.5f to %.5f, %.5f)", head.lat, head.lon, tail.lat, tail.lon)
                } else if let px = c.path_px, let first = px.first, let last = px.last {
                    line += String(format: "  (pixels %.0f, %.0f to %.0f, %.0f)", first[0], first[1], last[0], last[1])
                }
                lines.append(line)
            }
        }
        return lines.joined(separator: "\n")
    }
}
