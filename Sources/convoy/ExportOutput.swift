import ConvoyExport
import Foundation

/// Notes on stderr for convoys an export could not place on a map.
func reportUnmapped(_ unmapped: [ExportedConvoy], format: String) {
    guard !unmapped.isEmpty else { return }
    let images = Set(unmapped.map(\.image)).sorted().prefix(3).joined(separator: ", ")
    reportNote("\(unmapped.count) convoy(s) without georeference (measured in pixels, in \(images)) left out of the "
               + "\(format): give the images' CRS or world file to map them; the CSV and JSON keep them")
}

/// Writes bytes to stdout as they are.
func writeStandardOutput(_ bytes: [UInt8]) throws {
    FileHandle.standardOutput.write(Data(bytes))
}
