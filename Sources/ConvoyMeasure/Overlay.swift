import ConvoyCore
import ConvoyGeo
import ConvoyImageIO
import Foundation

/// The `--overlay` picture: the imagery in gray, downscaled to at most 2000 pixels on a side, with
/// vehicle candidates (yellow), convoy paths (red), vehicles counted on a convoy's path that were
/// no candidate (orange), heads (green) and tails (blue), and with `--explain` the paths of the
/// columns not reported (magenta). A
/// georeferenced scene is drawn north up in its plane, every tile in place; an image without
/// georeference is drawn as it is.
public enum Overlay {
    static let maxSide = 2000.0

    public static func write(_ m: SceneMeasurement, to path: String) throws {
        guard !m.images.isEmpty else { return }
        var canvas: Canvas
        if let plane = m.plane {
            canvas = try sceneCanvas(m, plane: plane)
        } else {
            canvas = imageCanvas(m.images[0])
        }
        for (image, candidates) in m.images.enumerated().map({ ($0.offset, $0.element.candidates) }) {
            for c in candidates {
                if let p = try canvas.point(image: image, pixelX: c.pixelX, pixelY: c.pixelY) {
                    canvas.disc(p, radius: 2, colour: [255, 220, 0])
                }
            }
        }
        // columns not reported (`--explain`) in magenta, under the convoys
        for (convoy, reported) in m.notReported.map({ ($0, false) }) + m.convoys.map({ ($0, true) }) {
            let points = try canvas.points(convoy.path, orPixels: convoy.pathPixels, of: convoy.images.first)
            for (a, b) in zip(points, points.dropFirst()) { canvas.line(a, b, colour: reported ? [230, 30, 30] : [220, 40, 220]) }
            guard reported else { continue }
            // vehicles counted on the path that were no candidate (`MissedVehicles`), in orange
            for v in convoy.vehiclesOnPath {
                if let p = try canvas.point(image: v.image, pixelX: v.pixelX, pixelY: v.pixelY) {
                    canvas.disc(p, radius: 4, colour: [255, 140, 0])
                }
            }
            if let head = points.first { canvas.disc(head, radius: 6, colour: [30, 210, 60]) }
            if let tail = points.last { canvas.disc(tail, radius: 6, colour: [40, 90, 255]) }
        }
        try PNGWriter.write(canvas.raster, to: path)
    }

    /// One image without georeference, as it is.
    static func imageCanvas(_ image: SceneImage) -> Canvas {
        let gray = image.gray
        let shrink = max(1, Int((Double(max(gray.width, gray.height)) / maxSide).rounded(.up)))
        var canvas = Canvas(width: (gray.width + shrink - 1) / shrink, height: (gray.height + shrink - 1) / shrink)
        for y in 0..<canvas.raster.height {
            for x in 0..<canvas.raster.width {
                canvas.set(x, y, gray[min(gray.width - 1, x * shrink), min(gray.height - 1, y * shrink)])
            }
        }
        canvas.singleImage = 0
        canvas.pixelScale = 1.0 / Double(gray.factor * shrink)
        return canvas
    }

    /// Every georeferenced image placed in the scene's plane, north up.
    static func sceneCanvas(_ m: SceneMeasurement, plane: ScenePlane) throws -> Canvas {
        // each image's pixel → plane map, as an affine fitted to three corners (tiles are small
        // enough for the projection to be affine across them at drawing scale)
        var maps: [Int: PixelToPlane] = [:]
        for (i, image) in m.images.enumerated() {
            guard case let .georeferenced(g) = image.scale else { continue }
            let w = Double(image.header.width), h = Double(image.header.height)
            let corners = try plane.points(try g.lonLats(of: [PixelPoint(x: 0, y: 0), PixelPoint(x: w, y: 0), PixelPoint(x: 0, y: h)]))
            maps[i] = PixelToPlane(origin: corners[0], perX: (corners[1] - corners[0]) * (1 / w), perY: (corners[2] - corners[0]) * (1 / h))
        }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for (i, map) in maps {
            let image = m.images[i]
            for (px, py) in [(0.0, 0.0), (Double(image.header.width), 0), (0, Double(image.header.height)),
                             (Double(image.header.width), Double(image.header.height))] {
                let p = map.plane(px, py)
                minX = min(minX, p.x); maxX = max(maxX, p.x); minY = min(minY, p.y); maxY = max(maxY, p.y)
            }
        }
        let finest = m.images.map { $0.metresPerPixel * Double($0.workingFactor) }.min() ?? 1
        let scale = max(finest, max(maxX - minX, maxY - minY) / maxSide) // metres per canvas pixel
        var canvas = Canvas(width: max(1, Int(((maxX - minX) / scale).rounded(.up))),
                            height: max(1, Int(((maxY - minY) / scale).rounded(.up))))
        canvas.plane = plane
        canvas.planeOrigin = PlanePoint(x: minX, y: maxY)
        canvas.metresPerCanvasPixel = scale
        canvas.maps = maps
        for (i, map) in maps {
            let gray = m.images[i].gray
            let f = Double(gray.factor)
            // the image's canvas bounding box, then each canvas pixel back to the image
            var x0 = Int.max, x1 = Int.min, y0 = Int.max, y1 = Int.min
            let image = m.images[i]
            for (px, py) in [(0.0, 0.0), (Double(image.header.width), 0), (0, Double(image.header.height)),
                             (Double(image.header.width), Double(image.header.height))] {
                let c = canvas.canvasPoint(map.plane(px, py))
                x0 = min(x0, Int(c.0)); x1 = max(x1, Int(c.0)); y0 = min(y0, Int(c.1)); y1 = max(y1, Int(c.1))
            }
            for y in max(0, y0)...min(canvas.raster.height - 1, max(0, y1)) {
                for x in max(0, x0)...min(canvas.raster.width - 1, max(0, x1)) {
                    let p = PlanePoint(x: minX + (Double(x) + 0.5) * scale, y: maxY - (Double(y) + 0.5) * scale)
                    let (px, py) = map.pixel(p)
                    let gx = Int(px / f), gy = Int(py / f)
                    guard px >= 0, py >= 0, gx < gray.width, gy < gray.height else { continue }
                    canvas.set(x, y, gray[gx, gy])
                }
            }
        }
        return canvas
    }
}

/// Affine map from an image's pixels to the scene plane.
struct PixelToPlane {
    let origin: PlanePoint, perX: PlanePoint, perY: PlanePoint

    func plane(_ x: Double, _ y: Double) -> PlanePoint { origin + perX * x + perY * y }

    func pixel(_ p: PlanePoint) -> (Double, Double) {
        let d = p - origin
        let det = perX.x * perY.y - perX.y * perY.x
        return ((d.x * perY.y - d.y * perY.x) / det, (perX.x * d.y - perX.y * d.x) / det)
    }
}

/// An RGB drawing surface and the map from the scene to it.
struct Canvas {
    var raster: Raster<UInt8>
    var singleImage: Int?
    var pixelScale = 1.0 // single image: canvas pixels per source pixel
    var plane: ScenePlane?
    var planeOrigin = PlanePoint(x: 0, y: 0) // plane point at the canvas's top-left corner
    var metresPerCanvasPixel = 1.0
    var maps: [Int: PixelToPlane] = [:]

    init(width: Int, height: Int) { raster = Raster(width: width, height: height, bands: 3, fill: 0) }

    mutating func set(_ x: Int, _ y: Int, _ v: UInt8) { for b in 0..<3 { raster[x, y, b] = v } }

    func canvasPoint(_ p: PlanePoint) -> (Double, Double) {
        ((p.x - planeOrigin.x) / metresPerCanvasPixel, (planeOrigin.y - p.y) / metresPerCanvasPixel)
    }

    func point(image: Int, pixelX: Double, pixelY: Double) throws -> (Double, Double)? {
        if let singleImage { return image == singleImage ? (pixelX * pixelScale, pixelY * pixelScale) : nil }
        guard let map = maps[image] else { return nil }
        return canvasPoint(map.plane(pixelX, pixelY))
    }

    func points(_ lonLats: [LonLat]) throws -> [(Double, Double)] {
        guard let plane else { return [] }
        return try plane.points(lonLats).map(canvasPoint)
    }

    /// Canvas points of positions a convoy carries either way: longitude/latitude (georeferenced
    /// scenes) or source pixels of its first image `image` (drawn only when that image is the canvas).
    func points(_ lonLats: [LonLat]?, orPixels pixels: [PixelPoint]?, of image: Int?) throws -> [(Double, Double)] {
        if let lonLats { return try points(lonLats) }
        guard let pixels, let image, image == singleImage else { return [] }
        return try pixels.compactMap { try point(image: image, pixelX: $0.x, pixelY: $0.y) }
    }

    mutating func disc(_ c: (Double, Double), radius: Int, colour: [UInt8]) {
        let cx = Int(c.0), cy = Int(c.1)
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius {
                let px = cx + dx, py = cy + dy
                guard px >= 0, py >= 0, px < raster.width, py < raster.height else { continue }
                for b in 0..<3 { raster[px, py, b] = colour[b] }
            }
        }
    }

    mutating func line(_ a: (Double, Double), _ b: (Double, Double), colour: [UInt8]) {
        let steps = max(1, Int(max(abs(b.0 - a.0), abs(b.1 - a.1)).rounded(.up)))
        guard steps < 100_000 else { return }
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            disc((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t), radius: 1, colour: colour)
        }
    }
}
