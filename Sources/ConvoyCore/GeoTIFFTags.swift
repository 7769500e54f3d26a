/// The raw values of a TIFF file's GeoTIFF and GDAL tags (page 0), as stored; any may be absent.
/// The image decoder fills them; ConvoyGeo interprets them (geotransform, CRS), so neither needs
/// the other.
public struct GeoTIFFTags: Sendable, Equatable {
    /// ModelPixelScaleTag (33550): ScaleX, ScaleY, ScaleZ.
    public var pixelScale: [Double]?
    /// ModelTiepointTag (33922): groups of six (I, J, K, X, Y, Z).
    public var tiepoints: [Double]?
    /// ModelTransformationTag (34264): a 4 × 4 matrix, row by row.
    public var transformation: [Double]?
    /// GeoKeyDirectoryTag (34735).
    public var geoKeyDirectory: [UInt16]?
    /// GeoDoubleParamsTag (34736).
    public var geoDoubleParams: [Double]?
    /// GeoAsciiParamsTag (34737).
    public var geoAsciiParams: String?
    /// GDAL_METADATA (42112), XML.
    public var gdalMetadata: String?
    /// GDAL_NODATA (42113).
    public var gdalNoData: String?

    public init(
        pixelScale: [Double]? = nil, tiepoints: [Double]? = nil, transformation: [Double]? = nil,
        geoKeyDirectory: [UInt16]? = nil, geoDoubleParams: [Double]? = nil, geoAsciiParams: String? = nil,
        gdalMetadata: String? = nil, gdalNoData: String? = nil
    ) {
        self.pixelScale = pixelScale
        self.tiepoints = tiepoints
        self.transformation = transformation
        self.geoKeyDirectory = geoKeyDirectory
        self.geoDoubleParams = geoDoubleParams
        self.geoAsciiParams = geoAsciiParams
        self.gdalMetadata = gdalMetadata
        self.gdalNoData = gdalNoData
    }

    /// True when no tag at all is present.
    public var isEmpty: Bool {
        pixelScale == nil && tiepoints == nil && transformation == nil && geoKeyDirectory == nil
            && geoDoubleParams == nil && geoAsciiParams == nil && gdalMetadata == nil && gdalNoData == nil
    }
}
