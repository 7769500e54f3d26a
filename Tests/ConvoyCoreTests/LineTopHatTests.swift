import ConvoyCore
import Testing

/// `LineTopHatStream` delivers the square top-hat exactly and the line top-hat as defined: the
/// smallest of four closings by segments (rows, columns, both diagonals) minus the image.
@Suite struct LineTopHatTests {
    /// The line response by its definition, segments clamped at the image's edges.
    static func naiveLineTopHat(_ image: GrayImage, radius r: Int) -> [UInt8] {
        let w = image.width, h = image.height
        let directions = [(1, 0), (0, 1), (1, 1), (-1, 1)]
        func segment(_ src: [UInt8], _ x: Int, _ y: Int, _ d: (Int, Int), max useMax: Bool) -> UInt8 {
            var v: UInt8 = useMax ? 0 : 255
            for k in -r...r {
                let xx = x + k * d.0, yy = y + k * d.1
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

    @Test func bothResponsesEqualTheirDefinitions() {
        for (w, h, r, rs) in [(37, 23, 4, 1), (40, 50, 5, 2), (19, 31, 2, 2), (70, 9, 4, 1), (5, 40, 3, 1), (12, 1, 2, 1)] {
            var scene = SceneDrawing(width: w, height: h, background: 128)
            scene.noise(amplitude: 60, seed: UInt64(w * h + r))
            var square: [UInt8] = [], line: [UInt8] = []
            let stream = LineTopHatStream(radius: r, squareRadius: rs, width: w, height: h)
            let body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void = { y, s, l in
                #expect(y == square.count / w)
                square += s
                line += l
            }
            scene.image.pixels.withUnsafeBufferPointer { px in
                for y in 0..<h { stream.push(UnsafeBufferPointer(rebasing: px[(y * w)..<((y + 1) * w)]), body) }
            }
            stream.finish(body)
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
        let stream = LineTopHatStream(radius: 4, squareRadius: 1, width: 60, height: 21)
        var square: [UInt8] = [], line: [UInt8] = []
        let body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void = { _, s, l in square += s; line += l }
        scene.image.pixels.withUnsafeBufferPointer { px in
            for y in 0..<21 { stream.push(UnsafeBufferPointer(rebasing: px[(y * 60)..<((y + 1) * 60)]), body) }
        }
        stream.finish(body)
        // strip pixel far from the vehicle (x 10, row 10): 60 levels below the verges for the square, nothing for the line
        #expect(square[10 * 60 + 10] == 60)
        #expect(line[10 * 60 + 10] == 0)
        // vehicle pixel (x 29, row 10): against the verges for the square, against the strip for the line
        #expect(square[10 * 60 + 29] == 130)
        #expect(line[10 * 60 + 29] == 70)
    }
}
