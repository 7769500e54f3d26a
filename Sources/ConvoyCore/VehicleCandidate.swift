/// A point in a local metric plane: metres east (x) and north (y) of some origin, or image
/// pixels times the ground sample distance when the image has no georeference.
public struct PlanePoint: Sendable, Equatable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }

    public static func - (a: PlanePoint, b: PlanePoint) -> PlanePoint { PlanePoint(x: a.x - b.x, y: a.y - b.y) }
    public static func + (a: PlanePoint, b: PlanePoint) -> PlanePoint { PlanePoint(x: a.x + b.x, y: a.y + b.y) }
    public static func * (a: PlanePoint, k: Double) -> PlanePoint { PlanePoint(x: a.x * k, y: a.y * k) }
    public var length: Double { (x * x + y * y).squareRoot() }
    public func distance(to other: PlanePoint) -> Double { (self - other).length }
}

/// Something in the image that may be one or more vehicles: a blob of vehicle size, or a piece
/// of a streak where vehicles at coarse resolution merge into a line.
public struct VehicleCandidate: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// A blob of the size and shape of one vehicle.
        case vehicle
        /// A piece, about 10 m long, of a narrow streak longer than any vehicle.
        case streakPiece = "streak_piece"
    }

    public var kind: Kind
    /// Centre in source-image pixels (pixel-corner convention).
    public var pixelX: Double
    public var pixelY: Double
    /// Long-axis direction in image pixel axes, radians in (-π/2, π/2]; nil when the blob is too
    /// small or too round for its direction to mean anything.
    public var pixelAngle: Double?
    /// Ground size in metres along and across the long axis (a streak piece: its extent).
    public var lengthMetres: Double
    public var widthMetres: Double
    /// Top-hat contrast mass, in gray levels × m².
    public var mass: Double
    public var polarity: Blob.Polarity
    /// Identifies the blob it came from among the image's blobs of its polarity (pieces of one
    /// streak share it): the blob's `id`.
    public var blob: Int
}

/// Turns blobs into vehicle candidates, with every size in metres through the ground sample
/// distance: vehicles are 2–3.5 m wide and 4–12 m long (plus shadow and blur); longer narrow
/// blobs are streaks of vehicles merged at coarse resolution; wider ones (buildings, tree
/// clusters, forest edges, blocks of parked vehicles) and round ones (tree crowns, where the
/// resolution shows shape) are dropped.
public struct VehicleCandidateFilter: Sendable {
    /// Metres per working pixel.
    public let metresPerPixel: Double
    /// Source pixels per working pixel.
    public let factor: Int

    public init(metresPerPixel: Double, factor: Int) {
        self.metresPerPixel = metresPerPixel
        self.factor = factor
    }

    /// Widest a candidate may look, in metres: two vehicles abreast whose bodies and shadows
    /// touch (a single blob up to about 8 m across; one vehicle with its shadow is at most 6 m)
    /// plus the blur of about a pixel on each side. Wider blobs are buildings, clusters of crowns,
    /// forest edges or blocks of parked vehicles. (At 6 m, two abreast were lost: tune-10 measured
    /// 1.27 km of 1.75.)
    var maxWidth: Double { 8.0 + 2.0 * metresPerPixel }
    /// Longest one vehicle may look (12 m plus shadow and blur).
    var maxVehicleLength: Double { 15.0 + 2.0 * metresPerPixel }
    /// Whether bright blobs are kept. Off: at every resolution tried, the bright top-hat responds
    /// mostly to pieces of road between dark vehicles and to narrow light roads, far more often
    /// than to light vehicles, which a column's dark vehicles carry across anyway.
    public var acceptsBright = false

    /// Whether a vehicle's shape is resolved: at least about 2.5 pixels across its width.
    public var resolvesShape: Bool { metresPerPixel <= Self.coarsestResolved }
    /// Coarsest working pixel, metres, at which vehicles' shapes are resolved.
    public static let coarsestResolved = 1.2

    public func candidates(from blobs: [Blob]) -> [VehicleCandidate] {
        blobs.flatMap { candidates(of: $0) }
    }

    /// The candidates one blob makes: none, one vehicle, or the pieces of a streak.
    public func candidates(of blob: Blob) -> [VehicleCandidate] {
        let g = metresPerPixel, index = blob.id
        let shape = blob.shape
        let length = shape.length * g, width = shape.width * g
        guard width <= maxWidth else { return [] }
        if blob.polarity == .bright && !acceptsBright { return [] }
        if length <= maxVehicleLength {
            return vehicle(blob, index: index).map { [$0] } ?? []
        } else if blob.polarity == .dark && !(resolvesShape && (length > 60 || width < 1.8 || width > 4.5)) {
            // At a resolution that shows vehicles one by one, only vehicles touching head to
            // tail in single file make a streak (1.8-4.5 m wide, up to 60 m); longer, thinner
            // or wider ones are road edges, hedges, rows of tree crowns or shadow lines.
            // Bright streaks are roads.
            // Coarser, the vehicles inside a streak when the line top-hat tells them from it.
            let vehicles = dips(of: blob, index: index)
            if !vehicles.isEmpty { return vehicles }
            let pieces = streakPieces(of: blob, index: index, width: width)
            if pieces.count >= 6 && massVariation(pieces) < 0.2 { return [] } // uniform line: a road or hedge
            return pieces
        }
        return []
    }

    /// The vehicle candidate a blob of at most a vehicle's size makes, nil if it is no vehicle;
    /// `origin` is where the blob's pixel (0, 0) lies in the working image (a dip found inside a
    /// streak is measured on the streak's own small raster), `index` the blob it is reported as.
    func vehicle(_ blob: Blob, origin: (x: Double, y: Double) = (0, 0), index: Int) -> VehicleCandidate? {
        let g = metresPerPixel, f = Double(factor)
        let shape = blob.shape
        let length = shape.length * g, width = shape.width * g
        guard width <= maxWidth, length <= maxVehicleLength else { return nil }
        // smaller than the smallest vehicle (2.4 m x 5 m, less what blur takes off the edges): noise
        guard blob.area * g * g >= 8.0, blob.area >= 2 else { return nil }
        if resolvesShape {
            guard length >= 4.0, length / width >= 1.3 else { return nil } // round: a crown, not a vehicle
            guard width >= 1.8 else { return nil } // thinner than any vehicle: a fence, furrow or field edge
        }
        let (cx, cy) = blob.centroid
        // a direction only where the blob is clearly elongated: a vehicle with its shadow
        // beside it can be nearly square, and a wrong axis would forbid the right links
        let angle: Double? = shape.length >= 1.6 * shape.width && shape.length >= 2.5 ? shape.angle : nil
        return VehicleCandidate(kind: .vehicle, pixelX: (cx + origin.x) * f, pixelY: (cy + origin.y) * f, pixelAngle: angle,
                                lengthMetres: length, widthMetres: width, mass: blob.mass * g * g,
                                polarity: blob.polarity, blob: index)
    }

    /// Coefficient of variation of the pieces' contrast mass: vehicles and the gaps between them
    /// modulate a column's streak; a road, ditch or hedge line is nearly uniform.
    func massVariation(_ pieces: [VehicleCandidate]) -> Double {
        let masses = pieces.map(\.mass)
        let mean = masses.reduce(0, +) / Double(masses.count)
        let variance = masses.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(masses.count)
        return mean > 0 ? variance.squareRoot() / mean : 0
    }

    /// Cuts a streak into pieces about 10 m long by a grid of square cells.
    func streakPieces(of blob: Blob, index: Int, width: Double) -> [VehicleCandidate] {
        let g = metresPerPixel, f = Double(factor)
        let cell = max(2, Int((10.0 / g).rounded()))
        struct Piece { var n = 0.0, sx = 0.0, sy = 0.0, mass = 0.0 }
        var pieces: [Int: Piece] = [:]
        let perPixelMass = blob.mass / blob.area
        for run in blob.runs {
            let y = Int(run.y)
            for x in Int(run.x0)...Int(run.x1) {
                let key = (y / cell) * 1_000_003 + x / cell
                pieces[key, default: Piece()].n += 1
                pieces[key]!.sx += Double(x) + 0.5
                pieces[key]!.sy += Double(y) + 0.5
                pieces[key]!.mass += perPixelMass
            }
        }
        return pieces.values.filter { $0.n * g * g >= 2.0 }.map { p in
            VehicleCandidate(kind: .streakPiece, pixelX: p.sx / p.n * f, pixelY: p.sy / p.n * f, pixelAngle: nil,
                             lengthMetres: Double(cell) * g, widthMetres: width, mass: p.mass * g * g,
                             polarity: blob.polarity, blob: index)
        }.sorted { ($0.pixelY, $0.pixelX) < ($1.pixelY, $1.pixelX) }
    }
}
