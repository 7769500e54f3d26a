import ConvoyCore
import ConvoyGeo
import Foundation

/// The gray level of a georeferenced scene's imagery at any point of its plane, without a PROJ
/// call per point: the linker asks about millions of points (the ground between candidates), and
/// PROJ costs about a microsecond each.
///
/// Each image's plane → pixel map is fitted once as an affine map by least squares on a 5 × 5
/// grid of pixels taken through PROJ. Over one image the scene's azimuthal equidistant plane and
/// the image's CRS differ from affine by far less than a working pixel for images up to tens of
/// kilometres across (`maximumResidual` says by how much, in source pixels); the map is used
/// only to read the ground, never to measure.
final class SceneGround {
    /// One image: its plane → context-pixel map and rasters.
    private final class ImageMap {
        let gray: [UInt8], chroma: [UInt8]?
        let width: Int, height: Int
        // context pixel = a * plane + b
        let ax: (Double, Double, Double), ay: (Double, Double, Double)
        let minX: Double, maxX: Double, minY: Double, maxY: Double
        init(gray: GrayImage, chroma: GrayImage?, ax: (Double, Double, Double), ay: (Double, Double, Double), bounds: [PlanePoint]) {
            self.gray = gray.pixels
            self.chroma = chroma?.pixels
            width = gray.width
            height = gray.height
            let f = 1 / Double(gray.factor)
            self.ax = (ax.0 * f, ax.1 * f, ax.2 * f)
            self.ay = (ay.0 * f, ay.1 * f, ay.2 * f)
            minX = bounds.map(\.x).min()!
            maxX = bounds.map(\.x).max()!
            minY = bounds.map(\.y).min()!
            maxY = bounds.map(\.y).max()!
        }
    }
    private let maps: [ImageMap]
    /// The images whose bounds reach into each `cell`-metre square of the plane, as one list per
    /// square (`offsets[k]..<offsets[k + 1]` of `members`), squares row by row from `origin`.
    private let origin: PlanePoint
    private let columns: Int, rows: Int
    private let offsets: [Int], members: [Int]
    private let cell = 1000.0
    /// Largest distance, source pixels, between a fitted pixel position and PROJ's on the fit grid.
    let maximumResidual: Double

    init(images: [SceneImage], indices: [Int], plane: ScenePlane) throws {
        var maps: [ImageMap] = []
        var worst = 0.0
        for i in indices {
            guard case let .georeferenced(g) = images[i].scale else { continue }
            let w = Double(images[i].header.width), h = Double(images[i].header.height)
            var pixels: [PixelPoint] = []
            for r in 0..<5 { for c in 0..<5 { pixels.append(PixelPoint(x: w * Double(c) / 4, y: h * Double(r) / 4)) } }
            let points = try plane.points(try g.lonLats(of: pixels))
            guard let ax = Self.fit(points, pixels.map(\.x)), let ay = Self.fit(points, pixels.map(\.y)) else { continue }
            for (p, q) in zip(points, pixels) {
                let x = ax.0 * p.x + ax.1 * p.y + ax.2, y = ay.0 * p.x + ay.1 * p.y + ay.2
                worst = max(worst, ((x - q.x) * (x - q.x) + (y - q.y) * (y - q.y)).squareRoot())
            }
            maps.append(ImageMap(gray: images[i].gray, chroma: images[i].chroma, ax: ax, ay: ay, bounds: points))
        }
        let minX = maps.map(\.minX).min() ?? 0, minY = maps.map(\.minY).min() ?? 0
        let maxX = maps.map(\.maxX).max() ?? 0, maxY = maps.map(\.maxY).max() ?? 0
        origin = PlanePoint(x: minX, y: minY)
        columns = Int((maxX - minX) / cell) + 1
        rows = Int((maxY - minY) / cell) + 1
        var lists = [[Int]](repeating: [], count: columns * rows)
        for (k, m) in maps.enumerated() {
            for cy in Int((m.minY - minY) / cell)...Int((m.maxY - minY) / cell) {
                for cx in Int((m.minX - minX) / cell)...Int((m.maxX - minX) / cell) { lists[cy * columns + cx].append(k) }
            }
        }
        var offsets = [0]
        for list in lists { offsets.append(offsets.last! + list.count) }
        self.offsets = offsets
        members = lists.flatMap { $0 }
        self.maps = maps
        maximumResidual = worst
    }

    /// Working-image gray level and colourfulness at plane point `p`, nil outside every image.
    func level(at p: PlanePoint) -> GroundSample? {
        let fx = (p.x - origin.x) / cell, fy = (p.y - origin.y) / cell
        guard fx >= 0, fy >= 0, fx < Double(columns), fy < Double(rows) else { return nil }
        let square = Int(fy) * columns + Int(fx)
        for k in offsets[square]..<offsets[square + 1] {
            let m = maps[members[k]]
            let sx = m.ax.0 * p.x + m.ax.1 * p.y + m.ax.2, sy = m.ay.0 * p.x + m.ay.1 * p.y + m.ay.2
            guard sx >= 0, sy >= 0 else { continue }
            let x = Int(sx), y = Int(sy)
            guard x < m.width && y < m.height else { continue }
            return GroundSample(level: Double(m.gray[y * m.width + x]), chroma: m.chroma.map { Double($0[y * m.width + x]) })
        }
        return nil
    }

    /// Least-squares (a, b, c) with value ≈ a x + b y + c.
    static func fit(_ points: [PlanePoint], _ values: [Double]) -> (Double, Double, Double)? {
        // normal equations of the 3-parameter fit, centred for conditioning
        let n = Double(points.count)
        let mx = points.reduce(0) { $0 + $1.x } / n, my = points.reduce(0) { $0 + $1.y } / n
        let mv = values.reduce(0, +) / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0, sxv = 0.0, syv = 0.0
        for (p, v) in zip(points, values) {
            let x = p.x - mx, y = p.y - my, w = v - mv
            sxx += x * x; sxy += x * y; syy += y * y; sxv += x * w; syv += y * w
        }
        let det = sxx * syy - sxy * sxy
        guard abs(det) > 1e-12 * max(1, sxx * syy) else { return nil }
        let a = (sxv * syy - syv * sxy) / det, b = (syv * sxx - sxv * sxy) / det
        return (a, b, mv - a * mx - b * my)
    }
}
