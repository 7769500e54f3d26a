// libFuzzer harness: .prj files and --crs definitions. Feeds each input as the text of a .prj
// (ESRI or OGC WKT, WKT2, PROJJSON or a PROJ string: whatever the file holds) to
// CoordinateReferenceSystem(definition:), which hands it to PROJ and describes the result (kind,
// unit, authority code, WKT), as `convoy info` does for the .prj beside an image. A GeoError is
// a correct outcome; a crash, a sanitizer report in PROJ or in convoy's use of it, or a hang is
// a finding.
// Build and run: Scripts/fuzz.sh FuzzPRJ
import ConvoyGeo

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let crs = try? CoordinateReferenceSystem(definition: text) else { return 0 }
    precondition(!crs.wkt.isEmpty, "a parsed CRS without WKT")
    if let metres = crs.metresPerUnit { _ = metres.isFinite }
    return 0
}
