import ConvoyCore
import ConvoyImageIO
import ConvoyMeasure
import Foundation

/// The `--overlay` picture: the first image in gray, downscaled to at most 2000 pixels on a side,
/// with vehicle candidates (yellow), convoy paths (red), heads (green) and tails (blue).
enum Overlay {
    static func write(_ m: SceneMeasurement, to path: String) throws {
        guard let image = m.images.first else { return }
        let gray = image.gray
        let shrink = max(1, (max(gray.width, gray.height) + 1999) / 2000)
        let w = (gray.width + shrink - 1) / shrink, h = (gray.height + shrink - 1) / shrink
        var canvas = Raster<UInt8>(width: w, height: h, bands: 3)
        for y in 0..<h {
            for x in 0..<w {
                let v = gray[min(gray.width - 1, x * shrink), min(gray.height - 1, y * shrink)]
                for b in 0..<3 { canvas[x, y, b] = v }
            }
        }
        // source pixels → canvas pixels
        let k = 1.0 / Double(gray.factor * shrink)
        for c in image.candidates {
            drawDisc(&canvas, x: c.pixelX * k, y: c.pixelY * k, radius: 2, colour: [255, 220, 0])
        }
        for convoy in m.convoys where convoy.images.contains(0) {
            let pixels: [(Double, Double)]
            if let px = convoy.pathPixels {
                pixels = px.map { ($0.x * k, $0.y * k) }
            } else if let lonLats = convoy.path, case let .georeferenced(g) = image.scale {
                pixels = lonLats.compactMap { try? g.pixel(of: $0) }.map { ($0.x * k, $0.y * k) }
            } else {
                continue
            }
            for (a, b) in zip(pixels, pixels.dropFirst()) { drawLine(&canvas, from: a, to: b, colour: [230, 30, 30]) }
            if let head = pixels.first { drawDisc(&canvas, x: head.0, y: head.1, radius: 6, colour: [30, 210, 60]) }
            if let tail = pixels.last { drawDisc(&canvas, x: tail.0, y: tail.1, radius: 6, colour: [40, 90, 255]) }
        }
        try PNGWriter.write(canvas, to: path)
    }

    static func drawDisc(_ r: inout Raster<UInt8>, x: Double, y: Double, radius: Int, colour: [UInt8]) {
        let cx = Int(x), cy = Int(y)
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius {
                let px = cx + dx, py = cy + dy
                guard px >= 0, py >= 0, px < r.width, py < r.height else { continue }
                for b in 0..<3 { r[px, py, b] = colour[b] }
            }
        }
    }

    static func drawLine(_ r: inout Raster<UInt8>, from a: (Double, Double), to b: (Double, Double), colour: [UInt8]) {
        let steps = max(1, Int(max(abs(b.0 - a.0), abs(b.1 - a.1)).rounded(.up)))
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            drawDisc(&r, x: a.0 + (b.0 - a.0) * t, y: a.1 + (b.1 - a.1) * t, radius: 1, colour: colour)
        }
    }
}
