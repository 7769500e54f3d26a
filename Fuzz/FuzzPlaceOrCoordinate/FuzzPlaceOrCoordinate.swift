// libFuzzer harness: the place argument of `--target` and `convoy distance` ("50.45,30.52",
// "Kyiv", "Paris,US", anything a user may type). Feeds each input as that text to
// PlaceOrCoordinate.parse with the built-in gazetteer (loaded once; it must be beside the binary
// as convoy_ConvoyGeo.resources, which `swift build` puts there), so both coordinate parsing and
// name folding, lookup and spelling suggestions see hostile text. A GeoError is a correct
// outcome; a crash, a trap or a hang is a finding, as is a coordinate outside the valid range.
// Build and run: Scripts/fuzz.sh FuzzPlaceOrCoordinate
import ConvoyGeo

let gazetteer: Gazetteer = {
    do { return try Gazetteer.builtIn() } catch { fatalError("FuzzPlaceOrCoordinate: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let location = try? PlaceOrCoordinate.parse(text, gazetteer: { gazetteer }) else { return 0 }
    let position = location.position
    precondition((-90...90).contains(position.lat) && (-180...180).contains(position.lon),
                 "a parsed location outside the valid range")
    _ = location.note
    return 0
}
