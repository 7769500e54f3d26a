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
        var rows: Int
    }

    private let condition = NSCondition()
    private var queue: [Result<Band, ImageError>] = []
    private var spare: [[UInt8]] = [] // buffers handed back by the consumer, for reuse
    private var queuedRows = 0
    private var finished = false
    private var stopped = false
    private let aheadRows: Int
    // owned by the decoding thread once started
    private let reader: ImageReader
    private var builder: GrayImageBuilder

    init(reader: ImageReader, factor: Int, aheadRows: Int) {
        self.reader = reader
        self.aheadRows = aheadRows
        builder = GrayImageBuilder(sourceWidth: reader.header.width, sourceHeight: reader.header.height, factor: factor,
                                   keepsImage: false)
    }

    /// Working image size.
    var width: Int { builder.width }
    var height: Int { builder.height }

    /// Starts decoding, then calls `body` with each band of working rows in order, on the
    /// calling thread. Throws the decoder's error, after the bands before it.
    func run(_ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) throws(ImageError) {
        let thread = Thread { [self] in decodeAll() }
        thread.stackSize = 1 << 22
        thread.start()
        defer { stop() }
        while let next = take() {
            switch next {
            case .success(let band):
                band.pixels.withUnsafeBufferPointer { body($0, band.rows) }
                giveBack(band.pixels)
            case .failure(let error): throw error
            }
        }
    }

    private func decodeAll() {
        let w = builder.width, f = builder.factor
        var luminance: [UInt8] = []
        func buffer() -> [UInt8] {
            condition.lock()
            defer { condition.unlock() }
            return spare.popLast() ?? []
        }
        while true {
            condition.lock()
            let halt = stopped
            condition.unlock()
            if halt { break }
            let count: Int
            if f == 1 { luminance = buffer() } // handed over whole: the luminance rows are the working rows
            do {
                count = try reader.nextLuminanceBand(into: &luminance)
            } catch {
                put(.failure(error))
                break
            }
            guard count > 0 else { break }
            if f == 1 {
                put(.success(Band(pixels: luminance, rows: count)))
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
            if rows > 0 { put(.success(Band(pixels: pixels, rows: rows))) }
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

    private func giveBack(_ pixels: [UInt8]) {
        condition.lock()
        spare.append(pixels) // no more than the bands in flight
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
