import ConvoyGeo
import ConvoyImageIO

extension Georeference {
    /// The georeference of an opened image: its GeoTIFF tags, else its world file or `.aux.xml`
    /// sidecars; nil when it has none. `crsOverride` (`--crs`) replaces any CRS in the files.
    public static func of(_ reader: ImageReader, crsOverride: CoordinateReferenceSystem?) throws -> Georeference? {
        try locate(imagePath: reader.path, geoTIFFTags: reader.geoTIFFTags, crsOverride: crsOverride)
    }
}

