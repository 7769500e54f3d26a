import ConvoyGeo

/// The image arguments of `measure` and `info` without the georeference sidecars of images among
/// them: a shell glob (`convoy measure tiles/*`) passes each tile's world file and .prj too, and
/// they are read beside their images, not as images (a note on stderr says how many).
func imagesWithoutTheirSidecars(_ arguments: [String]) -> [String] {
    let (images, sidecars) = GeoreferenceSidecars.separate(arguments)
    if !sidecars.isEmpty { reportNote("\(sidecars.count) georeference sidecar(s) given with their images, read as such, not as images") }
    return images
}
