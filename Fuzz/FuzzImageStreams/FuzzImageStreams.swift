// Shared by the image harnesses (FuzzPNG, FuzzJPEG, FuzzTIFF): the second way `convoy measure`
// reads an image, decoded straight to 8-bit luminance and colourfulness by the C shim
// (`cvy_decoder_read_luminance`), which streaming raw bands (`nextBand`) does not reach. Why a
// library target: the three harnesses are separate executables; this is the one place the
// luminance pass and its checks are written. Declared only with CONVOY_FUZZ=1, like them.
import ConvoyImageIO

/// Streams `bytes` as an image through a fresh reader's luminance and colourfulness bands, in
/// bands of 1 to 7 rows chosen from the input's size, then the reader's natural bands, and checks
/// what a caller relies on: every band fills `rows × width` bytes of both buffers, the rows add
/// up to the image's height, and a gray image is not colourful. An ImageError is a correct
/// outcome (with a reason); only a crash, a sanitizer report or a failed check is a finding.
///
/// Then a third way, the one `convoy measure` takes where working pixels are source pixels: the
/// codec's rows (`nextSampleBand`) converted afterwards (`ImageReader.luminance`, on whatever
/// thread); the bytes must be those of the luminance pass, row for row as far as both got, and
/// both must fail or neither.
public func streamLuminanceAndColourfulness(_ bytes: UnsafeBufferPointer<UInt8>, name: String, limits: DecodeLimits,
                                             describeUnsupported: Bool = false) {
    var direct: [UInt8] = [], directChroma: [UInt8] = [], directFailed = false
    do {
        let reader = try ImageReader(data: bytes, name: name, limits: limits, describeUnsupported: describeUnsupported)
        let width = reader.header.width
        var luminance: [UInt8] = [], chroma: [UInt8] = []
        var total = 0, band = 0
        while true {
            let maxRows: Int? = band < 3 ? 1 + (bytes.count + band) % 7 : nil
            let rows = try reader.nextLuminanceBand(maxRows: maxRows, into: &luminance, chroma: &chroma)
            if rows == 0 { break }
            precondition(luminance.count >= rows * width && chroma.count >= rows * width, "a band larger than its buffers")
            if reader.header.color == .gray || reader.header.color == .grayAlpha {
                precondition(chroma[0..<(rows * width)].allSatisfy { $0 == 0 }, "a gray image with colourful pixels")
            }
            direct += luminance[0..<(rows * width)]
            directChroma += chroma[0..<(rows * width)]
            total += rows
            band += 1
        }
        precondition(total == reader.header.height, "luminance rows do not add up to the height")
    } catch {
        precondition(!error.reason.isEmpty, "an error without a reason")
        directFailed = true
    }
    var converted: [UInt8] = [], convertedChroma: [UInt8] = [], convertedFailed = false
    do {
        let reader = try ImageReader(data: bytes, name: name, limits: limits, describeUnsupported: describeUnsupported)
        let h = reader.header
        var samples: [UInt8] = [], luminance: [UInt8] = [], chroma: [UInt8] = []
        while true {
            let rows = try reader.nextSampleBand(into: &samples)
            if rows == 0 { break }
            precondition(samples.count >= rows * h.width * h.bands * h.sampleBytes, "a band larger than its buffer")
            let n = rows * h.width
            if luminance.count < n { luminance = [UInt8](repeating: 0, count: n); chroma = luminance }
            samples.withUnsafeBytes { s in
                luminance.withUnsafeMutableBufferPointer { out in
                    chroma.withUnsafeMutableBufferPointer { ImageReader.luminance(of: s, rows: rows, header: h, into: out, chroma: $0) }
                }
            }
            converted += luminance[0..<n]
            convertedChroma += chroma[0..<n]
        }
    } catch {
        precondition(!error.reason.isEmpty, "an error without a reason")
        convertedFailed = true
    }
    precondition(directFailed == convertedFailed, "one way of reading failed, the other did not")
    let common = min(direct.count, converted.count)
    precondition(direct[0..<common] == converted[0..<common] && directChroma[0..<common] == convertedChroma[0..<common],
                 "rows converted after decoding differ from rows decoded as luminance")
}
