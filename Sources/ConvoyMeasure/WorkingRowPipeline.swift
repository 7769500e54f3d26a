import ConvoyCore
import ConvoyImageIO
import Foundation

/// Decodes an image into rows of its working image on a second thread while the caller
/// analyses the rows already delivered: the decoder reads the next bands (and averages them
/// down to working rows) while earlier ones are searched. The decoder may run up to
/// `aheadRows` working rows (at least two bands) ahead of the search, so memory stays that
/// many rows, whatever the image's height. The search works in short bursts (a threshold
/// region's threshold is measured once all its rows are in), and `aheadRows` lets the decoder
/// keep decoding through them instead of waiting.
///
/// Where working pixels are source pixels (`factor` 1) and the codec delivers a few rows at a
/// time (JPEG, PNG, striped TIFF: at most 64), the decoder hands over the rows as the codec
/// delivers them and the caller's thread converts them to luminance: the decoder sets the pace
/// and the search has time to spare (256 MP scale scene: the conversion was a tenth of the
/// decoding thread's time, and the search idle for a third of the reading; 1.66–2.01 s → 1.43–
/// 1.54 s with the vehicle search's sliding window, README *Scale benchmark*). A tiled TIFF's
/// rows come a row of tiles at a time, decoded on every core already; handing those over in
/// colour would hold three times the rows in flight (1,000 MP tiled TIFF: 338 → 496 MB), so
/// they are converted on the decoder's thread.
final class WorkingRowPipeline: @unchecked Sendable {
    /// A band of consecutive working rows: `rows` × `width` luminance pixels packed, with their
    /// colourfulness when the pipeline delivers it; or the rows as the codec delivers them,
    /// still to be converted (`isSamples`).
    struct Band {
        var pixels: [UInt8]
        var chroma: [UInt8]?
        var isSamples: Bool
        var rows: Int
    }

    private let condition = NSCondition()
    private var queue: [Result<Band, ImageError>] = []
    private var spare: [[UInt8]] = [] // buffers handed back by the consumer, for reuse
    private var spareChroma: [[UInt8]] = []
    /// Rows in the queue; a band of the codec's rows counts each row once per 3 bytes of a
    /// pixel (rounded up: RGB 8-bit once, RGBA or 16-bit RGB twice, 16-bit RGBA three times), so
    /// the rows ahead never hold more than 3 bytes per pixel of `aheadRows` rows whatever the
    /// samples (16-bit RGBA would otherwise hold 8). Counting RGB rows three times, to hold no
    /// more than luminance rows, made the decoder wait: 1,000 MP JPEG 5.9 → 6.2–6.6 s for 12 MB.
    private var queuedRows = 0
    private let samplesWeight: Int
    private var finished = false
    private var stopped = false
    private let aheadRows: Int
    // owned by the decoding thread once started
    private let reader: ImageReader
    private var builder: GrayImageBuilder
    /// Whether each band comes with its pixels' colourfulness.
    let deliversChroma: Bool
    /// Whether the decoder hands over the codec's rows for the caller's thread to convert.
    let handsOverSamples: Bool

    /// `withChroma` asks for the colourfulness of each working pixel too; it is delivered only
    /// where working pixels are source pixels (`factor` 1), where the detector reads it, and the
    /// image has colour (3 bands or more).
    init(reader: ImageReader, factor: Int, aheadRows: Int, withChroma: Bool = false) {
        self.reader = reader
        self.aheadRows = aheadRows
        let h = reader.header
        deliversChroma = withChroma && factor == 1 && h.bands >= 3
        handsOverSamples = factor == 1 && h.naturalRows <= 64
        samplesWeight = max(1, (h.bands * h.sampleBytes + 2) / 3)
        builder = GrayImageBuilder(sourceWidth: h.width, sourceHeight: h.height, factor: factor, keepsImage: false)
    }

    /// Working image size.
    var width: Int { builder.width }
    var height: Int { builder.height }

    /// Starts decoding, then calls `body` with each band of working rows in order, on the
    /// calling thread. Throws the decoder's error, after the bands before it.
    func run(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?, Int) -> Void) throws(ImageError) {
        let thread = Thread { [self] in decodeAll() }
        thread.stackSize = 1 << 22
        thread.start()
        defer { stop() }
        let header = reader.header // immutable: read here while the decoder thread reads pixels
        let asTheyAre = header.bands == 1 && header.sampleBytes == 1 // 8-bit gray samples are luminance
        var luminance: [UInt8] = [], chroma: [UInt8] = []
        while let next = take() {
            switch next {
            case .success(let band):
                let n = band.rows * width // a reused buffer may be longer than its band
                if band.isSamples && !asTheyAre {
                    if luminance.count < n { luminance = [UInt8](repeating: 0, count: n) }
                    if deliversChroma && chroma.count < n { chroma = [UInt8](repeating: 0, count: n) }
                    band.pixels.withUnsafeBytes { samples in
                        luminance.withUnsafeMutableBufferPointer { out in
                            if deliversChroma {
                                chroma.withUnsafeMutableBufferPointer {
                                    ImageReader.luminance(of: samples, rows: band.rows, header: header, into: out, chroma: $0)
                                }
                            } else {
                                ImageReader.luminance(of: samples, rows: band.rows, header: header, into: out, chroma: nil)
                            }
                        }
                    }
                    Self.deliver(luminance, deliversChroma ? chroma : nil, rows: band.rows, count: n, to: body)
                } else {
                    Self.deliver(band.pixels, band.chroma, rows: band.rows, count: n, to: body)
                }
                giveBack(band.pixels, chroma: band.chroma)
            case .failure(let error): throw error
            }
        }
    }

    /// Calls `body` with the first `count` bytes of `pixels` and of `chroma`.
    private static func deliver(_ pixels: [UInt8], _ chroma: [UInt8]?, rows: Int, count: Int,
                                to body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?, Int) -> Void) {
        pixels.withUnsafeBufferPointer { p in
            let p = UnsafeBufferPointer(rebasing: p[0..<count])
            if let chroma {
                chroma.withUnsafeBufferPointer { body(p, UnsafeBufferPointer(rebasing: $0[0..<count]), rows) }
            } else {
                body(p, nil, rows)
            }
        }
    }

    private func decodeAll() {
        let w = builder.width, f = builder.factor
        var luminance: [UInt8] = [], chroma: [UInt8] = []
        func buffer() -> [UInt8] {
            condition.lock()
            defer { condition.unlock() }
            return spare.popLast() ?? []
        }
        func chromaBuffer() -> [UInt8] {
            condition.lock()
            defer { condition.unlock() }
            return spareChroma.popLast() ?? []
        }
        while true {
            condition.lock()
            let halt = stopped
            condition.unlock()
            if halt { break }
            let count: Int
            do {
                if handsOverSamples {
                    luminance = buffer() // the codec's rows, converted on the caller's thread
                    count = try reader.nextSampleBand(into: &luminance)
                } else {
                    if f == 1 { luminance = buffer() } // handed over whole: the luminance rows are the working rows
                    if deliversChroma { chroma = chromaBuffer() }
                    count = deliversChroma ? try reader.nextLuminanceBand(into: &luminance, chroma: &chroma)
                        : try reader.nextLuminanceBand(into: &luminance)
                }
            } catch {
                put(.failure(error))
                break
            }
            guard count > 0 else { break }
            if f == 1 {
                put(.success(Band(pixels: luminance, chroma: deliversChroma && !handsOverSamples ? chroma : nil,
                                  isSamples: handsOverSamples, rows: count)))
                continue
            }
            var pixels = buffer()
            pixels.removeAll(keepingCapacity: true)
            pixels.reserveCapacity((count / f + 1) * w)
            var rows = 0
            luminance.withUnsafeBufferPointer { src in
                builder.add(gray: src, count: count) { row in
                    pixels.append(contentsOf: row)
                    rows += 1
                }
            }
            if rows > 0 { put(.success(Band(pixels: pixels, chroma: nil, isSamples: false, rows: rows))) }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func weight(_ band: Band) -> Int { band.isSamples ? band.rows * samplesWeight : band.rows }

    private func put(_ item: Result<Band, ImageError>) {
        condition.lock()
        while queue.count >= 2 && queuedRows >= aheadRows && !stopped { condition.wait() }
        if !stopped {
            queue.append(item)
            if case .success(let band) = item { queuedRows += weight(band) }
        }
        condition.broadcast()
        condition.unlock()
    }

    private func take() -> Result<Band, ImageError>? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let item = queue.removeFirst()
        if case .success(let band) = item { queuedRows -= weight(band) }
        condition.broadcast()
        return item
    }

    private func giveBack(_ pixels: [UInt8], chroma: [UInt8]?) {
        condition.lock()
        spare.append(pixels) // no more than the bands in flight
        if let chroma { spareChroma.append(chroma) }
        condition.unlock()
    }

    /// Stops the decoding thread and waits for it to end.
    private func stop() {
        condition.lock()
        stopped = true
        queue.removeAll()
        queuedRows = 0
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
