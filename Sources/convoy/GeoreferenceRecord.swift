import ConvoyGeo

/// The `"georeference"` object of `convoy info --format json`.
struct GeoreferenceRecord: Encodable {
    let source: String
    /// "EPSG:NNNN" where one exists, else WKT.
    let crs: String
    /// GDAL's order and pixel-corner convention: [x0, a, b, y0, d, e].
    let geotransform: [Double]
    /// Ground metres per pixel at the image centre, along a row and along a column.
    let gsdM: [Double]
    /// Top-left, top-right, bottom-right and bottom-left corners as [lon, lat].
    let corners: [[Double]]

    enum CodingKeys: String, CodingKey {
        case source, crs, geotransform, gsdM = "gsd_m", corners
    }

    init(_ g: Georeference, width: Int, height: Int) throws {
        source = g.source.description
        crs = g.crs.epsgCode.map { "EPSG:\($0)" } ?? g.crs.wkt
        geotransform = g.geoTransform.coefficients
        let gsd = try g.groundSampleDistance(width: width, height: height)
        gsdM = [gsd.x, gsd.y]
        corners = try g.corners(width: width, height: height).map { [$0.lon, $0.lat] }
    }
}
