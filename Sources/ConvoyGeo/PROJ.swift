// The only file that talks to PROJ (libproj: proj.h, proj_experimental.h, geodesic.h). Everything
// else in ConvoyGeo works with the plain Swift values produced here, so PROJ's C conventions
// (opaque pointers, contexts, errno, C strings owned by PROJ) stay inside this file.
//
// Concurrency choice: a PJ_CONTEXT, and every PJ object created in it, must not be used from two
// threads at once. Instead of one global context behind a lock (which would serialise all PROJ
// work in the process), every object that keeps PROJ state owns its own context:
//   * `CoordinateReferenceSystem` keeps no PROJ state at all. It is parsed in a short-lived
//     context and stored as WKT plus the facts the tool needs, so it is a plain Sendable value.
//   * `PROJTransformer` (behind `CoordinateTransform`) owns one context and one PJ operation for
//     its whole life and serialises calls with an NSLock, so one transform can safely be shared
//     between tasks, while different transforms run in parallel.
// Network access (PROJ CDN grids) is disabled in every context: the tool works offline and gives
// the same answer on every machine.
import CProj
import Foundation

// MARK: - Context

/// One PROJ context plus a lock that serialises all use of it and of PJ objects created in it.
final class PROJContext: @unchecked Sendable {  // @unchecked: all access to `raw` goes through `lock`
    private let raw: OpaquePointer
    private let lock = NSLock()
    /// The most recent error-level message PROJ logged in this context (cleared per call).
    fileprivate var lastLogMessage: String?

    init() throws {
        PROJContext.silenceDefaultContext
        guard let context = proj_context_create() else {
            throw GeoError.invalidCRS(definition: "(none)", reason: "PROJ could not create a context (out of memory?)")
        }
        raw = context
        proj_context_set_enable_network(context, 0)
        // PROJ's own logging is silenced: errors are captured here and reported as Swift errors
        // instead of being printed to stderr. PJ_LOG_ERROR (not PJ_LOG_NONE) is kept so that the
        // capture function receives the detailed message ("crs not found: EPSG:99999"), which is
        // far clearer than the errno text; nothing is ever printed.
        proj_log_level(context, PJ_LOG_ERROR)
        proj_log_func(context, Unmanaged.passUnretained(self).toOpaque()) { appData, level, message in
            guard let appData, let message, level <= Int32(PJ_LOG_ERROR.rawValue) else { return }
            let owner = Unmanaged<PROJContext>.fromOpaque(appData).takeUnretainedValue()
            owner.lastLogMessage = String(cString: message)
        }
    }

    deinit {
        proj_context_destroy(raw)
    }

    /// The default context is shared process-wide and would print to stderr; silence it once.
    private static let silenceDefaultContext: Void = {
        proj_log_level(nil, PJ_LOG_NONE)
    }()

    /// Runs `body` with exclusive use of the context.
    func withContext<T>(_ body: (OpaquePointer) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        lastLogMessage = nil
        return try body(raw)
    }

    /// The reason for the last failure in this context, from PROJ's log or errno. Call inside `withContext`.
    func failureReason(_ ctx: OpaquePointer, fallback: String = "PROJ error") -> String {
        if let message = lastLogMessage, !message.isEmpty { return message }
        let code = proj_context_errno(ctx)
        if code != 0, let text = proj_context_errno_string(ctx, code) { return String(cString: text) }
        return fallback
    }
}

/// Owns one PJ object and destroys it with PROJ; keeps its context alive.
private final class PJHandle {
    let raw: OpaquePointer
    let context: PROJContext

    init(_ raw: OpaquePointer, context: PROJContext) {
        self.raw = raw
        self.context = context
    }

    deinit { proj_destroy(raw) }
}

// MARK: - CRS description

/// What the tool needs to know about a CRS, extracted from PROJ once.
struct CRSDescription: Sendable, Equatable {
    enum Kind: Sendable, Equatable { case geographic, projected, other(String) }
    var name: String
    /// WKT2:2019, which round-trips through PROJ including the authority identifier.
    var wkt: String
    var authority: String?
    var code: String?
    var kind: Kind
    var unitName: String
    /// Conversion factor of the first axis unit to SI (metres for linear, radians for angular).
    var unitToSI: Double
}

enum PROJ {
    /// Parses a CRS definition PROJ understands: "EPSG:NNNN" (any AUTH:CODE), WKT1/WKT2/ESRI WKT,
    /// PROJJSON or a PROJ string (`+proj=... ` gets `+type=crs` appended when missing).
    static func describeCRS(definition: String) throws -> CRSDescription {
        let trimmed = definition.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw GeoError.invalidCRS(definition: definition, reason: "empty definition") }
        var text = trimmed
        if text.hasPrefix("+") && !text.contains("+type=crs") { text += " +type=crs" }
        let context = try PROJContext()
        return try context.withContext { ctx in
            guard let pj = proj_create(ctx, text) else {
                throw GeoError.invalidCRS(definition: trimmed, reason: context.failureReason(ctx, fallback: "PROJ does not recognise it"))
            }
            let handle = PJHandle(pj, context: context)
            guard proj_is_crs(pj) != 0 else {
                throw GeoError.invalidCRS(definition: trimmed, reason: "it names a \(typeName(proj_get_type(pj))), not a coordinate reference system")
            }
            return try describe(handle, ctx: ctx, definition: trimmed)
        }
    }

    private static func describe(_ crs: PJHandle, ctx: OpaquePointer, definition: String) throws -> CRSDescription {
        let pj = crs.raw
        // A BoundCRS (WKT1 with TOWGS84) or CompoundCRS (with heights) is described by its horizontal part.
        var horizontal = crs
        switch proj_get_type(pj) {
        case PJ_TYPE_BOUND_CRS:
            if let source = proj_get_source_crs(ctx, pj) { horizontal = PJHandle(source, context: crs.context) }
        case PJ_TYPE_COMPOUND_CRS:
            if let first = proj_crs_get_sub_crs(ctx, pj, 0) { horizontal = PJHandle(first, context: crs.context) }
        default:
            break
        }
        let kind: CRSDescription.Kind
        let type = proj_get_type(horizontal.raw)
        switch type {
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS, PJ_TYPE_GEOGRAPHIC_CRS: kind = .geographic
        case PJ_TYPE_PROJECTED_CRS: kind = .projected
        default: kind = .other(typeName(type))
        }

        var authority = proj_get_id_auth_name(pj, 0).map { String(cString: $0) }
        var code = proj_get_id_code(pj, 0).map { String(cString: $0) }
        if code == nil, let found = identify(horizontal, ctx: ctx) {
            (authority, code) = found
        }

        var unitName = "unknown"
        var unitToSI = 1.0
        if let cs = proj_crs_get_coordinate_system(ctx, horizontal.raw) {
            let csHandle = PJHandle(cs, context: crs.context)
            var name: UnsafePointer<CChar>?
            var factor = 0.0
            if proj_cs_get_axis_info(ctx, csHandle.raw, 0, nil, nil, nil, &factor, &name, nil, nil) != 0 {
                unitName = name.map { String(cString: $0) } ?? unitName
                unitToSI = factor
            }
        }

        guard let wktPointer = proj_as_wkt(ctx, pj, PJ_WKT2_2019, nil) else {
            throw GeoError.invalidCRS(definition: definition, reason: "PROJ cannot express it as WKT: " + crs.context.failureReason(ctx))
        }
        let name = proj_get_name(pj).map { String(cString: $0) } ?? "unnamed CRS"
        return CRSDescription(name: name, wkt: String(cString: wktPointer), authority: authority, code: code,
                              kind: kind, unitName: unitName, unitToSI: unitToSI)
    }

    /// An EPSG identifier PROJ is certain of (confidence 100), for WKT that carries no AUTHORITY.
    private static func identify(_ crs: PJHandle, ctx: OpaquePointer) -> (String, String)? {
        var confidences: UnsafeMutablePointer<Int32>?
        guard let list = proj_identify(ctx, crs.raw, "EPSG", nil, &confidences) else { return nil }
        defer {
            proj_list_destroy(list)
            proj_int_list_destroy(confidences)
        }
        guard let confidences else { return nil }
        for index in 0..<proj_list_get_count(list) where confidences[Int(index)] == 100 {
            guard let candidate = proj_list_get(ctx, list, index) else { continue }
            let handle = PJHandle(candidate, context: crs.context)
            if let auth = proj_get_id_auth_name(handle.raw, 0), let code = proj_get_id_code(handle.raw, 0) {
                return (String(cString: auth), String(cString: code))
            }
        }
        return nil
    }

    private static func typeName(_ type: PJ_TYPE) -> String {
        switch type {
        case PJ_TYPE_ELLIPSOID: return "ellipsoid"
        case PJ_TYPE_PRIME_MERIDIAN: return "prime meridian"
        case PJ_TYPE_GEODETIC_REFERENCE_FRAME, PJ_TYPE_DYNAMIC_GEODETIC_REFERENCE_FRAME, PJ_TYPE_DATUM_ENSEMBLE: return "datum"
        case PJ_TYPE_VERTICAL_REFERENCE_FRAME, PJ_TYPE_DYNAMIC_VERTICAL_REFERENCE_FRAME: return "vertical datum"
        case PJ_TYPE_GEOCENTRIC_CRS: return "geocentric CRS"
        case PJ_TYPE_VERTICAL_CRS: return "vertical CRS"
        case PJ_TYPE_TEMPORAL_CRS: return "temporal CRS"
        case PJ_TYPE_ENGINEERING_CRS: return "engineering CRS"
        case PJ_TYPE_CONVERSION, PJ_TYPE_TRANSFORMATION, PJ_TYPE_CONCATENATED_OPERATION, PJ_TYPE_OTHER_COORDINATE_OPERATION:
            return "coordinate operation"
        default: return "non-CRS object"
        }
    }

    // MARK: CRS construction from parameters (user-defined GeoTIFF keys)

    /// The geographic base of a constructed projected CRS.
    enum GeodeticBase: Sendable, Equatable {
        /// An existing geographic CRS, e.g. `.code("EPSG", 4326)`.
        case code(String, Int)
        /// A custom ellipsoid; `inverseFlattening` 0 means a sphere. Prime meridian in degrees east of Greenwich.
        case ellipsoid(name: String, semiMajorMetres: Double, inverseFlattening: Double, primeMeridianDegrees: Double)
    }

    /// Projection methods the tool can build from GeoTIFF parameters. Angles in degrees,
    /// false easting/northing in the CRS's linear unit.
    enum ProjectionMethod: Sendable, Equatable {
        case transverseMercator(lat0: Double, lon0: Double, scale: Double, falseEasting: Double, falseNorthing: Double)
        case lambertConic1SP(lat0: Double, lon0: Double, scale: Double, falseEasting: Double, falseNorthing: Double)
        case lambertConic2SP(latOrigin: Double, lonOrigin: Double, lat1: Double, lat2: Double, falseEasting: Double, falseNorthing: Double)
        case mercatorA(lat0: Double, lon0: Double, scale: Double, falseEasting: Double, falseNorthing: Double)
        case mercatorB(latTrueScale: Double, lon0: Double, falseEasting: Double, falseNorthing: Double)
        case polarStereographicA(lat0: Double, lon0: Double, scale: Double, falseEasting: Double, falseNorthing: Double)
        case polarStereographicB(latTrueScale: Double, lon0: Double, falseEasting: Double, falseNorthing: Double)
    }

    private static let degreeToRadian = Double.pi / 180

    /// Builds a geographic CRS on a custom ellipsoid (degrees, lon/lat order) and describes it.
    static func describeGeographic(_ base: GeodeticBase) throws -> CRSDescription {
        let context = try PROJContext()
        return try context.withContext { ctx in
            let crs = try geodeticCRS(base, ctx: ctx, context: context)
            return try describe(crs, ctx: ctx, definition: "user-defined geographic CRS")
        }
    }

    /// Builds a projected CRS from a base, an EPSG conversion (e.g. 16036 = UTM zone 36N) and a
    /// linear unit, and describes it.
    static func describeProjected(name: String, base: GeodeticBase, conversionCode: Int,
                                  linearUnitName: String, metresPerUnit: Double) throws -> CRSDescription {
        try describeProjected(name: name, base: base, linearUnitName: linearUnitName, metresPerUnit: metresPerUnit) { ctx in
            proj_create_from_database(ctx, "EPSG", String(conversionCode), PJ_CATEGORY_COORDINATE_OPERATION, 0, nil)
        }
    }

    /// Builds a projected CRS from a base, a method and a linear unit, and describes it.
    static func describeProjected(name: String, base: GeodeticBase, method: ProjectionMethod,
                                  linearUnitName: String, metresPerUnit: Double) throws -> CRSDescription {
        try describeProjected(name: name, base: base, linearUnitName: linearUnitName, metresPerUnit: metresPerUnit) { ctx in
            let angular = ("degree", degreeToRadian)
            let linear = (linearUnitName, metresPerUnit)
            let conversion: OpaquePointer?
            switch method {
            case let .transverseMercator(lat0, lon0, k, fe, fn):
                conversion = proj_create_conversion_transverse_mercator(ctx, lat0, lon0, k, fe, fn, angular.0, angular.1, linear.0, linear.1)
            case let .lambertConic1SP(lat0, lon0, k, fe, fn):
                conversion = proj_create_conversion_lambert_conic_conformal_1sp(ctx, lat0, lon0, k, fe, fn, angular.0, angular.1, linear.0, linear.1)
            case let .lambertConic2SP(latO, lonO, lat1, lat2, fe, fn):
                conversion = proj_create_conversion_lambert_conic_conformal_2sp(ctx, latO, lonO, lat1, lat2, fe, fn, angular.0, angular.1, linear.0, linear.1)
            case let .mercatorA(lat0, lon0, k, fe, fn):
                conversion = proj_create_conversion_mercator_variant_a(ctx, lat0, lon0, k, fe, fn, angular.0, angular.1, linear.0, linear.1)
            case let .mercatorB(lat1, lon0, fe, fn):
                conversion = proj_create_conversion_mercator_variant_b(ctx, lat1, lon0, fe, fn, angular.0, angular.1, linear.0, linear.1)
            case let .polarStereographicA(lat0, lon0, k, fe, fn):
                conversion = proj_create_conversion_polar_stereographic_variant_a(ctx, lat0, lon0, k, fe, fn, angular.0, angular.1, linear.0, linear.1)
            case let .polarStereographicB(latTS, lon0, fe, fn):
                conversion = proj_create_conversion_polar_stereographic_variant_b(ctx, latTS, lon0, fe, fn, angular.0, angular.1, linear.0, linear.1)
            }
            return conversion
        }
    }

    private static func describeProjected(name: String, base: GeodeticBase, linearUnitName: String, metresPerUnit: Double,
                                          makeConversion: (OpaquePointer) -> OpaquePointer?) throws -> CRSDescription {
        let context = try PROJContext()
        return try context.withContext { ctx in
            let geodetic = try geodeticCRS(base, ctx: ctx, context: context)
            guard let conversion = makeConversion(ctx) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "PROJ rejected the projection parameters: " + context.failureReason(ctx))
            }
            let conversionHandle = PJHandle(conversion, context: context)
            guard let cs = proj_create_cartesian_2D_cs(ctx, PJ_CART2D_EASTING_NORTHING, linearUnitName, metresPerUnit) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "PROJ rejected the linear unit: " + context.failureReason(ctx))
            }
            let csHandle = PJHandle(cs, context: context)
            guard let projected = proj_create_projected_crs(ctx, name, geodetic.raw, conversionHandle.raw, csHandle.raw) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: context.failureReason(ctx))
            }
            return try describe(PJHandle(projected, context: context), ctx: ctx, definition: name)
        }
    }

    private static func geodeticCRS(_ base: GeodeticBase, ctx: OpaquePointer, context: PROJContext) throws -> PJHandle {
        switch base {
        case let .code(authority, code):
            guard let crs = proj_create_from_database(ctx, authority, String(code), PJ_CATEGORY_CRS, 0, nil) else {
                throw GeoError.invalidCRS(definition: "\(authority):\(code)", reason: context.failureReason(ctx))
            }
            return PJHandle(crs, context: context)
        case let .ellipsoid(name, a, rf, pm):
            guard let cs = proj_create_ellipsoidal_2D_cs(ctx, PJ_ELLPS2D_LONGITUDE_LATITUDE, "degree", degreeToRadian) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: context.failureReason(ctx))
            }
            let csHandle = PJHandle(cs, context: context)
            guard let crs = proj_create_geographic_crs(ctx, name, "Unknown based on \(name) ellipsoid", name, a, rf,
                                                       "Reference meridian", pm, "degree", degreeToRadian, csHandle.raw) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "PROJ rejected the ellipsoid: " + context.failureReason(ctx))
            }
            return PJHandle(crs, context: context)
        }
    }

    /// Semi-major axis (metres) and inverse flattening (0 for a sphere) of an EPSG ellipsoid code.
    static func ellipsoidParameters(authority: String, code: Int) throws -> (semiMajor: Double, inverseFlattening: Double, name: String) {
        let context = try PROJContext()
        return try context.withContext { ctx in
            guard let ellipsoid = proj_create_from_database(ctx, authority, String(code), PJ_CATEGORY_ELLIPSOID, 0, nil) else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "unknown ellipsoid \(authority):\(code)")
            }
            let handle = PJHandle(ellipsoid, context: context)
            var a = 0.0, b = 0.0, rf = 0.0
            var computed: Int32 = 0
            guard proj_ellipsoid_get_parameters(ctx, handle.raw, &a, &b, &computed, &rf) != 0 else {
                throw GeoError.unsupportedUserDefinedCRS(reason: "cannot read ellipsoid \(authority):\(code)")
            }
            let name = proj_get_name(handle.raw).map { String(cString: $0) } ?? "\(authority):\(code)"
            return (a, a == b ? 0 : rf, name)
        }
    }
}

// MARK: - Transformation

/// A PROJ coordinate operation from a source CRS to WGS84 (EPSG:4326), normalised for
/// visualisation so that x is always easting/longitude and y northing/latitude on both sides.
final class PROJTransformer: @unchecked Sendable {  // @unchecked: the PJ is only used inside context.withContext
    private let context: PROJContext
    private let operation: PJHandle
    let sourceLabel: String
    let targetLabel: String

    init(sourceWKT: String, sourceLabel: String, target: String) throws {
        let context = try PROJContext()
        self.context = context
        self.sourceLabel = sourceLabel
        self.targetLabel = target
        operation = try context.withContext { ctx in
            guard let raw = proj_create_crs_to_crs(ctx, sourceWKT, target, nil) else {
                throw GeoError.transformFailed(from: sourceLabel, to: target, reason: context.failureReason(ctx))
            }
            let created = PJHandle(raw, context: context)
            guard let normalised = proj_normalize_for_visualization(ctx, created.raw) else {
                throw GeoError.transformFailed(from: sourceLabel, to: target, reason: context.failureReason(ctx))
            }
            return PJHandle(normalised, context: context)
        }
    }

    /// Transforms points in place, forward (source → target) or inverse. Returns, per point,
    /// nil on success or PROJ's reason for failure (the point is then left as infinity).
    func transform(xs: inout [Double], ys: inout [Double], inverse: Bool) -> [String?] {
        precondition(xs.count == ys.count, "internal: coordinate arrays of different lengths")
        let direction = inverse ? PJ_INV : PJ_FWD
        return context.withContext { ctx in
            var failures = [String?](repeating: nil, count: xs.count)
            let stride = MemoryLayout<Double>.stride
            xs.withUnsafeMutableBufferPointer { xBuffer in
                ys.withUnsafeMutableBufferPointer { yBuffer in
                    _ = proj_trans_generic(operation.raw, direction,
                                           xBuffer.baseAddress, stride, xBuffer.count,
                                           yBuffer.baseAddress, stride, yBuffer.count,
                                           nil, 0, 0, nil, 0, 0)
                }
            }
            // proj_trans_generic marks failed points with HUGE_VAL; the reason is the last message PROJ logged.
            for index in xs.indices where !(xs[index].isFinite && ys[index].isFinite) {
                failures[index] = context.failureReason(ctx, fallback: "outside the domain of the projection")
                proj_errno_reset(operation.raw)
            }
            return failures
        }
    }
}

// MARK: - Geodesic

/// Karney's geodesic solver from PROJ's geodesic.h for one ellipsoid. The C struct is read-only
/// after `geod_init`, so the solver is a value that is safe to share between threads.
struct GeodesicSolver: Sendable {
    private var geod = geod_geodesic()

    init(equatorialRadius: Double, flattening: Double) {
        geod_init(&geod, equatorialRadius, flattening)
    }

    /// Inverse problem. Degrees and metres; azimuths in (-180, 180].
    func inverse(lat1: Double, lon1: Double, lat2: Double, lon2: Double) -> (distance: Double, azimuth1: Double, azimuth2: Double) {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: geod) { g in
            geod_inverse(g, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2)
        }
        return (s12, azi1, azi2)
    }

    /// Direct problem. Degrees and metres; returns latitude, longitude and forward azimuth at the end.
    func direct(lat1: Double, lon1: Double, azimuth1: Double, distance: Double) -> (lat: Double, lon: Double, azimuth2: Double) {
        var lat2 = 0.0, lon2 = 0.0, azi2 = 0.0
        withUnsafePointer(to: geod) { g in
            geod_direct(g, lat1, lon1, azimuth1, distance, &lat2, &lon2, &azi2)
        }
        return (lat2, lon2, azi2)
    }
}
