import ConvoyMeasure
import Foundation

/// The `detections` of `convoy measure --detections`, produced one at a time from the
/// measurement rather than held as a list: a mosaic gives hundreds of thousands (the 64 km case
/// 619,365, 167 MB of JSON), and encoding them as one value held the report about five times
/// over (1.23 GB peak against 479 MB without them). `MeasurementReport.writeJSON` writes them in
/// pieces; encoded whole (`Encodable`) they are the same array.
struct DetectionList: Encodable {
    private let measurement: SceneMeasurement

    init(_ measurement: SceneMeasurement) { self.measurement = measurement }

    /// How many detections there are, and how many of them are vehicles counted on a path.
    var count: Int { measurement.images.reduce(0) { $0 + $1.candidates.count } + onPathCount }
    var onPathCount: Int { measurement.convoys.reduce(0) { $0 + $1.vehiclesOnPath.count } }

    /// Calls `body` with every detection in order: each image's candidates, then each reported
    /// convoy's vehicles counted on its path.
    func forEach(_ body: (MeasurementReport.Detection) throws -> Void) rethrows {
        let m = measurement
        for image in m.images {
            for c in image.candidates {
                try body(MeasurementReport.Detection(
                    image: image.path, x: c.pixelX, y: c.pixelY, length_m: c.lengthMetres, width_m: c.widthMetres,
                    angle_deg: c.pixelAngle.map { $0 * 180 / .pi }, kind: c.kind.rawValue,
                    polarity: c.polarity == .dark ? "dark" : "bright"))
            }
        }
        for convoy in m.convoys {
            for v in convoy.vehiclesOnPath {
                try body(MeasurementReport.Detection(
                    image: m.images[v.image].path, x: v.pixelX, y: v.pixelY, length_m: v.lengthMetres,
                    width_m: v.widthMetres, angle_deg: nil, kind: "vehicle_on_path",
                    polarity: v.isLight ? "bright" : "dark", vehicles: v.vehicles))
            }
        }
    }

    func encode(to encoder: Encoder) throws {
        var array = encoder.unkeyedContainer()
        try forEach { try array.encode($0) }
    }
}

extension MeasurementReport {
    /// Writes the report to standard output exactly as `encodeJSON` renders it, with the
    /// detections encoded `piece` at a time and written as they are encoded, so that memory
    /// holds one piece of them, not all.
    func writeJSON(piece: Int = 4096) throws {
        guard let detections, detections.count > 0 else {
            print(try encodeJSON(self))
            return
        }
        var rest = self
        rest.detections = nil
        let text = try encodeJSON(rest)
        // keys are sorted: "detections" comes right before "images", a key of the outermost object
        guard let images = text.range(of: "\n  \"images\" : ") else {
            print(try encodeJSON(self))
            return
        }
        fflush(nil) // anything printed before goes first: the pieces bypass stdio's buffers
        let out = FileHandle.standardOutput
        out.write(Data((text[..<images.lowerBound] + "\n  \"detections\" : [\n").utf8))
        var batch: [Detection] = []
        batch.reserveCapacity(piece)
        var first = true
        func flush() throws {
            guard !batch.isEmpty else { return }
            // a piece encoded as an array: "[\n  {…},\n  {…}\n]"; its items, one level deeper
            let encoded = Array(try encodeJSON(batch).utf8)
            var bytes: [UInt8] = first ? [] : Array(",\n".utf8)
            bytes.reserveCapacity(encoded.count + encoded.count / 8)
            bytes += [32, 32] // the first item's indent
            for b in encoded.dropFirst(2).dropLast(2) { // "[\n" and "\n]"
                bytes.append(b)
                if b == 10 { bytes += [32, 32] }
            }
            out.write(Data(bytes))
            first = false
            batch.removeAll(keepingCapacity: true)
        }
        try detections.forEach { d in
            batch.append(d)
            if batch.count == piece { try flush() }
        }
        try flush()
        out.write(Data(("\n  ]," + text[images.lowerBound...] + "\n").utf8))
    }
}
