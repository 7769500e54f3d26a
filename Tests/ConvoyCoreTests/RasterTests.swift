import ConvoyCore
import Testing

@Suite struct RasterTests {
    @Test func samplesAreRowMajorPixelInterleaved() {
        var r = Raster<UInt8>(width: 3, height: 2, bands: 2)
        r[2, 1, 1] = 9
        #expect(r.samples[(1 * 3 + 2) * 2 + 1] == 9)
        #expect(r.samples.count == 12)
    }

    @Test func wrongSampleCountIsRefused() {
        #expect(Raster<UInt16>(width: 2, height: 2, bands: 1, samples: [1, 2, 3]) == nil)
        #expect(Raster<UInt16>(width: 0, height: 2, bands: 1, samples: []) == nil)
        #expect(Raster<UInt16>(width: 1, height: 2, bands: 1, samples: [1, 2]) != nil)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: AnyRaster
        let expected: [UInt8]
        var testDescription: String { name }
    }

    /// One pixel of each band layout, expanded to RGBA by hand.
    static let cases: [Case] = [
        .init(name: "gray", input: .uint8(Raster(width: 1, height: 1, bands: 1, samples: [7])!), expected: [7, 7, 7, 255]),
        .init(name: "gray+alpha", input: .uint8(Raster(width: 1, height: 1, bands: 2, samples: [7, 100])!),
              expected: [7, 7, 7, 100]),
        .init(name: "rgb", input: .uint8(Raster(width: 1, height: 1, bands: 3, samples: [1, 2, 3])!), expected: [1, 2, 3, 255]),
        .init(name: "rgba", input: .uint8(Raster(width: 1, height: 1, bands: 4, samples: [1, 2, 3, 4])!), expected: [1, 2, 3, 4]),
        .init(name: "multiband", input: .uint8(Raster(width: 1, height: 1, bands: 5, samples: [1, 2, 3, 4, 5])!),
              expected: [1, 2, 3, 255]),
        // 16-bit: v * 255 / 65535 rounded: 65535 → 255, 32896 → 128, 128 → 0, 129 → 1
        .init(name: "gray16", input: .uint16(Raster(width: 4, height: 1, bands: 1, samples: [65535, 32896, 128, 129])!),
              expected: [255, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255, 1, 1, 1, 255]),
    ]

    @Test(arguments: cases)
    func expandsToRGBA8(_ c: Case) {
        let out = RGBA8.expand(c.input)
        #expect(out.bands == 4 && out.width == c.input.width && out.height == c.input.height)
        #expect(out.samples == c.expected)
    }
}
