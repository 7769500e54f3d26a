// libFuzzer harness: TIFF, BigTIFF and GeoTIFF decoding. Feeds each input, as the bytes of a
// TIFF file, through ImageReader's in-memory source (libtiff's client procedures over the same
// decoder code as a file), streams every row band, then reads the GeoTIFF tags and interprets
// them as ConvoyGeo does for `convoy info` and `measure` (GeoKeyDirectory, geotransform, CRS
// through PROJ), since both come from the same hostile file.
// Limits are tight (64 MiB buffers; 4 Mpx, as decoding time grows with the pixels a tiny input
// may declare) so that a declared huge image is refused as in the tool. An ImageError or
// GeoError is a correct outcome; only a crash, a sanitizer report, a hang or unbounded memory is
// a finding.
// Build and run: Scripts/fuzz.sh FuzzTIFF
import ConvoyGeo
import ConvoyImageIO
import FuzzImageStreams

let limits = DecodeLimits(maxPixels: 4_000_000, maxDimension: 100_000, maxBufferBytes: 64 << 20,
                          maxWholeImageBytes: 64 << 20)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let reader: ImageReader
    do {
        reader = try ImageReader(data: bytes, name: "fuzz.tif", limits: limits, describeUnsupported: true)
    } catch {
        precondition(!error.reason.isEmpty, "an error without a reason")
        return 0
    }
    if let tags = reader.geoTIFFTags {
        _ = try? tags.geoKeys()
        _ = try? tags.isPixelIsPoint()
        _ = try? tags.geoTransform()
        _ = try? tags.coordinateReferenceSystem()
    }
    do {
        while let band = try reader.nextBand() {
            precondition(band.raster.width == reader.header.width, "band width differs from the header")
        }
    } catch {
        precondition(!error.reason.isEmpty, "an error without a reason")
    }
    streamLuminanceAndColourfulness(bytes, name: "fuzz.tif", limits: limits, describeUnsupported: true)
    return 0
}
