/// Expansion of any decoded raster to 8-bit RGBA: the common currency for display, overlays
/// and conformance checks. Gray is replicated into R, G and B; a missing alpha band is opaque;
/// 16-bit samples are scaled to 8 bits with rounding (v × 255 / 65535).
///
/// Band layouts understood: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. Rasters with more bands
/// (multispectral) use their first three as RGB and are opaque.
public enum RGBA8 {
    public static func expand(_ raster: AnyRaster) -> Raster<UInt8> {
        switch raster {
        case .uint8(let r): return expand(r) { $0 }
        case .uint16(let r): return expand(r) { UInt8((UInt32($0) * 255 + 32767) / 65535) }
        }
    }

    static func expand<S>(_ raster: Raster<S>, to8: (S) -> UInt8) -> Raster<UInt8> {
        var out = Raster<UInt8>(width: raster.width, height: raster.height, bands: 4, fill: 255)
        let bands = raster.bands
        let pixels = raster.width * raster.height
        raster.samples.withUnsafeBufferPointer { src in
            out.samples.withUnsafeMutableBufferPointer { dst in
                for i in 0..<pixels {
                    let s = i * bands, d = i * 4
                    switch bands {
                    case 1, 2:
                        let g = to8(src[s])
                        dst[d] = g; dst[d + 1] = g; dst[d + 2] = g
                        if bands == 2 { dst[d + 3] = to8(src[s + 1]) }
                    default:
                        dst[d] = to8(src[s]); dst[d + 1] = to8(src[s + 1]); dst[d + 2] = to8(src[s + 2])
                        if bands == 4 { dst[d + 3] = to8(src[s + 3]) }
                    }
                }
            }
        }
        return out
    }
}
