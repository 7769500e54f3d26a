/// Finds connected blobs of pixels whose top-hat response reaches a threshold, dark and bright
/// separately, from rows delivered in order. Rows are turned into runs and runs joined across
/// rows with union-find, so no label image is needed: memory grows with the number of runs.
public struct BlobExtraction {
    /// Response (gray levels) a pixel needs to be foreground.
    public let threshold: UInt8
    private var dark: RunLabeller
    private var bright: RunLabeller

    public init(threshold: UInt8) {
        self.threshold = threshold
        dark = RunLabeller(polarity: .dark)
        bright = RunLabeller(polarity: .bright)
    }

    /// Adds row `y` (rows must come in order) of dark and bright responses.
    public mutating func addRow(_ y: Int, dark d: UnsafeBufferPointer<UInt8>, bright b: UnsafeBufferPointer<UInt8>) {
        addRow(y, dark: d, bright: b, threshold: threshold)
    }

    /// Adds row `y` with its own threshold (images cut into threshold regions).
    public mutating func addRow(_ y: Int, dark d: UnsafeBufferPointer<UInt8>, bright b: UnsafeBufferPointer<UInt8>, threshold: UInt8) {
        dark.addRow(y, response: d, threshold: threshold)
        bright.addRow(y, response: b, threshold: threshold)
    }

    /// Adds row `y` of one polarity only (the polarities may arrive at different times, as after
    /// a `PeakGate`).
    /// `line`: the line top-hat's response of the row, kept with the blobs' pixels.
    public mutating func addDarkRow(_ y: Int, response: UnsafeBufferPointer<UInt8>, threshold: UInt8,
                                    line: UnsafeBufferPointer<UInt8>? = nil) {
        dark.addRow(y, response: response, threshold: threshold, line: line)
    }

    public mutating func addBrightRow(_ y: Int, response: UnsafeBufferPointer<UInt8>, threshold: UInt8) {
        bright.addRow(y, response: response, threshold: threshold)
    }

    /// All blobs found: dark ones, then bright ones, each in order of their first pixel.
    public func blobs() -> [Blob] { dark.blobs() + bright.blobs() }

    /// Runs the top-hat of `radius` over `image` and extracts blobs. With `gateRadius`, each
    /// polarity's response first passes a `PeakGate` of that radius, so that a blob is the part
    /// of an object within a third of its own peak response.
    public static func blobs(in image: GrayImage, radius: Int, threshold: UInt8, bright: Bool = true,
                             gateRadius: Int? = nil) -> [Blob] {
        var extraction = BlobExtraction(threshold: threshold)
        guard let gateRadius else {
            TopHat(radius: radius, computesBright: bright).forEachRow(of: image) { y, d, b in extraction.addRow(y, dark: d, bright: b) }
            return extraction.blobs()
        }
        var darkGate = PeakGate(width: image.width, radius: gateRadius)
        var brightGate = PeakGate(width: image.width, radius: gateRadius)
        TopHat(radius: radius, computesBright: bright).forEachRow(of: image) { _, d, b in
            darkGate.add(d) { y, row in extraction.addDarkRow(y, response: row, threshold: threshold) }
            if bright { brightGate.add(b) { y, row in extraction.addBrightRow(y, response: row, threshold: threshold) } }
        }
        darkGate.finish { y, row in extraction.addDarkRow(y, response: row, threshold: threshold) }
        if bright { brightGate.finish { y, row in extraction.addBrightRow(y, response: row, threshold: threshold) } }
        return extraction.blobs()
    }
}

/// Union-find over runs of one polarity.
struct RunLabeller {
    let polarity: Blob.Polarity
    private var runs: [PixelRun] = []
    private var masses: [Double] = []
    private var thresholds: [UInt8] = []
    /// Each run's line response starts at `lineStart[run]` in `lineValues` (when given).
    private var lineValues: [UInt8] = []
    private var lineStart: [Int] = []
    private var parent: [Int32] = []
    private var previousRow: Range<Int> = 0..<0 // indices in `runs` of the previous row's runs
    private var previousY = -2

    init(polarity: Blob.Polarity) { self.polarity = polarity }

    mutating func addRow(_ y: Int, response: UnsafeBufferPointer<UInt8>, threshold: UInt8, line: UnsafeBufferPointer<UInt8>? = nil) {
        let start = runs.count
        var x = 0
        let n = response.count
        while x < n {
            if response[x] >= threshold {
                var m = 0.0
                let x0 = x
                while x < n && response[x] >= threshold { m += Double(response[x]); x += 1 }
                runs.append(PixelRun(y: Int32(y), x0: Int32(x0), x1: Int32(x - 1)))
                masses.append(m)
                thresholds.append(threshold)
                lineStart.append(lineValues.count)
                if let line { lineValues.append(contentsOf: line[x0..<x]) }
                parent.append(Int32(runs.count - 1))
            } else {
                x += 1
            }
        }
        let current = start..<runs.count
        if previousY == y - 1 {
            // 8-connectivity: runs touch when their column ranges overlap or meet diagonally
            var p = previousRow.lowerBound
            for c in current {
                let run = runs[c]
                while p < previousRow.upperBound && runs[p].x1 < run.x0 - 1 { p += 1 }
                var q = p
                while q < previousRow.upperBound && runs[q].x0 <= run.x1 + 1 {
                    union(c, q)
                    q += 1
                }
            }
        }
        previousRow = current
        previousY = y
    }

    private mutating func find(_ i: Int) -> Int {
        var i = i
        while parent[i] != Int32(i) {
            parent[i] = parent[Int(parent[i])]
            i = Int(parent[i])
        }
        return i
    }

    private mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a), rb = find(b)
        if ra != rb { parent[max(ra, rb)] = Int32(min(ra, rb)) }
    }

    func blobs() -> [Blob] {
        var copy = self
        var index: [Int: Int] = [:]
        var result: [Blob] = []
        lineValues.withUnsafeBufferPointer { values in
            for i in 0..<runs.count {
                let root = copy.find(i)
                let end = i + 1 < runs.count ? lineStart[i + 1] : lineValues.count
                let line = end > lineStart[i] ? UnsafeBufferPointer(rebasing: values[lineStart[i]..<end]) : nil
                if let k = index[root] {
                    result[k].add(runs[i], mass: masses[i], line: line)
                } else {
                    index[root] = result.count
                    var blob = Blob(polarity: polarity, id: root, threshold: thresholds[i])
                    blob.add(runs[i], mass: masses[i], line: line)
                    result.append(blob)
                }
            }
        }
        return result
    }
}
