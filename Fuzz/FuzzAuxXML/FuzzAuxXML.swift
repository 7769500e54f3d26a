// libFuzzer harness: GDAL PAM .aux.xml files. Feeds each input as the text of an .aux.xml to
// CRSSidecar.parseAuxXML (convoy's minimal XML reader: tags, comments, CDATA, entities and
// character references, the <SRS> and <GeoTransform> of the PAMDataset root). The SRS text is
// not passed to PROJ here (FuzzPRJ covers that). A GeoError is a correct outcome; a crash, a
// trap (bad index, invalid scalar) or a hang is a finding.
// Build and run: Scripts/fuzz.sh FuzzAuxXML
import ConvoyGeo

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let aux = try? CRSSidecar.parseAuxXML(text, fileName: "fuzz.aux.xml") else { return 0 }
    if let srs = aux.srs { precondition(!srs.isEmpty, "an empty <SRS> reported as present") }
    return 0
}
