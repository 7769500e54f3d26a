import Foundation
import ConvoyCore
import Testing

/// `LineTopHatStream` delivers the square top-hat exactly and the line top-hat as defined: the
/// smallest of eight closings by segments (rows, columns, both diagonals, four slopes of 1 : 2) minus the image.
@Suite struct LineTopHatTests {
    /// The line response by its definition, segments clamped at the image's edges.
    static func naiveLineTopHat(_ image: GrayImage, radius r: Int,
                                directions: [(Int, Int)] = [(2, 0), (0, 2), (2, 2), (-2, 2), (2, 1), (-2, 1), (1, 2), (-1, 2)]) -> [UInt8] {
        let w = image.width, h = image.height
        // steps per two pixels: rows, columns, diagonals, slopes of 1 : 2; the k-th pixel is k × d / 2
        // rounded half away from zero
        func half(_ v: Int) -> Int { v >= 0 ? (v + 1) / 2 : -((-v + 1) / 2) }
        func segment(_ src: [UInt8], _ x: Int, _ y: Int, _ d: (Int, Int), max useMax: Bool) -> UInt8 {
            var v: UInt8 = useMax ? 0 : 255
            for k in -r...r {
                let xx = x + half(k * d.0), yy = y + half(k * d.1)
                guard xx >= 0, yy >= 0, xx < w, yy < h else { continue }
                v = useMax ? max(v, src[yy * w + xx]) : min(v, src[yy * w + xx])
            }
            return v
        }
        var closing = [UInt8](repeating: 255, count: w * h)
        for d in directions {
            var dilated = [UInt8](repeating: 0, count: w * h)
            for y in 0..<h { for x in 0..<w { dilated[y * w + x] = segment(image.pixels, x, y, d, max: true) } }
            for y in 0..<h { for x in 0..<w { closing[y * w + x] = min(closing[y * w + x], segment(dilated, x, y, d, max: false)) } }
        }
        return zip(closing, image.pixels).map { $0 > $1 ? $0 - $1 : 0 }
    }

    /// Both responses of `image` as `LineTopHatStream` delivers them, row after row in order.
    static func responses(_ image: GrayImage, radius: Int, squareRadius: Int) -> (square: [UInt8], line: [UInt8]) {
        let w = image.width
        var square: [UInt8] = [], line: [UInt8] = []
        let stream = LineTopHatStream(radius: radius, squareRadius: squareRadius, width: w, height: image.height)
        let body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void = { y, s, l in
            #expect(y == square.count / w)
            square += s
            line += l
        }
        image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<image.height { stream.push(UnsafeBufferPointer(rebasing: px[(y * w)..<((y + 1) * w)]), body) }
        }
        stream.finish(body)
        return (square, line)
    }

    @Test func bothResponsesEqualTheirDefinitions() {
        for (w, h, r, rs) in [(37, 23, 4, 1), (40, 50, 5, 2), (19, 31, 2, 2), (70, 9, 4, 1), (5, 40, 3, 1), (12, 1, 2, 1)] {
            var scene = SceneDrawing(width: w, height: h, background: 128)
            scene.noise(amplitude: 60, seed: UInt64(w * h + r))
            let (square, line) = Self.responses(scene.image, radius: r, squareRadius: rs)
            #expect(square == StreamingDetectionTests.naiveDarkTopHat(scene.image, radius: rs), "square, w \(w) h \(h) r \(rs)")
            #expect(line == Self.naiveLineTopHat(scene.image, radius: r), "line, w \(w) h \(h) r \(r)")
        }
    }

    /// A line answers the square top-hat but not the line top-hat; a vehicle on it answers both.
    @Test func aStripVanishesAndItsVehicleStays() {
        var scene = SceneDrawing(width: 60, height: 21, background: 110)
        scene.rectangle(cx: 30, cy: 10, length: 80, width: 6, angle: 0, value: 200) // verges
        scene.rectangle(cx: 30, cy: 10, length: 80, width: 2, angle: 0, value: 140) // the strip between them
        scene.rectangle(cx: 30, cy: 10, length: 4, width: 2, angle: 0, value: 70)   // a vehicle on it
        let (square, line) = Self.responses(scene.image, radius: 4, squareRadius: 1)
        // strip pixel far from the vehicle (x 10, row 10): 60 levels below the verges for the square, nothing for the line
        #expect(square[10 * 60 + 10] == 60)
        #expect(line[10 * 60 + 10] == 0)
        // vehicle pixel (x 29, row 10): against the verges for the square, against the strip for the line
        #expect(square[10 * 60 + 29] == 130)
        #expect(line[10 * 60 + 29] == 70)
    }

    /// Regression (64 km reconstruction, 2 m per pixel): with segments in four directions only, a
    /// road's strip at about 20–30° (or 60–70°) from the rows answered the line response as
    /// strongly as the square one (the segment ran onto the verges), and came out as a row of
    /// vehicle-sized dips between the vehicles. With eight, a strip of road width (2.5 px) vanishes
    /// at every angle, and a vehicle on it still answers against the strip.
    @Test func aStripVanishesAtEveryAngle() {
        for degrees in stride(from: 0, through: 180, by: 5) {
            let a = Double(degrees) * .pi / 180
            var scene = SceneDrawing(width: 61, height: 61, background: 110)
            scene.rectangle(cx: 30, cy: 30, length: 120, width: 8, angle: a, value: 200)   // verges
            scene.rectangle(cx: 30, cy: 30, length: 120, width: 2.5, angle: a, value: 140) // the strip
            scene.rectangle(cx: 30 + 20 * cos(a), cy: 30 + 20 * sin(a), length: 4, width: 2.5, angle: a, value: 70) // a vehicle
            let (square, line) = Self.responses(scene.image, radius: 4, squareRadius: 1)
            func at(_ t: Double) -> Int { Int((30 + t * sin(a)).rounded()) * 61 + Int((30 + t * cos(a)).rounded()) }
            // the strip's centre line from 15 px before the centre to 10 px after it (clear of the vehicle)
            let strip = (-15...10).map { at(Double($0)) }
            #expect(strip.map { square[$0] }.max() == 60, "\(degrees)°: the square answers the strip")
            #expect(strip.map { line[$0] }.max() == 0, "\(degrees)°: the strip is gone from the line response")
            #expect(line[at(20)] == 70, "\(degrees)°: the vehicle answers against the strip")
        }
    }
}
