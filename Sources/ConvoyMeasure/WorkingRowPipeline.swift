import ConvoyCore
import ConvoyImageIO
import Foundation

/// Decodes an image into rows of its working image on a second thread while the caller
/// analyses the rows already delivered: the decoder reads band k + 1 (and averages it down to
/// working rows) while band k is searched. At most two bands wait between the two threads, so
/// memory stays a few bands, whatever the image's height.
final class WorkingRowPipeline: @unchecked Sendable {
    /// A band of consecutive working rows, `rows` × `width` pixels packed.
    struct Band {
        var pixels: [UInt8]
        var rows: Int
    }

    private let condition = NSCondition()
    private var queue: [Result<Band, ImageError>] = []
    private var spare: [[UInt8]] = [] // buffers handed back by the consumer, for reuse
    private var finished = false
    private var stopped = false
    private let capacity = 2
    // owned by the decoding thread once started
    private let reader: ImageReader
    private var builder: GrayImageBuilder

    init(reader: ImageReader, factor: Int) {
        self.reader = reader
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
        while queue.count >= capacity && !stopped { condition.wait() }
        if !stopped { queue.append(item) }
        condition.broadcast()
        condition.unlock()
    }

    private func take() -> Result<Band, ImageError>? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        guard !queue.isEmpty else { return nil }
        let item = queue.removeFirst()
        condition.broadcast()
        return item
    }

    private func giveBack(_ pixels: [UInt8]) {
        condition.lock()
        if spare.count < capacity + 2 { spare.append(pixels) }
        condition.unlock()
    }

    /// Stops the decoding thread and waits for it to end.
    private func stop() {
        condition.lock()
        stopped = true
        queue.removeAll()
        condition.broadcast()
        while !finished { condition.wait() }
        condition.unlock()
    }
}
