import ConvoyCore
import Foundation
import Testing

/// Streaming detection (rows delivered in bands, only a band held) finds exactly what the
/// whole-image reference finds.
@Suite struct StreamingDetectionTests {
    /// Closing by definition: min over the clamped square of (max over the clamped square).
    static func naiveDarkTopHat(_ image: GrayImage, radius r: Int) -> [UInt8] {
        let w = image.width, h = image.height
        func window(_ src: [UInt8], _ x: Int, _ y: Int, max useMax: Bool) -> UInt8 {
            var v: UInt8 = useMax ? 0 : 255
            for yy in max(0, y - r)...min(h - 1, y + r) {
                for xx in max(0, x - r)...min(w - 1, x + r) {
                    v = useMax ? max(v, src[yy * w + xx]) : min(v, src[yy * w + xx])
                }
            }
            return v
        }
        var dilated = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { dilated[y * w + x] = window(image.pixels, x, y, max: true) } }
        var dark = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let c = window(dilated, x, y, max: false), i = image.pixels[y * w + x]
                dark[y * w + x] = c > i ? c - i : 0
            }
        }
        return dark
    }

    @Test func topHatEqualsItsDefinition() {
        for (w, h, r) in [(37, 23, 1), (40, 50, 3), (19, 31, 7), (70, 9, 4), (5, 40, 6)] {
            var scene = SceneDrawing(width: w, height: h, background: 128)
            scene.noise(amplitude: 60, seed: UInt64(w * h + r))
            var dark: [UInt8] = []
            TopHat(radius: r, computesBright: true).forEachRow(of: scene.image) { y, d, _ in
                #expect(y == dark.count / w)
                dark += d
            }
            #expect(dark == Self.naiveDarkTopHat(scene.image, radius: r), "w \(w) h \(h) r \(r)")
        }
    }

    /// A tall scene cut into several threshold regions: vehicles at all angles (some across
    /// region and band boundaries), columns, streaks, crowns, ground whose noise differs by
    /// region.
    static func tallScene(width: Int, height: Int, seed: UInt64) -> GrayImage {
        var scene = SceneDrawing(width: width, height: height, background: 120)
        var state = seed
        func random(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33) % n
        }
        scene.rectangle(cx: Double(width) / 2, cy: Double(height) / 2, length: Double(height) * 3, width: 16, angle: .pi / 2 - 0.05, value: 150)
        for _ in 0..<(width * height / 900) {
            let cx = Double(random(width)), cy = Double(random(height))
            switch random(5) {
            case 0, 1:
                scene.rectangle(cx: cx, cy: cy, length: Double(8 + random(14)), width: Double(4 + random(4)),
                                angle: Double(random(628)) / 100, value: UInt8(30 + random(60)))
            case 2: scene.disc(cx: cx, cy: cy, radius: Double(3 + random(6)), value: UInt8(40 + random(50)))
            case 3: // a streak of vehicles nose to tail
                let a = Double(random(314)) / 100
                for k in 0..<(4 + random(6)) {
                    let x = cx + cos(a) * Double(k) * 13, y = cy + sin(a) * Double(k) * 13
                    guard x >= 0, y >= 0, x < Double(width), y < Double(height) else { break }
                    scene.rectangle(cx: x, cy: y, length: 12, width: 5, angle: a, value: UInt8(40 + random(40)))
                }
            default: scene.rectangle(cx: cx, cy: cy, length: Double(30 + random(80)), width: 3, angle: Double(random(314)) / 100, value: 70)
            }
        }
        // noise that differs by region
        var pixels = scene.image.pixels
        for y in 0..<height {
            let amplitude = 2 + (y / 150) % 4 * 5
            for x in 0..<width {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let n = Int(state >> 56) % (2 * amplitude + 1) - amplitude
                pixels[y * width + x] = UInt8(max(0, min(255, Int(pixels[y * width + x]) + n)))
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    static func streamed(_ image: GrayImage, factor: Int, metresPerPixel: Double, detector: ConvoyDetector, band: Int) -> [VehicleCandidate] {
        var finder = CandidateFinder(width: image.width, height: image.height, factor: factor, metresPerPixel: metresPerPixel,
                                     detector: detector)
        image.pixels.withUnsafeBufferPointer { px in
            var y = 0
            var k = 0
            while y < image.height {
                let rows = min(image.height - y, band > 0 ? band : [1, 5, 64, 3, 130][k % 5])
                finder.add(rows: UnsafeBufferPointer(rebasing: px[(y * image.width)..<((y + rows) * image.width)]), count: rows)
                y += rows
                k += 1
            }
        }
        return finder.finish()
    }

    @Test(arguments: [(0.5, 1), (0.3, 3), (1.5, 1), (2.0, 1), (3.0, 1)])
    func bandedEqualsWholeImage(metresPerPixel: Double, factor: Int) {
        var detector = ConvoyDetector()
        detector.thresholdRegionRows = 150
        let working = GrayImage(width: 230, height: 700, factor: factor, pixels: Self.tallScene(width: 230, height: 700, seed: 11).pixels)
        #expect(detector.thresholdRegions(height: 700).count == 5)
        let whole = detector.candidates(in: working, metresPerPixel: metresPerPixel)
        #expect(whole.count > 40, "the scene has candidates (\(whole.count))")
        #expect(Set(whole.map(\.kind)).count == 2 || metresPerPixel > 1, "vehicles and streak pieces")
        for band in [1, 17, 64, 700, 0] {
            let banded = Self.streamed(working, factor: factor, metresPerPixel: metresPerPixel, detector: detector, band: band)
            #expect(banded == whole, "band \(band): \(banded.count) vs \(whole.count) candidates")
        }
    }

    @Test func oneRegionImageHasOneThreshold() {
        #expect(ConvoyDetector().thresholdRegions(height: 3000) == [0..<3000])
        #expect(ConvoyDetector().thresholdRegions(height: 3100).count == 2)
        let regions = ConvoyDetector().thresholdRegions(height: 31_623)
        #expect(regions.first?.lowerBound == 0 && regions.last?.upperBound == 31_623)
        #expect(zip(regions, regions.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
    }
}
