// Turning GeoTIFF GeoKeys into a CRS: EPSG codes go straight to PROJ's database; user-defined
// (32767) CRSs are rebuilt from their parameters for the projections satellite imagery uses.

enum GeoKeyCRS {
    typealias Key = GeoKeyDirectory.Key

    static func resolve(_ keys: GeoKeyDirectory) throws -> CoordinateReferenceSystem? {
        let model = keys.short(Key.modelType)
        let projected = keys.short(Key.projectedCSType)
        let geographic = keys.short(Key.geographicType)

        if model == 3 {
            throw GeoError.unsupportedUserDefinedCRS(reason: "geocentric model type (GTModelTypeGeoKey = 3)")
        }
        if let code = projected, isEPSGCode(code), model != 2 {
            return try CoordinateReferenceSystem(epsg: Int(code))
        }
        if model == 1 || projected == Key.userDefined {
            return try userDefinedProjected(keys)
        }
        if let code = geographic, isEPSGCode(code) {
            return try CoordinateReferenceSystem(epsg: Int(code))
        }
        if model == 2 || geographic == Key.userDefined {
            return CoordinateReferenceSystem(try PROJ.describeGeographic(try geodeticBase(keys, forGeographicCRS: true)))
        }
        return nil
    }

    private static func isEPSGCode(_ code: UInt16) -> Bool { code >= 1 && code < Key.userDefined }

    /// The geographic CRS under a user-defined CRS: an EPSG geographic code, an EPSG datum code
    /// (by EPSG's convention datum 6xxx belongs to geographic CRS 4xxx), an EPSG ellipsoid or
    /// explicit ellipsoid parameters.
    private static func geodeticBase(_ keys: GeoKeyDirectory, forGeographicCRS: Bool) throws -> PROJ.GeodeticBase {
        if let units = keys.short(Key.geogAngularUnits), units != 9102, units != Key.userDefined {
            throw GeoError.unsupportedUserDefinedCRS(reason: "angular unit EPSG:\(units) (only degrees, 9102)")
        }
        if !forGeographicCRS, let code = keys.short(Key.geographicType), isEPSGCode(code) {
            return .code("EPSG", Int(code))
        }
        let primeMeridian = keys.double(Key.primeMeridianLongitude) ?? 0
        if let pm = keys.short(Key.primeMeridian), isEPSGCode(pm), pm != 8901 {
            throw GeoError.unsupportedUserDefinedCRS(reason: "prime meridian EPSG:\(pm)")
        }
        if let datum = keys.short(Key.geodeticDatum), isEPSGCode(datum), (6000..<7000).contains(datum), primeMeridian == 0 {
            return .code("EPSG", Int(datum) - 2000)
        }
        if let ellipsoid = keys.short(Key.ellipsoid), isEPSGCode(ellipsoid) {
            let parameters = try PROJ.ellipsoidParameters(authority: "EPSG", code: Int(ellipsoid))
            return .ellipsoid(name: parameters.name, semiMajorMetres: parameters.semiMajor,
                              inverseFlattening: parameters.inverseFlattening, primeMeridianDegrees: primeMeridian)
        }
        if let a = keys.double(Key.semiMajorAxis), a > 0 {
            var rf = keys.double(Key.inverseFlattening) ?? 0
            if keys.double(Key.inverseFlattening) == nil, let b = keys.double(Key.semiMinorAxis), b > 0, b != a {
                rf = a / (a - b)
            }
            return .ellipsoid(name: "User-defined ellipsoid", semiMajorMetres: a, inverseFlattening: rf, primeMeridianDegrees: primeMeridian)
        }
        throw GeoError.unsupportedUserDefinedCRS(reason: "no geographic CRS, datum or ellipsoid in the GeoKeys")
    }

    private static func userDefinedProjected(_ keys: GeoKeyDirectory) throws -> CoordinateReferenceSystem {
        let base = try geodeticBase(keys, forGeographicCRS: false)
        let (unitName, metresPerUnit) = try linearUnit(keys)
        let name = keys.ascii(Key.citation) ?? "User-defined projected CRS"
        if let conversion = keys.short(Key.projection), isEPSGCode(conversion) {
            return CoordinateReferenceSystem(try PROJ.describeProjected(
                name: name, base: base, conversionCode: Int(conversion), linearUnitName: unitName, metresPerUnit: metresPerUnit))
        }
        guard let method = keys.short(Key.projCoordTrans) else {
            throw GeoError.unsupportedUserDefinedCRS(reason: "user-defined projected CRS without ProjCoordTransGeoKey")
        }
        let d = { (key: UInt16) in keys.double(key) }
        let fe = d(Key.falseEasting) ?? 0, fn = d(Key.falseNorthing) ?? 0
        let lat0 = d(Key.natOriginLat) ?? d(Key.falseOriginLat) ?? d(Key.centerLat) ?? 0
        let lon0 = d(Key.natOriginLong) ?? d(Key.falseOriginLong) ?? d(Key.centerLong) ?? 0
        let k = d(Key.scaleAtNatOrigin) ?? d(Key.scaleAtCenter) ?? 1
        let projection: PROJ.ProjectionMethod
        switch method {
        case 1:  // CT_TransverseMercator
            projection = .transverseMercator(lat0: lat0, lon0: lon0, scale: k, falseEasting: fe, falseNorthing: fn)
        case 7:  // CT_Mercator: a standard parallel means variant B, else variant A with a scale factor
            if let lat1 = d(Key.stdParallel1), d(Key.scaleAtNatOrigin) == nil {
                projection = .mercatorB(latTrueScale: lat1, lon0: lon0, falseEasting: fe, falseNorthing: fn)
            } else {
                projection = .mercatorA(lat0: lat0, lon0: lon0, scale: k, falseEasting: fe, falseNorthing: fn)
            }
        case 8:  // CT_LambertConfConic_2SP
            guard let lat1 = d(Key.stdParallel1) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "Lambert Conformal Conic 2SP without ProjStdParallel1GeoKey")
            }
            let lat2 = d(Key.stdParallel2) ?? lat1
            projection = .lambertConic2SP(latOrigin: d(Key.falseOriginLat) ?? lat0, lonOrigin: d(Key.falseOriginLong) ?? lon0,
                                          lat1: lat1, lat2: lat2,
                                          falseEasting: d(Key.falseOriginEasting) ?? fe, falseNorthing: d(Key.falseOriginNorthing) ?? fn)
        case 9:  // CT_LambertConfConic_1SP (named CT_LambertConfConic_Helmert in GeoTIFF 1.0)
            projection = .lambertConic1SP(lat0: lat0, lon0: lon0, scale: k, falseEasting: fe, falseNorthing: fn)
        case 15: // CT_PolarStereographic: latitude ±90 means variant A (scale at the pole), else variant B
            let poleLon = d(Key.straightVertPoleLong) ?? lon0
            let lat = d(Key.natOriginLat) ?? 90
            if abs(lat) == 90 {
                projection = .polarStereographicA(lat0: lat, lon0: poleLon, scale: k, falseEasting: fe, falseNorthing: fn)
            } else {
                projection = .polarStereographicB(latTrueScale: lat, lon0: poleLon, falseEasting: fe, falseNorthing: fn)
            }
        default:
            throw GeoError.unsupportedUserDefinedCRS(reason: "projection method \(methodName(method)) (ProjCoordTransGeoKey = \(method))")
        }
        return CoordinateReferenceSystem(try PROJ.describeProjected(
            name: name, base: base, method: projection, linearUnitName: unitName, metresPerUnit: metresPerUnit))
    }

    private static func linearUnit(_ keys: GeoKeyDirectory) throws -> (String, Double) {
        switch keys.short(Key.projLinearUnits) {
        case nil, 9001: return ("metre", 1)
        case 9002: return ("foot", 0.3048)
        case 9003: return ("US survey foot", 1200.0 / 3937.0)
        case 9036: return ("kilometre", 1000)
        case Key.userDefined?:
            guard let size = keys.double(Key.projLinearUnitSize), size > 0, size.isFinite else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "user-defined linear unit without ProjLinearUnitSizeGeoKey")
            }
            return ("user-defined unit", size)
        case let code?:
            throw GeoError.unsupportedUserDefinedCRS(reason: "linear unit EPSG:\(code)")
        }
    }

    private static func methodName(_ code: UInt16) -> String {
        let names: [UInt16: String] = [
            2: "Transverse Mercator (Alaska)", 3: "Oblique Mercator", 4: "Oblique Mercator (Laborde)",
            5: "Oblique Mercator (Rosenmund)", 6: "Oblique Mercator (spherical)", 10: "Lambert Azimuthal Equal Area",
            11: "Albers Equal Area", 12: "Azimuthal Equidistant", 13: "Equidistant Conic", 14: "Stereographic",
            16: "Oblique Stereographic", 17: "Equirectangular", 18: "Cassini-Soldner", 19: "Gnomonic",
            20: "Miller Cylindrical", 21: "Orthographic", 22: "Polyconic", 23: "Robinson", 24: "Sinusoidal",
            25: "Van der Grinten", 26: "New Zealand Map Grid", 27: "Transverse Mercator (South Oriented)",
        ]
        return names[code] ?? "code \(code)"
    }
}
