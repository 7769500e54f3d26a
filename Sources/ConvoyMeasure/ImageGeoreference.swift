import ConvoyGeo
import ConvoyImageIO

extension Georeference {
    /// The georeference of an opened image: its GeoTIFF tags, else its world file or `.aux.xml`
    /// sidecars; nil when it has none. `crsOverride` (`--crs`) replaces any CRS in the files.
    public static func of(_ reader: ImageReader, crsOverride: CoordinateReferenceSystem?) throws -> Georeference? {
        let tags = reader.geoTIFFTags.map {
            GeoTIFFTags(pixelScale: $0.pixelScale, tiepoints: $0.tiepoints, transformation: $0.transformation,
                        geoKeyDirectory: $0.geoKeyDirectory, geoDoubleParams: $0.geoDoubleParams,
                        geoAsciiParams: $0.geoAsciiParams)
        }
        return try locate(imagePath: reader.path, geoTIFFTags: tags, crsOverride: crsOverride)
    }
}

