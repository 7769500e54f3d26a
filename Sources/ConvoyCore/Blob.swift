#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A horizontal run of foreground pixels: row `y`, columns `x0 ... x1` (inclusive).
public struct PixelRun: Sendable, Equatable {
    public var y: Int32
    public var x0: Int32
    public var x1: Int32
}

/// A connected set of foreground pixels (8-connectivity) and its moments, in working pixels.
public struct Blob: Sendable {
    /// Whether the blob is darker or brighter than its surroundings.
    public enum Polarity: Sendable { case dark, bright }

    public let polarity: Polarity
    /// Identifies the blob among the image's blobs of its polarity: the number of its first run
    /// (top row, leftmost) among all foreground runs of that polarity, counted row by row.
    public internal(set) var id: Int
    public internal(set) var runs: [PixelRun]
    /// Pixel count.
    public internal(set) var area: Double = 0
    /// Sum of the top-hat response over the pixels: contrast "mass", kept by blur and resampling.
    public internal(set) var mass: Double = 0
    /// The line top-hat's response (`LineTopHatStream`) at each pixel, run by run in `runs`
    /// order; empty where it was not computed (vehicles resolved).
    public internal(set) var line: [UInt8] = []
    /// Foreground threshold the blob's first run was found with.
    public internal(set) var threshold: UInt8
    var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0

    init(polarity: Polarity, id: Int, threshold: UInt8 = 0) {
        self.threshold = threshold
        self.polarity = polarity
        self.id = id
        runs = []
    }

    mutating func add(_ run: PixelRun, mass m: Double, line values: UnsafeBufferPointer<UInt8>? = nil) {
        runs.append(run)
        if let values { line.append(contentsOf: values) }
        let n = Double(run.x1 - run.x0 + 1)
        let y = Double(run.y) + 0.5
        let a = Double(run.x0) + 0.5 // centre of the first pixel
        area += n
        mass += m
        let sumX = n * a + n * (n - 1) / 2
        let sumXX = n * a * a + a * n * (n - 1) + (n - 1) * n * (2 * n - 1) / 6
        sx += sumX
        sy += n * y
        sxx += sumXX
        syy += n * y * y
        sxy += y * sumX
    }

    /// Adds `other`'s pixels (the sums are of multiples of 1/4 well below 2⁵³, so exact in any
    /// order); the merged blob keeps the smaller id.
    mutating func merge(_ other: Blob) {
        if other.id < id { threshold = other.threshold }
        id = min(id, other.id)
        runs += other.runs
        line += other.line
        area += other.area
        mass += other.mass
        sx += other.sx
        sy += other.sy
        sxx += other.sxx
        syy += other.syy
        sxy += other.sxy
    }

    /// Centroid (pixel-corner convention: the centre of pixel (i, j) is (i + 0.5, j + 0.5)).
    public var centroid: (x: Double, y: Double) { (sx / area, sy / area) }

    /// Orientation of the long axis in radians, in (-π/2, π/2], measured from +x towards +y;
    /// the long and short axes' lengths, as the sides of the rectangle with the same second
    /// moments (√(12 λ)), in pixels.
    public var shape: (angle: Double, length: Double, width: Double) {
        let (cx, cy) = centroid
        // +1/12 per pixel: a pixel is a unit square, not a point
        let mxx = sxx / area - cx * cx + 1.0 / 12
        let myy = syy / area - cy * cy + 1.0 / 12
        let mxy = sxy / area - cx * cy
        let trace = mxx + myy
        let root = ((mxx - myy) * (mxx - myy) / 4 + mxy * mxy).squareRoot()
        let l1 = max(trace / 2 + root, 1.0 / 12), l2 = max(trace / 2 - root, 1.0 / 12)
        let angle = 0.5 * atan2(2 * mxy, mxx - myy)
        return (angle, (12 * l1).squareRoot(), (12 * l2).squareRoot())
    }
}
