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
final class WorkingRowPipeline: @unchecked Sendable {
    /// A band of consecutive working rows, `rows` × `width` pixels packed.
    struct Band {
        var pixels: [UInt8]
        /// Colourfulness of the same pixels, when the pipeline delivers it.
        var chroma: [UInt8]?
        var rows: Int
    }

    private let condition = NSCondition()
    private var queue: [Result<Band, ImageError>] = []
    private var spare: [[UInt8]] = [] // buffers handed back by the consumer, for reuse
    private var spareChroma: [[UInt8]] = []
    private var queuedRows = 0
    private var finished = false
    private var stopped = false
    private let aheadRows: Int
    // owned by the decoding thread once started
    private let reader: ImageReader
    private var builder: GrayImageBuilder
    /// Whether each band comes with its pixels' colourfulness (`Band.chroma`).
    let deliversChroma: Bool

    /// `withChroma` asks for the colourfulness of each working pixel too; it is delivered only
    /// where working pixels are source pixels (`factor` 1), where the detector reads it.
    init(reader: ImageReader, factor: Int, aheadRows: Int, withChroma: Bool = false) {
        self.reader = reader
        self.aheadRows = aheadRows
        deliversChroma = withChroma && factor == 1
        builder = GrayImageBuilder(sourceWidth: reader.header.width, sourceHeight: reader.header.height, factor: factor,
                                   keepsImage: false)
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
        while let next = take() {
            switch next {
            case .success(let band):
                band.pixels.withUnsafeBufferPointer { pixels in
                    if let chroma = band.chroma {
                        chroma.withUnsafeBufferPointer { body(pixels, $0, band.rows) }
                    } else {
                        body(pixels, nil, band.rows)
                    }
                }
                giveBack(band.pixels, chroma: band.chroma)
            case .failure(let error): throw error
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
            if f == 1 { luminance = buffer() } // handed over whole: the luminance rows are the working rows
            if deliversChroma { chroma = chromaBuffer() }
            do {
                count = deliversChroma ? try reader.nextLuminanceBand(into: &luminance, chroma: &chroma)
                    : try reader.nextLuminanceBand(into: &luminance)
            } catch {
                put(.failure(error))
                break
            }
            guard count > 0 else { break }
            if f == 1 {
                put(.success(Band(pixels: luminance, chroma: deliversChroma ? chroma : nil, rows: count)))
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
            if rows > 0 { put(.success(Band(pixels: pixels, chroma: nil, rows: rows))) }
        }
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func put(_ item: Result<Band, ImageError>) {
        condition.lock()
        while queue.count >= 2 && queuedRows >= aheadRows && !stopped { condition.wait() }
        if !stopped {
            queue.append(item)
            if case .success(let band) = item { queuedRows += band.rows }
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
        if case .success(let band) = item { queuedRows -= band.rows }
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
