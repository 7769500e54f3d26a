// libFuzzer harness: JPEG decoding. Feeds each input, as the bytes of an image file, through
// ImageReader's in-memory source (the same C decoder code as a file) and streams every row band,
// so that header parsing, row decoding and the end-of-file checks all see hostile bytes; then
// again as luminance and colourfulness (FuzzImageStreams), the way `convoy measure` reads it.
// Limits are tight (64 MiB buffers; 4 Mpx, as decoding time grows with the pixels a tiny input
// may declare) so that a declared huge image is refused as in the tool, not allocated until the
// fuzzer runs out of memory. An ImageError is a correct outcome; only a crash, a sanitizer
// report, a hang or unbounded memory is a finding.
// Build and run: Scripts/fuzz.sh FuzzJPEG
import ConvoyImageIO
import FuzzImageStreams

let limits = DecodeLimits(maxPixels: 4_000_000, maxDimension: 100_000, maxBufferBytes: 64 << 20,
                          maxWholeImageBytes: 64 << 20)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    do {
        let reader = try ImageReader(data: bytes, name: "fuzz.jpeg", limits: limits)
        while let band = try reader.nextBand() {
            precondition(band.raster.width == reader.header.width, "band width differs from the header")
        }
        _ = reader.warnings
    } catch {
        precondition(!error.reason.isEmpty, "an error without a reason")
    }
    streamLuminanceAndColourfulness(bytes, name: "fuzz.jpeg", limits: limits)
    return 0
}
