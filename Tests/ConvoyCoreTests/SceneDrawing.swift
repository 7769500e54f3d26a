import ConvoyCore
import Foundation

/// Draws tiny synthetic scenes in memory for detector tests: exact geometry, known truth.
struct SceneDrawing {
    var image: GrayImage

    init(width: Int, height: Int, background: UInt8) {
        image = GrayImage(width: width, height: height, pixels: [UInt8](repeating: background, count: width * height))
    }

    /// Fills the rotated rectangle centred at (cx, cy) pixels, `length` × `width` pixels, long
    /// axis at `angle` radians from +x, with `value` (pixel centres inside are filled).
    mutating func rectangle(cx: Double, cy: Double, length: Double, width: Double, angle: Double, value: UInt8) {
        let c = cos(angle), s = sin(angle)
        let reach = Int((length + width) / 2) + 2
        for y in max(0, Int(cy) - reach)...min(image.height - 1, Int(cy) + reach) {
            for x in max(0, Int(cx) - reach)...min(image.width - 1, Int(cx) + reach) {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                let u = dx * c + dy * s, v = -dx * s + dy * c
                if abs(u) <= length / 2 && abs(v) <= width / 2 { image.pixels[y * image.width + x] = value }
            }
        }
    }

    mutating func disc(cx: Double, cy: Double, radius: Double, value: UInt8) {
        for y in max(0, Int(cy - radius) - 1)...min(image.height - 1, Int(cy + radius) + 1) {
            for x in max(0, Int(cx - radius) - 1)...min(image.width - 1, Int(cx + radius) + 1) {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                if dx * dx + dy * dy <= radius * radius { image.pixels[y * image.width + x] = value }
            }
        }
    }

    /// Adds deterministic noise of about ±amplitude.
    mutating func noise(amplitude: Int, seed: UInt64) {
        var state = seed
        for i in image.pixels.indices {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let n = Int(state >> 59) % (2 * amplitude + 1) - amplitude
            image.pixels[i] = UInt8(max(0, min(255, Int(image.pixels[i]) + n)))
        }
    }
}
