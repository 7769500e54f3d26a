// The georeferencing tags of a GeoTIFF as plain arrays, and what GDAL makes of them: the pixel →
// map geotransform (including GDAL's PixelIsPoint half-pixel shift) and the CRS from the GeoKeys.
// The image decoder reads the tags; this file needs no TIFF reader.

import ConvoyCore

/// What GDAL makes of an image's GeoTIFF tags (`ConvoyCore.GeoTIFFTags`, filled by the decoder).
extension GeoTIFFTags {
    /// True when any georeferencing tag (scale, tie points, transformation, GeoKeys) is present.
    public var hasGeoreferencing: Bool {
        pixelScale != nil || tiepoints != nil || transformation != nil || geoKeyDirectory != nil
    }

    /// The parsed GeoKeyDirectory, or nil when the tag is absent.
    /// - Throws: `GeoError.invalidGeoTIFF` when the directory is truncated or points outside its params.
    public func geoKeys() throws -> GeoKeyDirectory? {
        guard let geoKeyDirectory else { return nil }
        return try GeoKeyDirectory(directory: geoKeyDirectory, doubleParams: geoDoubleParams ?? [], asciiParams: geoAsciiParams ?? "")
    }

    /// True when GTRasterTypeGeoKey (1025) says RasterPixelIsPoint (2).
    public func isPixelIsPoint() throws -> Bool {
        try geoKeys()?.short(GeoKeyDirectory.Key.rasterType) == 2
    }

    /// The pixel-corner geotransform exactly as GDAL (3.x, default options) derives it, or nil
    /// when the tags hold no affine georeferencing.
    ///
    /// Rules (GDAL's GTiffDataset georeferencing loader):
    /// - ModelPixelScale (both scales non-zero) + a tiepoint (first six values): a = ScaleX,
    ///   e = −|ScaleY| (a negative ScaleY is treated as north-up, GDAL's default when
    ///   GTIFF_HONOUR_NEGATIVE_SCALEY is unset), x0 = X − I·a, y0 = Y − J·e, b = d = 0.
    /// - otherwise ModelTransformation (16 values): x0 = m[3], a = m[0], b = m[1], y0 = m[7],
    ///   d = m[4], e = m[5] (handles rotation).
    /// - RasterPixelIsPoint: the model coordinates name pixel centres, so GDAL (with its default
    ///   GTIFF_POINT_GEO_IGNORE=FALSE) moves the origin half a pixel back to the corner in both
    ///   cases: x0 −= (a + b)/2, y0 −= (d + e)/2.
    /// - Several tiepoints without a pixel scale are ground control points, not an affine
    ///   transform: an error, since the tool cannot warp.
    public func geoTransform() throws -> GeoTransform? {
        var transform: GeoTransform?
        if let scale = pixelScale, scale.count >= 2, scale[0] != 0, scale[1] != 0 {
            guard let tie = tiepoints, tie.count >= 6 else {
                throw GeoError.invalidGeoTIFF(reason: "ModelPixelScale without a ModelTiepoint")
            }
            let a = scale[0]
            let e = scale[1] < 0 ? scale[1] : -scale[1]
            transform = GeoTransform(x0: tie[3] - tie[0] * a, a: a, b: 0, y0: tie[4] - tie[1] * e, d: 0, e: e)
        } else if let matrix = transformation {
            guard matrix.count == 16 else {
                throw GeoError.invalidGeoTIFF(reason: "ModelTransformation has \(matrix.count) values, expected 16")
            }
            transform = GeoTransform(x0: matrix[3], a: matrix[0], b: matrix[1], y0: matrix[7], d: matrix[4], e: matrix[5])
        } else if let tie = tiepoints, tie.count >= 12 {
            throw GeoError.invalidGeoTIFF(reason: "georeferenced by \(tie.count / 6) ground control points, not an affine transform; "
                                          + "warp it first (gdalwarp) or use --gsd")
        }
        guard var result = transform else { return nil }
        guard result.coefficients.allSatisfy(\.isFinite) else {
            throw GeoError.invalidGeoTIFF(reason: "geotransform \(result.coefficients) is not finite")
        }
        if try isPixelIsPoint() {
            result = result.shiftingOrigin(byPixels: -0.5)
        }
        return result
    }

    /// The CRS stated by the GeoKeys, resolved through PROJ, or nil when there are no GeoKeys
    /// or they state no CRS (GTModelTypeGeoKey and both CRS keys absent).
    ///
    /// - ProjectedCSTypeGeoKey (3072) or GeographicTypeGeoKey (2048) with an EPSG code → that code.
    /// - User-defined (32767) projected CRSs are built from ProjCoordTransGeoKey (3075) and its
    ///   parameters for Transverse Mercator, Lambert Conformal Conic (1SP and 2SP), Mercator
    ///   and Polar Stereographic; ProjectionGeoKey (3074) with an EPSG conversion code also works.
    /// - User-defined geographic CRSs are built from GeographicType/ellipsoid keys.
    /// - Throws: `GeoError.unsupportedUserDefinedCRS` for anything else (the message asks for --crs).
    public func coordinateReferenceSystem() throws -> CoordinateReferenceSystem? {
        guard let keys = try geoKeys() else { return nil }
        return try GeoKeyCRS.resolve(keys)
    }
}
