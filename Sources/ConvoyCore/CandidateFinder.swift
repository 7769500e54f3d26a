#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds vehicle candidates in a working image delivered as rows, top to bottom, holding only
/// a band of rows: the rows of the threshold region being read (its threshold is measured on it
/// once all its rows are in), its gated responses waiting for that threshold, the top-hat's
/// and the gates' ring buffers, the blobs still open and the rows that the end test of a
/// vehicle still to be completed may read. Memory grows with the image's width, not its area.
/// The candidates are exactly those `ConvoyDetector.candidates(in:)` finds with the whole
/// image in memory, in the same order, however the rows are delivered.
///
/// Each row goes through the top-hat and the peak gates as soon as it arrives (the bulk of the
/// work, spread evenly over the rows); only the thresholding into blobs waits for the region's
/// threshold, so a region's completion costs little more than its threshold strips, and the
/// search ends soon after the last row arrives.
public struct CandidateFinder {
    public let width: Int
    public let height: Int
    /// Source pixels per working pixel.
    public let factor: Int
    private let detector: ConvoyDetector
    private let metresPerWorkingPixel: Double
    private let radius: Int
    private let filter: VehicleCandidateFilter
    private let regions: [Range<Int>]
    private var thresholds: [UInt8] = []
    private var rows: RowStore
    /// The square top-hat, where vehicles are resolved; coarser, the square and the line top-hat
    /// together (`LineTopHatStream`), the line response kept with the blobs' pixels.
    private let topHat: TopHatStream?
    private let lineTopHat: LineTopHatStream?
    /// Line response rows delivered and not yet handed to the blobs (the gate delays the square's).
    private var lineRows: RowStore
    /// The line response of the pending rows, only where their gated response could be
    /// foreground under any threshold (≥ `ConvoyDetector.lowestThreshold`): the rest is never
    /// read, and a region's dense rows would double what the pending rows hold. Entries of row
    /// i are `pendingLineStart[i] ..< pendingLineStart[i + 1]`.
    private var pendingLineX: [Int32] = []
    private var pendingLineValue: [UInt8] = []
    private var pendingLineStart: [Int] = [0]
    private var lineScratch: [UInt8] = []
    /// Each polarity's response passes a `PeakGate` before it is thresholded.
    private var darkGate: PeakGate
    private var brightGate: PeakGate
    private var dark = BlobStream(polarity: .dark)
    private var bright = BlobStream(polarity: .bright)
    /// Rows received (and pushed into the top-hat) so far.
    private var received = 0
    /// Gated responses of rows `pendingFirst ..< pendingFirst + pendingRows` (packed rows), whose
    /// region's threshold is not known yet.
    private var pendingDark: [UInt8] = []
    private var pendingBright: [UInt8] = []
    private var pendingFirst = 0
    private var pendingRows = 0
    /// Rows handed to the blob streams so far.
    private var thresholded = 0
    /// Vehicles whose end test waits for rows not yet received.
    private var waiting: [(candidate: VehicleCandidate, lastRow: Int, contrast: Double)] = []
    private var found: [VehicleCandidate] = []
    /// Rows above the next row to be searched that a vehicle completed later may still read.
    private let lookBack: Int

    /// `width` × `height` working pixels, each `factor` × `factor` source pixels of
    /// `metresPerPixel` metres.
    public init(width: Int, height: Int, factor: Int, metresPerPixel: Double, detector: ConvoyDetector = ConvoyDetector()) {
        precondition(width > 0 && height > 0 && factor >= 1)
        self.width = width
        self.height = height
        self.factor = factor
        self.detector = detector
        let g = metresPerPixel * Double(factor)
        metresPerWorkingPixel = g
        radius = ConvoyDetector.topHatRadius(metresPerWorkingPixel: g)
        filter = VehicleCandidateFilter(metresPerPixel: g, factor: factor)
        regions = detector.thresholdRegions(height: height)
        if ConvoyDetector.usesLineResponse(metresPerWorkingPixel: g) {
            precondition(!filter.acceptsBright, "the line top-hat has no bright response")
            topHat = nil
            lineTopHat = LineTopHatStream(radius: ConvoyDetector.lineRadius(metresPerWorkingPixel: g), squareRadius: radius,
                                          width: width, height: height)
        } else {
            topHat = TopHatStream(radius: radius, computesBright: filter.acceptsBright, width: width, height: height)
            lineTopHat = nil
        }
        lineRows = RowStore(width: lineTopHat == nil ? 0 : width)
        lineScratch = [UInt8](repeating: 0, count: lineTopHat == nil ? 0 : width)
        darkGate = PeakGate(width: width, radius: ConvoyDetector.peakGateRadius(metresPerWorkingPixel: g))
        brightGate = darkGate
        // blobs complete the gate's radius later than the rows the top-hat delivers
        lookBack = Self.lookBack(longestVehicle: filter.maxVehicleLength / g) + darkGate.radius
        // room for what is held at once (a region and the rows above it still read), so that the
        // ring is allocated once rather than doubled into twice that
        let held = (regions.map(\.count).max() ?? height) + 2 * radius + lookBack + 64
        rows = RowStore(width: width, capacity: min(height, held))
    }

    /// Rows above a blob's completion that its end test may read. A connected blob spanning E
    /// rows with A pixels has a row variance of at least E(E² − 1)/(12A), and A ≤ 4πλ₁ (a disc
    /// has the least polar moment for its area), so a blob no longer than L pixels (L² = 12λ₁)
    /// spans E rows with E³ − E ≤ (π/3)L⁴; its end samples lie within L/2 + 2.5 m of its centre.
    /// Twice that, plus a margin.
    static func lookBack(longestVehicle l: Double) -> Int {
        let span = cbrt(Double.pi / 3 * l * l * l * l) + 2
        return 2 * Int(span.rounded(.up)) + Int(l.rounded(.up)) + 16
    }

    /// Adds the next `count` working rows, `width` pixels each, packed.
    public mutating func add(rows pixels: UnsafeBufferPointer<UInt8>, count: Int) {
        precondition(pixels.count >= count * width && received + count <= height, "more rows than the image has")
        var blobsDone: [Blob] = []
        let topHat = topHat, lineTopHat = lineTopHat
        for k in 0..<count {
            let row = UnsafeBufferPointer(rebasing: pixels[(k * width)..<((k + 1) * width)])
            rows.append(row)
            received += 1
            if let lineTopHat {
                // no bright response here (`acceptsBright` is off): the square's row stands in for it
                lineTopHat.push(row) { y, square, line in
                    lineRows.append(line)
                    search(y, square, square, into: &blobsDone)
                }
            } else {
                topHat!.push(row) { y, d, b in search(y, d, b, into: &blobsDone) }
            }
            let region = thresholds.count
            if received == regions[region].upperBound { regionComplete(region, into: &blobsDone) }
        }
        handle(blobsDone)
        settleWaiting(all: false)
        dropRowsNoLongerRead()
    }

    /// Drops the held rows above what is still read: the rows of the region whose threshold is
    /// still to be measured, what waiting vehicles read, and what vehicles completed later may read.
    private mutating func dropRowsNoLongerRead() {
        var keep = min(received, thresholded - lookBack)
        if thresholds.count < regions.count { keep = min(keep, regions[thresholds.count].lowerBound) }
        for w in waiting { keep = min(keep, Int(w.candidate.pixelY / Double(factor)) - lookBack) }
        rows.drop(below: keep)
    }

    /// Adds every row of `image` (a convenience for whole images).
    public mutating func add(_ image: GrayImage) {
        image.pixels.withUnsafeBufferPointer { add(rows: $0, count: image.height) }
    }

    /// The candidates, once every row has been added.
    public mutating func finish() -> [VehicleCandidate] {
        precondition(received == height, "not every row was added")
        var blobsDone: [Blob] = []
        let topHat = topHat, lineTopHat = lineTopHat
        if let lineTopHat {
            lineTopHat.finish { y, square, line in
                lineRows.append(line)
                search(y, square, square, into: &blobsDone)
            }
        } else {
            topHat!.finish { y, d, b in search(y, d, b, into: &blobsDone) }
        }
        var gate = takeGate(bright: false)
        gate.finish { y, row in gated(y, row, bright: false, into: &blobsDone) }
        if filter.acceptsBright {
            gate = takeGate(bright: true)
            gate.finish { y, row in bright.addRow(y, response: row, threshold: regionThreshold(ofRow: y)) { blobsDone.append($0) } }
        }
        dark.finish { blobsDone.append($0) }
        bright.finish { blobsDone.append($0) }
        handle(blobsDone)
        settleWaiting(all: true)
        // the whole-image order: dark blobs then bright ones, each by id; a blob's pieces in order
        let polarityRank: (Blob.Polarity) -> Int = { $0 == .dark ? 0 : 1 }
        let ordered = found.enumerated().sorted {
            (polarityRank($0.element.polarity), $0.element.blob, $0.offset)
                < (polarityRank($1.element.polarity), $1.element.blob, $1.offset)
        }
        return ordered.map(\.element)
    }

    /// Measures region `k`'s threshold from its rows, then thresholds its gated responses that
    /// waited for it.
    private mutating func regionComplete(_ k: Int, into done: inout [Blob]) {
        let region = regions[k]
        let store = rows, w = width
        let threshold = ConvoyDetector.threshold(width: w, height: region.count, radius: radius,
                                                 ceiling: ConvoyDetector.thresholdCeiling(metresPerWorkingPixel: metresPerWorkingPixel)) { y, body in
            store.withRow(region.lowerBound + y, body)
        }
        thresholds.append(threshold)
        // every waiting row is in region k: the rows above it had their threshold when gated
        let first = pendingFirst
        let withLine = lineTopHat != nil
        pendingDark.withUnsafeBufferPointer { p in
            for i in 0..<pendingRows {
                let response = UnsafeBufferPointer(rebasing: p[(i * w)..<((i + 1) * w)])
                guard withLine else {
                    dark.addRow(first + i, response: response, threshold: threshold) { done.append($0) }
                    continue
                }
                let entries = pendingLineStart[i]..<pendingLineStart[i + 1]
                for k in entries { lineScratch[Int(pendingLineX[k])] = pendingLineValue[k] }
                lineScratch.withUnsafeBufferPointer { line in
                    dark.addRow(first + i, response: response, threshold: threshold, line: line) { done.append($0) }
                }
                for k in entries { lineScratch[Int(pendingLineX[k])] = 0 }
            }
        }
        if filter.acceptsBright {
            pendingBright.withUnsafeBufferPointer { p in
                for i in 0..<pendingRows {
                    bright.addRow(first + i, response: UnsafeBufferPointer(rebasing: p[(i * w)..<((i + 1) * w)]),
                                  threshold: threshold) { done.append($0) }
                }
            }
        }
        thresholded = first + pendingRows
        pendingRows = 0
        pendingDark.removeAll(keepingCapacity: true)
        pendingLineX.removeAll(keepingCapacity: true)
        pendingLineValue.removeAll(keepingCapacity: true)
        pendingLineStart = [0]
        pendingBright.removeAll(keepingCapacity: true)
        // the region's rows are no longer needed for its threshold: let them go now, not at the
        // end of the band being added (which may reach far into the next region)
        handle(done)
        done.removeAll()
        settleWaiting(all: false)
        dropRowsNoLongerRead()
    }

    /// Top-hat row y → the peak gates → blobs, or the rows waiting for their region's threshold.
    private mutating func search(_ y: Int, _ d: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>, into done: inout [Blob]) {
        var gate = takeGate(bright: false)
        gate.add(d) { y, row in gated(y, row, bright: false, into: &done) }
        darkGate = gate
        if filter.acceptsBright {
            gate = takeGate(bright: true)
            gate.add(b) { y, row in gated(y, row, bright: true, into: &done) }
            brightGate = gate
        }
    }

    /// Gated row y of one polarity: into its blob stream once its region's threshold is known,
    /// else kept until it is (the dark row comes first, then the bright one).
    private mutating func gated(_ y: Int, _ row: UnsafeBufferPointer<UInt8>, bright isBright: Bool, into done: inout [Blob]) {
        if y < thresholdsKnownUpTo {
            if isBright {
                bright.addRow(y, response: row, threshold: regionThreshold(ofRow: y)) { done.append($0) }
            } else {
                if lineTopHat != nil {
                    let threshold = regionThreshold(ofRow: y)
                    lineRows.withRow(y) { line in dark.addRow(y, response: row, threshold: threshold, line: line) { done.append($0) } }
                    lineRows.drop(below: y + 1)
                } else {
                    dark.addRow(y, response: row, threshold: regionThreshold(ofRow: y)) { done.append($0) }
                }
                thresholded = y + 1
            }
            return
        }
        if pendingDark.capacity == 0 {
            // a region's rows at most, allocated once
            let most = (regions.map(\.count).max() ?? height) * width
            pendingDark.reserveCapacity(most)
            if filter.acceptsBright { pendingBright.reserveCapacity(most) }
        }
        if isBright {
            pendingBright.append(contentsOf: row)
        } else {
            if pendingRows == 0 { pendingFirst = y }
            pendingDark.append(contentsOf: row)
            if lineTopHat != nil {
                let lowest = UInt8(ConvoyDetector.lowestThreshold)
                lineRows.withRow(y) { line in
                    for x in 0..<row.count where row[x] >= lowest {
                        pendingLineX.append(Int32(x))
                        pendingLineValue.append(line[x])
                    }
                }
                pendingLineStart.append(pendingLineX.count)
                lineRows.drop(below: y + 1)
            }
            pendingRows += 1
        }
    }

    /// Rows whose region's threshold is known: those above the first region still being read.
    private var thresholdsKnownUpTo: Int { thresholds.isEmpty ? 0 : regions[thresholds.count - 1].upperBound }

    /// Moves a gate out of `self` (leaving an empty one) so that it can emit rows into `self`'s
    /// blob streams; the caller puts it back. Its buffers move, they are not copied.
    private mutating func takeGate(bright: Bool) -> PeakGate {
        let empty = PeakGate(width: 0, radius: 0)
        if bright {
            defer { brightGate = empty }
            return brightGate
        }
        defer { darkGate = empty }
        return darkGate
    }

    private func regionThreshold(ofRow y: Int) -> UInt8 {
        var region = 0
        while y >= regions[region].upperBound { region += 1 }
        return thresholds[region]
    }

    private mutating func handle(_ blobs: [Blob]) {
        for blob in blobs {
            for c in filter.candidates(of: blob) {
                guard filter.resolvesShape, let points = ConvoyDetector.endSamplePoints(c, factor: factor, metresPerWorkingPixel: metresPerWorkingPixel)
                else {
                    found.append(c)
                    continue
                }
                let centreRow = min(height - 1, Int(c.pixelY / Double(factor)))
                let contrast = Double(regionThreshold(ofRow: centreRow))
                let lastRow = max(points.centre.y, points.ahead.y, points.behind.y)
                waiting.append((c, lastRow, contrast))
            }
        }
    }

    /// Runs the end test of the waiting vehicles whose rows have all been received.
    private mutating func settleWaiting(all: Bool) {
        guard !waiting.isEmpty else { return }
        var still: [(candidate: VehicleCandidate, lastRow: Int, contrast: Double)] = []
        for w in waiting {
            guard all || w.lastRow < received else { still.append(w); continue }
            let store = rows, wd = width, h = height
            let clear = detector.endsAreClear(w.candidate, factor: factor, metresPerWorkingPixel: metresPerWorkingPixel,
                                              contrast: w.contrast) { x, y in
                guard x >= 0, y >= 0, x < wd, y < h else { return nil }
                return store.pixel(x, y)
            }
            if clear { found.append(w.candidate) }
        }
        waiting = still
    }
}

/// Consecutive rows of an 8-bit image, appended at the bottom and dropped from the top, in a
/// ring that grows when needed.
struct RowStore {
    let width: Int
    private var buffer: [UInt8] = []
    private var capacity = 0   // rows
    private var start = 0      // ring slot of row `first`
    private(set) var first = 0 // first row held
    private(set) var end = 0   // one past the last row held

    init(width: Int, capacity: Int = 0) {
        self.width = width
        self.capacity = capacity
        buffer = [UInt8](repeating: 0, count: capacity * width)
    }

    mutating func append(_ row: UnsafeBufferPointer<UInt8>) {
        if end - first == capacity { grow() }
        let slot = (start + end - first) % capacity
        buffer.withUnsafeMutableBufferPointer { b in
            (b.baseAddress! + slot * width).update(from: row.baseAddress!, count: width)
        }
        end += 1
    }

    private mutating func grow() {
        let newCapacity = max(64, capacity * 2)
        var bigger = [UInt8](repeating: 0, count: newCapacity * width)
        bigger.withUnsafeMutableBufferPointer { dst in
            buffer.withUnsafeBufferPointer { src in
                for k in 0..<(end - first) {
                    let slot = (start + k) % capacity
                    (dst.baseAddress! + k * width).update(from: src.baseAddress! + slot * width, count: width)
                }
            }
        }
        buffer = bigger
        capacity = newCapacity
        start = 0
    }

    mutating func drop(below row: Int) {
        let r = max(first, min(row, end))
        guard r > first, capacity > 0 else { return }
        start = (start + r - first) % capacity
        first = r
    }

    func withRow<T>(_ y: Int, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        precondition(y >= first && y < end, "row \(y) is not held (rows \(first)..<\(end))")
        let slot = (start + y - first) % capacity
        return buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[(slot * width)..<((slot + 1) * width)])) }
    }

    func pixel(_ x: Int, _ y: Int) -> UInt8 {
        precondition(y >= first && y < end, "row \(y) is not held (rows \(first)..<\(end))")
        return buffer[((start + y - first) % capacity) * width + x]
    }
}
