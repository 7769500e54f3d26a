/// Two dark top-hats of one image, streamed row by row together: the square one
/// (`TopHatStream`'s dark response, side `2 × squareRadius + 1`, exactly) and one with line
/// segments of `2 × radius + 1` working pixels in eight directions (`directions`: along the rows,
/// down the columns, the two diagonals and the four slopes of 1 : 2 between them), whose response
/// is the smallest of the eight closings minus the image:
///
///     line response = min over d of closing_d(I) − I
///
/// Why: where vehicles merge with their road at coarse resolution (coarser than 1.2 m per working
/// pixel), the square top-hat answers every dark line narrower than the square — a road's grey
/// surface between bright verges or snow banks, a hedge, a ditch — as strongly as the vehicles on
/// it, and the vehicles become the darker parts of a streak that is the road itself. A segment
/// laid along a line stays on the line, so its closing does not fill it: some direction answers
/// zero, and the line is gone from the line response. A vehicle shorter than the segment is
/// filled in every direction, along the road by the road surface between vehicles: its line
/// response is its contrast against its own road, the dips along the line that the field notes
/// describe. A road between two of the directions is at most 13.3° off one of them, so a
/// segment of radius 4 leaves its axis by less than one pixel and a strip of road width (2.5 px)
/// vanishes; with four directions (22.5° off) the segment ran onto the verges and the strip of a
/// road at 20–30° from the rows came out as a row of dips, candidates between the vehicles (the
/// 64 km reconstruction; `LineTopHatTests`). `VehicleCandidateFilter` uses the line response only
/// inside the square response's streaks (docs/detector-experiments.md: used alone, it lost
/// dense stretches, where no segment finds road between vehicles).
///
/// Rows are pushed in order and both responses of row v come out once row v + 2 × radius has
/// been pushed (the rest on `finish`); outside the image the structuring elements are clamped
/// (as if padded with the neutral value), as in `TopHatStream`. The square and the segment along
/// the rows are running extrema (`SlidingExtremum`, separable: a few passes per row and stage).
/// The other segments are byte-vector passes over shifted rows; where a segment steps along the
/// rows or down the columns two pixels at a time, each pair is read at once from a row of pair
/// extrema (the max, or min, of each pixel and its right or lower neighbour), so a segment of
/// 2 × radius + 1 pixels costs about radius + 1 passes per stage. Memory: rings of a few times
/// `2 × radius + 1` rows.
public final class LineTopHatStream {
    public let radius: Int
    public let squareRadius: Int
    public let width: Int
    public let height: Int
    public private(set) var pushed = 0
    public private(set) var delivered = 0
    /// Rows held per ring, and the padded row's length (`radius` neutral samples on each side).
    private let span: Int
    private let inputSpan: Int
    private let padded: Int
    /// The rows as pushed, padded with 0 (neutral for the max), ring of `inputSpan` rows.
    private var input: [UInt8]
    /// Each direction's dilation, padded with 255 (neutral for the min), ring of `span` rows.
    private var dilated: [[UInt8]]
    /// The square is separable: each input row's horizontal max (`inputRowMax`, ring like
    /// `input`), their vertical max (the dilation), its horizontal min (`squareRowMin`, ring of
    /// `span` rows), their vertical min (the closing). The segment along the rows is one running
    /// max and one running min (`SlidingExtremum`, a few passes); the others read shifted rows.
    private var inputRowMax: [UInt8]
    private var squareRowMin: [UInt8]
    private var squareLine: SlidingExtremum
    private var segmentLine: SlidingExtremum
    private var closing: [UInt8]
    private var scratch: [UInt8]
    private var square: [UInt8]
    private var line: [UInt8]
    /// Rows dilated so far.
    private var dilatedRows = 0
    /// Pair extrema of the rows as pushed, rings like `input`: each pixel's max with its right
    /// neighbour (`inputAcross`) and with the pixel below (`inputDown`, row y holding rows y and
    /// y + 1, written once row y + 1 is in).
    private var inputAcross: [UInt8]
    private var inputDown: [UInt8]
    /// Each direction's pair minima of its dilation (across or down, whichever its segment
    /// uses), rings like `dilated`.
    private var dilatedPairs: [[UInt8]]
    /// The square's column (after the rows' running extremum), as pixels to read.
    private let squareColumn: [SegmentTerm]
    /// Each direction's segment as terms to read (the first, along the rows, is done by
    /// `segmentLine` instead), and the kind of pairs it reads (`.pixel`: none).
    private let segments: [[SegmentTerm]]
    private let pairings: [SegmentTerm.Kind]

    /// One read of a segment: a pixel, or a pair of neighbours (across: it and its right
    /// neighbour; down: it and the pixel below), at a (column, row) offset from the centre.
    struct SegmentTerm: Equatable {
        enum Kind { case pixel, across, down }
        var kind: Kind
        var dx: Int
        var dy: Int
    }

    /// The segments' directions as (column, row) steps per two pixels along the major axis: the
    /// rows, the columns, the two diagonals and the four slopes of 1 : 2 between them.
    public static let directions: [(dx: Int, dy: Int)] = [(2, 0), (0, 2), (2, 2), (-2, 2), (2, 1), (-2, 1), (1, 2), (-1, 2)]

    /// The pixels of the segment of `radius` in direction `d`, as (column, row) offsets from its
    /// centre: the k-th is `k × d / 2` rounded half away from zero, so the segment is symmetric.
    public static func segment(radius: Int, along d: (dx: Int, dy: Int)) -> [(dx: Int, dy: Int)] {
        (-radius...radius).map { k in (Int((Double(k * d.dx) / 2).rounded()), Int((Double(k * d.dy) / 2).rounded())) }
    }

    /// A segment's pixels as reads: neighbours along its major axis taken as pairs (when the
    /// segment is mostly along the rows, across; mostly down the columns, down), the rest alone.
    static func terms(of offsets: [(dx: Int, dy: Int)], along d: (dx: Int, dy: Int)) -> [SegmentTerm] {
        let pairing = pairing(along: d)
        let step = pairing == .across ? (1, 0) : (0, 1)
        var left = Set(offsets.map { [$0.dx, $0.dy] })
        var terms: [SegmentTerm] = []
        for o in offsets.sorted(by: { ($0.dy, $0.dx) < ($1.dy, $1.dx) }) where left.contains([o.dx, o.dy]) {
            left.remove([o.dx, o.dy])
            let next = [o.dx + step.0, o.dy + step.1]
            if pairing != .pixel, left.contains(next) {
                left.remove(next)
                terms.append(SegmentTerm(kind: pairing, dx: o.dx, dy: o.dy))
            } else {
                terms.append(SegmentTerm(kind: .pixel, dx: o.dx, dy: o.dy))
            }
        }
        return terms
    }

    /// The pairs a segment in direction `d` is read by: across when it runs mostly along the rows,
    /// down when mostly down the columns, none on the diagonals.
    static func pairing(along d: (dx: Int, dy: Int)) -> SegmentTerm.Kind {
        abs(d.dx) > abs(d.dy) ? .across : abs(d.dy) > abs(d.dx) ? .down : .pixel
    }

    /// `squareRadius` ≤ `radius`: the square's dilation of row u needs rows u ± squareRadius, which
    /// are in when the segments' are.
    public init(radius: Int, squareRadius: Int, width: Int, height: Int) {
        precondition(radius >= 1 && squareRadius >= 1 && squareRadius <= radius && width > 0 && height > 0)
        self.radius = radius
        self.squareRadius = squareRadius
        self.width = width
        self.height = height
        span = 2 * radius + 1
        // row u is dilated once row u + r is in and row v = u − r closed then, reading input rows
        // v ... v + 2r: 2r + 1 rows are enough; the ring keeps a margin over that
        inputSpan = 3 * radius + 2
        padded = width + 2 * radius
        input = [UInt8](repeating: 0, count: inputSpan * padded)
        squareColumn = (-squareRadius...squareRadius).map { SegmentTerm(kind: .pixel, dx: 0, dy: $0) }
        segments = Self.directions.map { d in Self.terms(of: Self.segment(radius: radius, along: d), along: d) }
        pairings = Self.directions.map(Self.pairing)
        dilated = Array(repeating: [UInt8](repeating: 255, count: span * padded), count: segments.count)
        dilatedPairs = dilated
        inputAcross = [UInt8](repeating: 0, count: inputSpan * padded)
        inputDown = inputAcross
        inputRowMax = [UInt8](repeating: 0, count: inputSpan * padded)
        squareRowMin = [UInt8](repeating: 255, count: span * padded)
        squareLine = SlidingExtremum(width: width, radius: squareRadius)
        segmentLine = SlidingExtremum(width: width, radius: radius)
        closing = [UInt8](repeating: 255, count: width)
        scratch = [UInt8](repeating: 0, count: width)
        square = [UInt8](repeating: 0, count: width)
        line = [UInt8](repeating: 0, count: width)
    }

    /// Adds the next row (`width` pixels); calls `body(y, square, line)` for each row now complete.
    public func push(_ row: UnsafeBufferPointer<UInt8>,
                     _ body: (_ y: Int, _ square: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(row.count == width && pushed < height, "row of the wrong width, or past the last row")
        let slot = (pushed % inputSpan) * padded + radius, w = width
        input.withUnsafeMutableBufferPointer { ($0.baseAddress! + slot).update(from: row.baseAddress!, count: w) }
        inputRowMax.withUnsafeMutableBufferPointer { squareLine.filter(row, into: $0.baseAddress! + slot, max: true) }
        input.withUnsafeBufferPointer { src in inputAcross.withUnsafeMutableBufferPointer { a in
            inputDown.withUnsafeMutableBufferPointer { d in
                pairs(of: src.baseAddress!, rows: inputSpan, row: pushed, across: a.baseAddress!, down: d.baseAddress!, max: true)
            }
        } }
        pushed += 1
        // row u can be dilated once row u + r is in
        while dilatedRows + radius < pushed { advance(body) }
    }

    /// Delivers the remaining rows; every row must have been pushed.
    public func finish(_ body: (_ y: Int, _ square: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>) -> Void) {
        precondition(pushed == height, "not every row was pushed")
        while delivered < height { advance(body) }
    }

    /// Starts again with a new image of the same size, reusing the buffers.
    public func restart() {
        pushed = 0
        delivered = 0
        dilatedRows = 0
    }

    /// Dilates the next row (if any is left) and closes the row `radius` above it once its
    /// dilated neighbours are all in.
    private func advance(_ body: (_ y: Int, _ square: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>) -> Void) {
        if dilatedRows < height {
            dilate(dilatedRows)
            dilatedRows += 1
        }
        let v = dilatedRows - 1 - radius
        if dilatedRows == height {
            // the last rows: every row below is outside the image
            while delivered < height && delivered <= dilatedRows - 1 { closeAndDeliver(delivered, body) }
        } else if v >= 0 && v == delivered {
            closeAndDeliver(v, body)
        }
    }

    /// The square's and each segment's max around row u's pixels, into their rings (the
    /// square's as the horizontal min of its dilation, ready for the closing).
    private func dilate(_ u: Int) {
        let sp = span, pw = padded, inSpan = inputSpan, w = width, r = radius
        scratch.withUnsafeMutableBufferPointer { s in
            extremum(over: squareColumn, rows: inputRowMax, ringRows: inSpan, around: u, into: s.baseAddress!, max: true)
            squareRowMin.withUnsafeMutableBufferPointer { out in
                squareLine.filter(UnsafeBufferPointer(s), into: out.baseAddress! + (u % sp) * pw + r, max: false)
            }
        }
        input.withUnsafeBufferPointer { inp in
            dilated[0].withUnsafeMutableBufferPointer { out in
                segmentLine.filter(UnsafeBufferPointer(start: inp.baseAddress! + (u % inSpan) * pw + r, count: w),
                                   into: out.baseAddress! + (u % sp) * pw + r, max: true)
            }
        }
        for d in segments.indices.dropFirst() {
            dilated[d].withUnsafeMutableBufferPointer { out in
                extremum(over: segments[d], rows: input, across: inputAcross, down: inputDown, ringRows: inSpan, around: u,
                         into: out.baseAddress! + (u % sp) * pw + r, max: true)
            }
            // the pairs the closing reads: across, of this row; down, of the row above and this one
            let pairing = pairings[d]
            guard pairing != .pixel else { continue }
            dilated[d].withUnsafeBufferPointer { src in dilatedPairs[d].withUnsafeMutableBufferPointer { out in
                pairs(of: src.baseAddress!, rows: sp, row: u, across: pairing == .across ? out.baseAddress! : nil,
                      down: pairing == .down ? out.baseAddress! : nil, max: false)
            } }
        }
    }

    /// Row `y`'s pairs across (each padded pixel with its right neighbour) into `across`, and the
    /// pairs down of row `y − 1` (with row y) into `down`, from a ring of `rows` padded rows into
    /// rings of the same shape.
    private func pairs(of ring: UnsafePointer<UInt8>, rows: Int, row y: Int, across: UnsafeMutablePointer<UInt8>?,
                       down: UnsafeMutablePointer<UInt8>?, max useMax: Bool) {
        let pw = padded, here = ring + (y % rows) * pw
        if let across {
            let o = across + (y % rows) * pw
            ByteVectors.extremum(here, here + 1, into: o, count: pw - 1, max: useMax)
            o[pw - 1] = here[pw - 1]
        }
        if let down, y >= 1 {
            ByteVectors.extremum(ring + ((y - 1) % rows) * pw, here, into: down + ((y - 1) % rows) * pw, count: pw, max: useMax)
        }
    }

    /// Row v's closings (the min around it of each dilation), the responses, delivered.
    private func closeAndDeliver(_ v: Int, _ body: (_ y: Int, _ square: UnsafeBufferPointer<UInt8>, _ line: UnsafeBufferPointer<UInt8>) -> Void) {
        let w = width, pw = padded, sp = span, inSpan = inputSpan, r = radius
        input.withUnsafeBufferPointer { inp in scratch.withUnsafeMutableBufferPointer { s in
            let row = inp.baseAddress! + (v % inSpan) * pw + r, sv = s.baseAddress!
            extremum(over: squareColumn, rows: squareRowMin, ringRows: sp, around: v, into: sv, max: false)
            square.withUnsafeMutableBufferPointer { ByteVectors.saturatingSubtract(sv, row, into: $0.baseAddress!, count: w) }
            closing.withUnsafeMutableBufferPointer { c in
                let cv = c.baseAddress!
                dilated[0].withUnsafeBufferPointer {
                    segmentLine.filter(UnsafeBufferPointer(start: $0.baseAddress! + (v % sp) * pw + r, count: w), into: cv, max: false)
                }
                for d in segments.indices.dropFirst() {
                    extremum(over: segments[d], rows: dilated[d], across: dilatedPairs[d], down: dilatedPairs[d], ringRows: sp,
                             around: v, into: sv, max: false)
                    ByteVectors.extremum(cv, sv, into: cv, count: w, max: false)
                }
                line.withUnsafeMutableBufferPointer { ByteVectors.saturatingSubtract(cv, row, into: $0.baseAddress!, count: w) }
            }
        } }
        delivered += 1
        square.withUnsafeBufferPointer { q in line.withUnsafeBufferPointer { l in body(v, q, l) } }
    }

    /// `dst[x]` = the max (or min) over a segment's `terms` around row `y`, column `x`: pixels from
    /// `rows`, pairs from `across` and `down` (rings of `ringRows` padded rows, pairs down only of
    /// rows whose lower neighbour is in; terms of pixels only need neither). Rows outside the
    /// image are left out (the neutral value), a pair down half outside reads its row inside;
    /// columns outside the image read the padding.
    private func extremum(over terms: [SegmentTerm], rows: [UInt8], across: [UInt8] = [], down: [UInt8] = [], ringRows: Int,
                          around y: Int, into dst: UnsafeMutablePointer<UInt8>, max useMax: Bool) {
        dst.update(repeating: useMax ? 0 : 255, count: width)
        rows.withUnsafeBufferPointer { rp in across.withUnsafeBufferPointer { ap in down.withUnsafeBufferPointer { dp in
            for t in terms {
                var row = y + t.dy, source = rp.baseAddress!
                switch t.kind {
                case .pixel: break
                case .across: source = ap.baseAddress!
                case .down:
                    if row == -1 { row = 0 } else if row + 1 < height { source = dp.baseAddress! }
                }
                guard row >= 0 && row < height else { continue }
                ByteVectors.extremum(dst, source + (row % ringRows) * padded + radius + t.dx, into: dst, count: width, max: useMax)
            }
        } } }
    }
}
