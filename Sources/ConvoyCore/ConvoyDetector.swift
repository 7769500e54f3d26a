#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What makes a column a convoy, in the user's terms (`convoy measure` options).
public struct DetectionParameters: Sendable, Equatable {
    /// Longest gap between vehicles bridged within one column, metres (`--max-gap`).
    public var maxGap: Double = 300
    /// Shortest column reported, metres (`--min-length`).
    public var minLength: Double = 200
    /// Fewest vehicles in a column reported (`--min-vehicles`).
    public var minVehicles: Int = 10

    public init(maxGap: Double = 300, minLength: Double = 200, minVehicles: Int = 10) {
        self.maxGap = maxGap
        self.minLength = minLength
        self.minVehicles = minVehicles
    }
}

/// Finds vehicle candidates in images and links them into columns.
///
/// Every size is in metres and reaches pixels only through the ground sample distance: images
/// finer than about 0.8 m are averaged down to a working resolution near 0.9 m, where vehicles
/// are still 3 pixels wide; coarser ones are used as they are.
public struct ConvoyDetector: Sendable {
    public var parameters: DetectionParameters

    public init(parameters: DetectionParameters = DetectionParameters()) {
        self.parameters = parameters
    }

    /// Source pixels averaged into one working pixel for an image of `metresPerPixel`.
    public static func workingFactor(metresPerPixel: Double) -> Int {
        max(1, Int((0.9 / metresPerPixel).rounded(.down)))
    }

    /// Vehicle candidates in `image`, whose source pixels are `metresPerPixel` on the ground.
    public func candidates(in image: GrayImage, metresPerPixel: Double) -> [VehicleCandidate] {
        let g = metresPerPixel * Double(image.factor)
        // square structuring element a little wider than a vehicle with its shadow (~7 m)
        let radius = max(1, Int(((7.0 / g) - 1) / 2 + 0.5))
        let filter = VehicleCandidateFilter(metresPerPixel: g, factor: image.factor)
        let threshold = Self.threshold(for: image, radius: radius)
        // a vehicle's blob is the part of it within a third of its own peak response over about
        // 9 m (a vehicle's length), not whatever faint road edge or verge it touches
        let blobs = BlobExtraction.blobs(in: image, radius: radius, threshold: threshold, bright: filter.acceptsBright,
                                         gateRadius: max(1, Int(4.5 / g + 0.5)))
        let candidates = filter.candidates(from: blobs)
        guard filter.resolvesShape else { return candidates }
        return candidates.filter { endsAreClear($0, in: image, metresPerWorkingPixel: g, contrast: Double(threshold)) }
    }

    /// Whether the ground just beyond both ends of a resolved vehicle is brighter than the vehicle
    /// (road surface, or the gap before the next vehicle): a dark object that goes on dark along
    /// its own axis is a piece of a hedge, field edge, furrow or shadow line, not a vehicle.
    func endsAreClear(_ c: VehicleCandidate, in image: GrayImage, metresPerWorkingPixel g: Double, contrast: Double) -> Bool {
        guard c.kind == .vehicle, let angle = c.pixelAngle else { return true }
        let f = Double(image.factor)
        let cx = c.pixelX / f, cy = c.pixelY / f
        func sample(_ x: Double, _ y: Double) -> Double? {
            let xi = Int(x), yi = Int(y)
            guard xi >= 0, yi >= 0, xi < image.width, yi < image.height else { return nil }
            return Double(image[xi, yi])
        }
        guard let centre = sample(cx, cy) else { return true }
        let reach = (c.lengthMetres / 2 + 2.5) / g
        let dx = cos(angle) * reach, dy = sin(angle) * reach
        guard let ahead = sample(cx + dx, cy + dy), let behind = sample(cx - dx, cy - dy) else { return true }
        return ahead - centre >= contrast / 2 && behind - centre >= contrast / 2
    }

    /// Foreground threshold in gray levels, from the dark top-hat response itself on sample
    /// strips of the image: the response of plain ground (noise, texture, JPEG artefacts) is
    /// what a vehicle must stand out from, and it grows with the square's size, since the
    /// closing takes the brightest value of every window. Median + 8 × the median absolute
    /// deviation, within 14...60 gray levels.
    static func threshold(for image: GrayImage, radius: Int) -> UInt8 {
        let stripRows = min(image.height, max(8 * radius, 48))
        let strips = min(8, max(1, image.height / stripRows))
        var histogram = [Int](repeating: 0, count: 256)
        for k in 0..<strips {
            let y0 = (image.height - stripRows) * k / max(1, strips - 1)
            let strip = GrayImage(width: image.width, height: stripRows,
                                  pixels: Array(image.pixels[(y0 * image.width)..<((y0 + stripRows) * image.width)]))
            TopHat(radius: radius, computesBright: false).forEachRow(of: strip) { _, dark, _ in
                for v in dark { histogram[Int(v)] += 1 }
            }
        }
        let total = histogram.reduce(0, +)
        guard total > 0 else { return 20 }
        func quantile(_ q: Double) -> Int {
            var seen = 0
            for (v, n) in histogram.enumerated() {
                seen += n
                if Double(seen) >= q * Double(total) { return v }
            }
            return 255
        }
        let median = quantile(0.5)
        // MAD from the histogram of |v - median|
        var deviations = [Int](repeating: 0, count: 256)
        for (v, n) in histogram.enumerated() { deviations[abs(v - median)] += n }
        var seen = 0, mad = 0
        for (d, n) in deviations.enumerated() {
            seen += n
            if seen * 2 >= total { mad = d; break }
        }
        return UInt8(max(14, min(60, median + 8 * max(1, mad))))
    }

    /// Vehicles each candidate stands for: 1 for a vehicle-sized blob (2 for one as long as two),
    /// and for a streak piece its contrast mass over a single vehicle's, taken from the resolved
    /// vehicles when there are enough, else a nominal 20 m² at the median contrast.
    public static func vehicleCounts(_ candidates: [VehicleCandidate]) -> [Double] {
        let single = candidates.filter { $0.kind == .vehicle && $0.lengthMetres <= 12 }.map(\.mass).sorted()
        let reference = single.count >= 5 ? single[single.count / 2] : 20 * 60
        return candidates.map { c in
            switch c.kind {
            case .vehicle: return c.lengthMetres > 13 ? 2 : 1
            case .streakPiece: return max(0.3, c.mass / reference)
            }
        }
    }

    /// Coefficient of variation of a column's contrast along its path, in 10 m steps (gaps count
    /// as zero). Vehicles and the gaps between them modulate a column; a hedge, ditch, field edge
    /// or narrow dark road stays nearly uniform over its length.
    func modulation(_ column: Column, nodes: [LinkNode], masses: [Double]) -> Double {
        let builder = ColumnBuilder()
        var bins = [Double](repeating: 0, count: max(1, Int(column.planeLength / 10) + 1))
        for n in column.members {
            let t = builder.arcParameter(of: nodes[n].position, along: column.path)
            bins[max(0, min(bins.count - 1, Int(t / 10)))] += masses[n]
        }
        let inner = bins.count > 4 ? Array(bins[1..<(bins.count - 1)]) : bins // ends are partly empty bins
        let mean = inner.reduce(0, +) / Double(inner.count)
        guard mean > 0 else { return 0 }
        let variance = inner.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(inner.count)
        return variance.squareRoot() / mean
    }

    /// Smallest `modulation` of a column made mostly of streak pieces.
    public static let minStreakModulation = 0.6

    /// Columns among `nodes`, longest first, that meet the parameters. `masses` (contrast mass per
    /// node) is used to tell a column's streak from a uniform line; without it every streak passes.
    public func columns(nodes: [LinkNode], counts: [Double], masses: [Double]? = nil) -> [Column] {
        // link only what is not areal clutter; indices map back to the caller's nodes
        let kept = ClutterFilter().keep(nodes)
        let linked = kept.map { nodes[$0] }
        let chains = ColumnLinker(maxGap: parameters.maxGap).chains(linked).map { $0.map { kept[$0] } }
        let builder = ColumnBuilder()
        let columns = builder.columns(chains: chains, nodes: nodes) { counts[$0] }
            .filter { builder.lateralSpread($0, nodes) <= Self.maxLateralSpread }
            .filter { column in
                // where vehicles' shapes are seen, most must point along the path
                let (fraction, count) = builder.alignment(column, nodes: nodes)
                return count < 5 || fraction >= Self.minAlignment
            }
            .filter { column in
                guard let masses else { return true }
                let streaks = column.members.filter { nodes[$0].isStreakPiece }.count
                return streaks * 2 <= column.members.count
                    || modulation(column, nodes: nodes, masses: masses) >= Self.minStreakModulation
            }
            .filter { column in
                // where vehicles are seen one by one, a column is made of vehicles, not of pieces
                // of streaks (hedges, field edges, rows of crowns)
                let resolved = column.members.filter { nodes[$0].shapeResolved }
                let streaks = resolved.filter { nodes[$0].isStreakPiece }.count
                return resolved.count < 5 || streaks * 2 <= resolved.count
            }
        return columns.filter {
            $0.planeLength >= parameters.minLength && $0.vehicles >= parameters.minVehicles
                && medianSpacing($0, nodes) <= Self.maxMedianSpacing
        }.sorted { $0.planeLength > $1.planeLength }
    }

    /// A column is at most three abreast: its members lie within this many metres across its path
    /// (10th to 90th percentile of their offsets); wider groups are texture (a field's furrows).
    public static let maxLateralSpread = 15.0

    /// Fraction of a column's resolved vehicles that must point along its path.
    public static let minAlignment = 0.5

    /// Vehicles in a column are usually 10–100 m apart, with some gaps of hundreds of metres;
    /// traffic whose typical spacing is wider than this is not a column.
    public static let maxMedianSpacing = 120.0

    /// Median distance between consecutive members along the column.
    func medianSpacing(_ column: Column, _ nodes: [LinkNode]) -> Double {
        let builder = ColumnBuilder()
        let ts = column.members.map { builder.arcParameter(of: nodes[$0].position, along: column.path) }.sorted()
        let gaps = zip(ts, ts.dropFirst()).map { $1 - $0 }.sorted()
        return gaps.isEmpty ? .infinity : gaps[gaps.count / 2]
    }
}
