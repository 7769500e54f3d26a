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
        let threshold = Self.threshold(for: image)
        let blobs = BlobExtraction.blobs(in: image, radius: radius, threshold: threshold)
        return VehicleCandidateFilter(metresPerPixel: g, factor: image.factor).candidates(from: blobs)
    }

    /// Foreground threshold in gray levels: 4.5 × the noise, estimated robustly from the
    /// differences of neighbouring pixels, within 14...40.
    static func threshold(for image: GrayImage) -> UInt8 {
        var differences: [Int] = []
        let step = max(1, image.height / 200)
        for y in stride(from: 0, to: image.height, by: step) {
            for x in stride(from: 0, to: image.width - 1, by: 3) {
                differences.append(abs(Int(image[x + 1, y]) - Int(image[x, y])))
            }
        }
        guard !differences.isEmpty else { return 20 }
        differences.sort()
        let mad = Double(differences[differences.count / 2])
        let sigma = 1.4826 * mad / 2.0.squareRoot()
        return UInt8(max(14, min(40, 4.5 * sigma)))
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

    /// Columns among `nodes`, longest first, that meet the parameters.
    public func columns(nodes: [LinkNode], counts: [Double]) -> [Column] {
        let chains = ColumnLinker(maxGap: parameters.maxGap).chains(nodes)
        let columns = ColumnBuilder(maxGap: parameters.maxGap).columns(chains: chains, nodes: nodes) { counts[$0] }
        return columns.filter {
            $0.planeLength >= parameters.minLength && $0.vehicles >= parameters.minVehicles
                && medianSpacing($0, nodes) <= Self.maxMedianSpacing
        }.sorted { $0.planeLength > $1.planeLength }
    }

    /// Vehicles in a column are usually 10–100 m apart, with some gaps of hundreds of metres;
    /// traffic whose typical spacing is wider than this is not a column.
    public static let maxMedianSpacing = 120.0

    /// Median distance between consecutive members along the column.
    func medianSpacing(_ column: Column, _ nodes: [LinkNode]) -> Double {
        let builder = ColumnBuilder(maxGap: parameters.maxGap)
        let ts = column.members.map { builder.arcParameter(of: nodes[$0].position, along: column.path) }.sorted()
        let gaps = zip(ts, ts.dropFirst()).map { $1 - $0 }.sorted()
        return gaps.isEmpty ? .infinity : gaps[gaps.count / 2]
    }
}
