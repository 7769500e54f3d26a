// Georeference: ground sample distance and lengths measured on the ellipsoid, not in map units.
import Testing
@testable import ConvoyCore
import ConvoyGeo

@Suite("Georeference and ground sample distance")
struct GeoreferenceTests {
    @Test("GSD of Web Mercator 1 m pixels matches closed-form Mercator + GeographicLib to 1e-9 m",
          arguments: groundSampleDistanceReferences)
    func webMercatorGSD(_ reference: GroundSampleDistanceReference) throws {
        let georeference = try Georeference(geoTransform: try GeoTransform(coefficients: reference.geoTransform),
                                            crs: try CoordinateReferenceSystem(epsg: 3857), source: .geoTIFF)
        let gsd = try georeference.groundSampleDistance(width: reference.width, height: reference.height)
        #expect(abs(gsd.x - reference.gsdX) < 1e-9 && abs(gsd.y - reference.gsdY) < 1e-9, "\(gsd) vs \(reference.gsdX), \(reference.gsdY)")
    }

    @Test("regression: Web Mercator map units used as metres: 1.57x too long at Kyiv")
    func webMercatorUnitsAreNotMetres() throws {
        let reference = try #require(groundSampleDistanceReferences.first { $0.name.contains("Kyiv") })
        let georeference = try Georeference(geoTransform: try GeoTransform(coefficients: reference.geoTransform),
                                            crs: try CoordinateReferenceSystem(epsg: 3857), source: .geoTIFF)
        // A 1000-pixel east-west convoy line: 1000 map "metres", but ~638 m on the ground.
        let length = try georeference.length(ofPixelPath: [PixelPoint(x: 0, y: 40), PixelPoint(x: 1000, y: 40)])
        #expect(abs(length - 638.0) < 1.0, "length \(length)")
        #expect(abs(1000 / length - 1.567) < 0.01)
        let gsd = try georeference.groundSampleDistance(width: reference.width, height: reference.height)
        #expect(abs(gsd.x - 0.637) < 0.002)
    }

    @Test("pixel ↔ lon/lat round trip, and the corner pixel is the GeoTIFF tiepoint")
    func roundTrip() throws {
        let reference = try #require(geoTIFFReferences.first { $0.file == "utm36n.tif" })
        let georeference = try #require(try Georeference.fromGeoTIFF(tags: reference.tags, imageName: reference.file, crsOverride: nil))
        let pixel = PixelPoint(x: 12.25, y: 33.5)
        let back = try georeference.pixel(of: try georeference.lonLat(of: pixel))
        #expect(abs(back.x - pixel.x) < 1e-6 && abs(back.y - pixel.y) < 1e-6)
        let corner = try georeference.lonLat(of: PixelPoint(x: 0, y: 0))
        #expect(abs(corner.lon - reference.cornersLonLat[0][0]) < 1e-9 && abs(corner.lat - reference.cornersLonLat[0][1]) < 1e-9)
    }

    @Test("UTM 0.5 m pixels measure ~0.5 m (scale factor and grid convergence are small)")
    func utmGSD() throws {
        let reference = try #require(geoTIFFReferences.first { $0.file == "utm36n.tif" })
        let georeference = try #require(try Georeference.fromGeoTIFF(tags: reference.tags, imageName: reference.file, crsOverride: nil))
        let gsd = try georeference.groundSampleDistance(width: reference.width, height: reference.height)
        #expect(abs(gsd.x - 0.5) < 0.001 && abs(gsd.y - 0.5) < 0.001)
        // A pixel polyline: 3-4-5 triangle legs in pixels.
        let length = try georeference.length(ofPixelPath: [PixelPoint(x: 0, y: 0), PixelPoint(x: 30, y: 0), PixelPoint(x: 30, y: 40)])
        #expect(abs(length - 35) < 0.05)
    }

    @Test("rotated geotransform: pixel steps along rows and columns both measure the pixel size")
    func rotatedGSD() throws {
        let reference = try #require(geoTIFFReferences.first { $0.file == "rotated.tif" })
        let georeference = try #require(try Georeference.fromGeoTIFF(tags: reference.tags, imageName: reference.file, crsOverride: nil))
        let gsd = try georeference.groundSampleDistance(width: reference.width, height: reference.height)
        #expect(abs(gsd.x - 0.5) < 0.001 && abs(gsd.y - 0.5) < 0.001)
    }

    @Test("GeoTIFF with a transform but no CRS keys asks for --crs; --crs overrides the keys")
    func geoTIFFWithoutCRS() throws {
        let bare = GeoTIFFTags(pixelScale: [1, 1, 0], tiepoints: [0, 0, 0, 304000, 5606000, 0])
        #expect {
            _ = try Georeference.fromGeoTIFF(tags: bare, imageName: "scene.tif", crsOverride: nil)
        } throws: { error in "\(error)".contains("scene.tif") && "\(error)".contains("--crs") }
        let overridden = try #require(try Georeference.fromGeoTIFF(tags: bare, imageName: "scene.tif",
                                                                    crsOverride: try CoordinateReferenceSystem(epsg: 32636)))
        #expect(overridden.source.description == "geotiff + --crs")
    }

    @Test("a singular geotransform is rejected with the coefficients")
    func singular() throws {
        #expect {
            _ = try Georeference(geoTransform: GeoTransform(x0: 0, a: 0, b: 0, y0: 0, d: 0, e: -1),
                                 crs: try CoordinateReferenceSystem(epsg: 3857), source: .geoTIFF)
        } throws: { error in "\(error)".contains("cannot be inverted") }
    }

    @Test("GeoTransform inverse is exact for rotated transforms")
    func inverse() throws {
        let transform = GeoTransform(x0: 304000, a: 0.433012701892219, b: 0.25, y0: 5606000, d: 0.25, e: -0.433012701892219)
        let pixel = PixelPoint(x: 17.5, y: 3.25)
        let back = try transform.pixelPoint(transform.mapPoint(pixel))
        #expect(abs(back.x - pixel.x) < 1e-9 && abs(back.y - pixel.y) < 1e-9)
    }

    @Test("--gsd: finite and > 0; length is pixels × GSD; no positions",
          arguments: [("0.5", 0.5), (" 0.3m", 0.3), ("2", 2.0)])
    func gsdOption(_ text: String, _ value: Double) throws {
        let gsd = try GroundSampleDistance(parsing: text)
        #expect(gsd.metresPerPixel == value)
        let scale = ImageScale.groundSampleDistance(gsd)
        #expect(try scale.length(ofPixelPath: [PixelPoint(x: 0, y: 0), PixelPoint(x: 3, y: 4)]) == 5 * value)
        #expect(try scale.lonLat(of: PixelPoint(x: 0, y: 0)) == nil)
        #expect(scale.source.description == "--gsd")
    }

    @Test("--gsd rejects zero, negative, NaN, infinity and text", arguments: ["0", "-1", "nan", "inf", "abc", ""])
    func badGSD(_ text: String) {
        #expect {
            _ = try GroundSampleDistance(parsing: text)
        } throws: { error in "\(error)" == "invalid --gsd '\(text)': expected metres per pixel, a finite number greater than 0" }
    }
}
