// Small comparison helpers shared by the ConvoyGeo tests.
@testable import ConvoyCore
import ConvoyGeo

/// |actual − expected| ≤ tolerance · max(1, |expected|): relative for large values, absolute near 0.
func isClose(_ actual: Double, _ expected: Double, relative tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// Difference of two angles in degrees, wrapped to [0, 180].
func angleDifference(_ a: Double, _ b: Double) -> Double {
    let d = abs((a - b).truncatingRemainder(dividingBy: 360))
    return min(d, 360 - d)
}

extension GeoTIFFReference {
    var tags: GeoTIFFTags {
        GeoTIFFTags(pixelScale: pixelScale, tiepoints: tiepoints, transformation: transformation,
                    geoKeyDirectory: geoKeyDirectory, geoDoubleParams: geoDoubleParams, geoAsciiParams: geoAsciiParams)
    }
}

extension GeodesicInverseReference: CustomStringConvertible { var description: String { name } }
extension GeodesicDirectReference: CustomStringConvertible { var description: String { name } }
extension GeodesicPathReference: CustomStringConvertible { var description: String { name } }
extension GeoTIFFReference: CustomStringConvertible { var description: String { name } }
extension WorldFileImageReference: CustomStringConvertible { var description: String { name } }
extension GroundSampleDistanceReference: CustomStringConvertible { var description: String { name } }
