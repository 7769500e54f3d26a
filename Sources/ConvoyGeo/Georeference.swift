// A georeferenced image: where each pixel is on the Earth, and hence how long things in it are.
// Lengths are always measured as geodesics on WGS84, never in map units, because map units lie:
// a Web Mercator "metre" at Kyiv (50.45°N) is only ~0.637 m on the ground.
import ConvoyCore
import Foundation

/// Where an image's georeferencing came from, for messages and JSON output.
public enum GeoreferenceSource: Sendable, Hashable, CustomStringConvertible {
    /// GeoTIFF tags (transform and CRS).
    case geoTIFF
    /// GeoTIFF transform with the CRS given by `--crs`.
    case geoTIFFWithCRSOption
    /// A world file (file name) with the CRS from a sidecar (.prj or .aux.xml, file name).
    case worldFile(worldFile: String, crsFile: String)
    /// A world file with the CRS given by `--crs`.
    case worldFileWithCRSOption(worldFile: String)
    /// A GDAL `.aux.xml` holding both GeoTransform and SRS.
    case auxXML(file: String)
    /// A GDAL `.aux.xml` GeoTransform with the CRS given by `--crs`.
    case auxXMLWithCRSOption(file: String)
    /// No georeferencing, a ground sample distance from `--gsd`.
    case gsdOption

    /// "geotiff", "world file IMAGE.pgw + IMAGE.prj", "world file IMAGE.pgw + --crs", "--gsd", ...
    public var description: String {
        switch self {
        case .geoTIFF: return "geotiff"
        case .geoTIFFWithCRSOption: return "geotiff + --crs"
        case let .worldFile(worldFile, crsFile): return "world file \(worldFile) + \(crsFile)"
        case let .worldFileWithCRSOption(worldFile): return "world file \(worldFile) + --crs"
        case let .auxXML(file): return "aux.xml \(file)"
        case let .auxXMLWithCRSOption(file): return "aux.xml \(file) + --crs"
        case .gsdOption: return "--gsd"
        }
    }
}

/// An image's pixel → map affine transform, its CRS and where both came from.
public struct Georeference: Sendable {
    public let geoTransform: GeoTransform
    public let crs: CoordinateReferenceSystem
    public let source: GeoreferenceSource
    private let toWGS84: CoordinateTransform
    private let geodesic = Geodesic.wgs84

    /// - Throws: `GeoError.singularGeoTransform` for a non-invertible transform,
    ///   `GeoError.transformFailed` when PROJ cannot relate `crs` to WGS 84.
    public init(geoTransform: GeoTransform, crs: CoordinateReferenceSystem, source: GeoreferenceSource) throws {
        _ = try geoTransform.inverted()
        self.geoTransform = geoTransform
        self.crs = crs
        self.source = source
        toWGS84 = try CoordinateTransform(from: crs)
    }

    // MARK: Pixels and positions

    /// WGS 84 longitude/latitude of a pixel position (pixel-corner convention, see `PixelPoint`).
    public func lonLat(of pixel: PixelPoint) throws -> LonLat {
        try toWGS84.lonLat(geoTransform.mapPoint(pixel))
    }

    /// Batch form of `lonLat(of:)`.
    public func lonLats(of pixels: [PixelPoint]) throws -> [LonLat] {
        try toWGS84.lonLat(pixels.map(geoTransform.mapPoint))
    }

    /// The pixel position (fractional, pixel-corner convention) of a WGS 84 position; it may lie
    /// outside the image.
    public func pixel(of position: LonLat) throws -> PixelPoint {
        try geoTransform.pixelPoint(toWGS84.mapPoint(position))
    }

    /// The four corners of a `width` × `height` raster as longitude/latitude, in the order
    /// top-left, top-right, bottom-right, bottom-left (outer pixel corners, not centres).
    public func corners(width: Int, height: Int) throws -> [LonLat] {
        let w = Double(width), h = Double(height)
        return try lonLats(of: [PixelPoint(x: 0, y: 0), PixelPoint(x: w, y: 0), PixelPoint(x: w, y: h), PixelPoint(x: 0, y: h)])
    }

    /// Ground sample distance at the image centre in metres per pixel, measured on WGS 84:
    /// `x` is the geodesic length of one pixel step along a row (from half a pixel left of the
    /// centre to half a pixel right of it), `y` one step along a column.
    ///
    /// This is the true ground size, not the map-unit size: for a Web Mercator image with 1 m
    /// pixels at 50.45°N it is ~0.637 m.
    public func groundSampleDistance(width: Int, height: Int) throws -> (x: Double, y: Double) {
        let cx = Double(width) / 2, cy = Double(height) / 2
        let p = try lonLats(of: [PixelPoint(x: cx - 0.5, y: cy), PixelPoint(x: cx + 0.5, y: cy),
                                 PixelPoint(x: cx, y: cy - 0.5), PixelPoint(x: cx, y: cy + 0.5)])
        return (geodesic.inverse(from: p[0], to: p[1]).distance, geodesic.inverse(from: p[2], to: p[3]).distance)
    }

    /// Length in metres of a polyline drawn in pixel coordinates: its vertices are placed on
    /// WGS 84 and joined by geodesics. (Within one image a straight pixel segment and the geodesic
    /// between its ends differ by far less than a pixel.)
    public func length(ofPixelPath path: [PixelPoint]) throws -> Double {
        guard path.count >= 2 else { return 0 }
        return geodesic.length(of: try lonLats(of: path))
    }

    // MARK: Finding an image's georeference

    /// Georeference from GeoTIFF tags, or nil when the tags hold no transform.
    ///
    /// - Parameters:
    ///   - tags: the image's GeoTIFF tags.
    ///   - imageName: the image's name for messages.
    ///   - crsOverride: the `--crs` value, which wins over the GeoKeys.
    /// - Throws: `GeoError.missingCRS` for a transform without GeoKeys CRS and no override, and the
    ///   errors of `GeoTIFFTags.geoTransform()` / `coordinateReferenceSystem()`.
    public static func fromGeoTIFF(tags: GeoTIFFTags, imageName: String,
                                   crsOverride: CoordinateReferenceSystem?) throws -> Georeference? {
        guard let transform = try tags.geoTransform() else { return nil }
        if let crsOverride {
            return try Georeference(geoTransform: transform, crs: crsOverride, source: .geoTIFFWithCRSOption)
        }
        guard let crs = try tags.coordinateReferenceSystem() else {
            throw GeoError.missingCRS(image: imageName, transformSource: "GeoTIFF tags")
        }
        return try Georeference(geoTransform: transform, crs: crs, source: .geoTIFF)
    }

    /// Georeference from files next to the image, or nil when there are none:
    /// a world file (IMAGE.pgw, IMAGE.pngw, IMAGE.wld, ... in any letter case) or a GDAL
    /// `IMAGE.ext.aux.xml` with a `<GeoTransform>`; the CRS from `--crs`, else the `.aux.xml`
    /// `<SRS>`, else `IMAGE.prj`.
    ///
    /// - Throws: `GeoError.missingCRS` (naming `--crs`) when there is a transform but no CRS
    ///   anywhere: the tool never guesses one. Also sidecar read/parse errors.
    public static func fromSidecars(imagePath: String, crsOverride: CoordinateReferenceSystem?) throws -> Georeference? {
        let imageName = URL(fileURLWithPath: imagePath).lastPathComponent
        let worldPath = WorldFile.find(forImage: imagePath)
        let auxPath = CRSSidecar.findAuxXML(forImage: imagePath)
        let aux = try auxPath.map { try CRSSidecar.loadAuxXML(path: $0) }

        let transform: GeoTransform
        let transformFile: String
        let isWorldFile: Bool
        if let worldPath {
            // GDAL's PAM GeoTransform would win over the world file; in practice GDAL writes the
            // same numbers to both, and the world file is what users edit, so it is preferred.
            transform = try WorldFile.load(path: worldPath).geoTransform
            transformFile = URL(fileURLWithPath: worldPath).lastPathComponent
            isWorldFile = true
        } else if let auxTransform = aux?.geoTransform, let auxPath {
            transform = auxTransform
            transformFile = URL(fileURLWithPath: auxPath).lastPathComponent
            isWorldFile = false
        } else {
            return nil
        }

        if let crsOverride {
            let source: GeoreferenceSource = isWorldFile ? .worldFileWithCRSOption(worldFile: transformFile)
                                                         : .auxXMLWithCRSOption(file: transformFile)
            return try Georeference(geoTransform: transform, crs: crsOverride, source: source)
        }
        guard let (crs, crsPath) = try CRSSidecar.loadCRS(forImage: imagePath) else {
            throw GeoError.missingCRS(image: imageName, transformSource: isWorldFile ? "world file \(transformFile)" : transformFile)
        }
        let crsFile = URL(fileURLWithPath: crsPath).lastPathComponent
        let source: GeoreferenceSource = isWorldFile ? .worldFile(worldFile: transformFile, crsFile: crsFile)
                                                     : .auxXML(file: transformFile)
        return try Georeference(geoTransform: transform, crs: crs, source: source)
    }

    /// The image's georeference by GDAL's precedence, internal before external: GeoTIFF tags
    /// (when given and holding a transform), else sidecar files. Nil when the image is not
    /// georeferenced at all (the caller may then require `--gsd`).
    public static func locate(imagePath: String, geoTIFFTags: GeoTIFFTags?,
                              crsOverride: CoordinateReferenceSystem?) throws -> Georeference? {
        if let tags = geoTIFFTags, tags.hasGeoreferencing,
           let found = try fromGeoTIFF(tags: tags, imageName: URL(fileURLWithPath: imagePath).lastPathComponent, crsOverride: crsOverride) {
            return found
        }
        return try fromSidecars(imagePath: imagePath, crsOverride: crsOverride)
    }
}
