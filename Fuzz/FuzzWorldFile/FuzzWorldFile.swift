// libFuzzer harness: ESRI world files (.jgw, .pgw, .tfw, .wld). Feeds each input as the text of a
// world file (UTF-8, invalid bytes replaced, as a text file is read) to WorldFile.parse, and a
// parsed one on to the pixel-corner GeoTransform and its inverse that georeferencing uses. A
// GeoError is a correct outcome; a crash, a trap (overflow, bad index) or a hang is a finding, as
// is a parsed world file with a non-finite or degenerate transform.
// Build and run: Scripts/fuzz.sh FuzzWorldFile
import ConvoyGeo

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let world = try? WorldFile.parse(text, fileName: "fuzz.jgw") else { return 0 }
    for value in [world.a, world.b, world.c, world.d, world.e, world.f] {
        precondition(value.isFinite, "a parsed world file holds a non-finite number")
    }
    precondition(world.a * world.e - world.b * world.d != 0, "a parsed world file is degenerate")
    _ = world.geoTransform
    return 0
}
