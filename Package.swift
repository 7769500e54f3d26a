// swift-tools-version: 6.0
// convoy: measure vehicle convoys in satellite imagery.
//
// Layout (one concept per target):
//   CConvoyCodecs  the ONLY code that calls libpng, libjpeg-turbo and libtiff, and the only
//                  place with setjmp/longjmp (Swift cannot call setjmp). Swift sees status codes.
//   CProj          a module map over the system PROJ headers (proj.h, geodesic.h); PROJ reports
//                  errors by return codes, so it needs no C shim of its own.
//   ConvoyCore     pure Swift: rasters and the algorithms that run on them, no file I/O.
//   ConvoyImageIO  Swift face of the codecs: streaming decoders, whole-image decode, PNG writer.
//   ConvoyGeo      georeference, CRS transforms and WGS84 geodesics through PROJ; gazetteer.
//   ConvoyMeasure  the measurement: images → vehicle candidates → columns in one metric plane →
//                  lengths as WGS84 geodesics, head and tail, distance to a target.
//   ConvoyBatch    many images, each measured on its own in a child process: folder scan by
//                  content, shards, JSON Lines records appended whole, resume, merge.
//   ConvoyExport   GIS exports of measured convoys: GeoJSON (RFC 7946), KML, CSV; atomic files.
//   convoy         the command-line tool: parse arguments, call the libraries, format output.
//   Fuzz/*         libFuzzer harnesses, declared only when CONVOY_FUZZ=1 (see below).
import PackageDescription

let package = Package(
    name: "convoy",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "convoy", targets: ["convoy"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CConvoyCodecs",
            cSettings: [.unsafeFlags(["-Wall", "-Wextra", "-Wno-unused-parameter"])],
            linkerSettings: [.linkedLibrary("png16"), .linkedLibrary("jpeg"), .linkedLibrary("tiff")]
        ),
        .systemLibrary(
            name: "CProj",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev"])]
        ),
        .target(name: "ConvoyCore"),
        .target(name: "ConvoyImageIO", dependencies: ["CConvoyCodecs", "ConvoyCore"]),
        .target(
            name: "ConvoyGeo",
            dependencies: ["CProj", "ConvoyCore"],
            resources: [.copy("Resources")]
        ),
        .target(name: "ConvoyMeasure", dependencies: ["ConvoyCore", "ConvoyImageIO", "ConvoyGeo"]),
        .target(name: "ConvoyBatch", dependencies: ["ConvoyMeasure", "ConvoyGeo"]),
        .target(name: "ConvoyExport", dependencies: ["ConvoyMeasure", "ConvoyGeo"]),
        .executableTarget(
            name: "convoy",
            dependencies: [
                "ConvoyCore", "ConvoyImageIO", "ConvoyGeo", "ConvoyMeasure", "ConvoyBatch", "ConvoyExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ConvoyCoreTests", dependencies: ["ConvoyCore"]),
        .testTarget(
            name: "ConvoyImageIOTests",
            dependencies: ["ConvoyImageIO", "ConvoyCore"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "ConvoyGeoTests", dependencies: ["ConvoyGeo", "ConvoyCore"]),
        .testTarget(name: "ConvoyMeasureTests", dependencies: ["ConvoyMeasure", "ConvoyCore", "ConvoyGeo", "ConvoyImageIO"]),
        .testTarget(name: "ConvoyBatchTests", dependencies: ["ConvoyBatch", "ConvoyMeasure"]),
        .testTarget(name: "ConvoyExportTests", dependencies: ["ConvoyExport", "ConvoyMeasure"]),
        .testTarget(name: "ConvoyCLITests", dependencies: [], exclude: ["HostileFixtures"]),
    ]
)

// libFuzzer harnesses: one executable per input format, each a single file in Fuzz/<name>/ that
// defines LLVMFuzzerTestOneInput and no main (libFuzzer provides it). They are declared only when
// CONVOY_FUZZ=1, so a plain `swift build` or `swift test` never sees them; Scripts/fuzz.sh builds
// them with `CONVOY_FUZZ=1 swift build -c release --sanitize=fuzzer --sanitize=address ...` (the
// exact flags are there) and runs them.
// To add a harness: create Fuzz/FuzzX/FuzzX.swift (copy one of the text harnesses), add a line
// here, and give it seeds in Tests/FuzzSeeds/FuzzX/ (or a corpus rule in Scripts/fuzz.sh).
if Context.environment["CONVOY_FUZZ"] == "1" {
    let harnesses: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzPNG", ["ConvoyImageIO", "FuzzImageStreams"]),   // PNG decoding
        ("FuzzJPEG", ["ConvoyImageIO", "FuzzImageStreams"]),  // JPEG decoding
        ("FuzzTIFF", ["ConvoyImageIO", "ConvoyGeo", "FuzzImageStreams"]), // TIFF decoding and its GeoTIFF keys
        ("FuzzWorldFile", ["ConvoyGeo"]),                     // .jgw/.pgw/.tfw/.wld text
        ("FuzzPRJ", ["ConvoyGeo"]),                           // .prj WKT (and --crs) through PROJ
        ("FuzzAuxXML", ["ConvoyGeo"]),                        // GDAL PAM .aux.xml
        ("FuzzPlaceOrCoordinate", ["ConvoyGeo"]),             // --target / distance arguments
        ("FuzzJSONLines", ["ConvoyBatch"]),                   // the JSON Lines reader behind resume and merge
    ]
    // the image harnesses' shared luminance and colourfulness pass (a library, not a harness)
    package.targets.append(.target(name: "FuzzImageStreams", dependencies: ["ConvoyImageIO"], path: "Fuzz/FuzzImageStreams"))
    for harness in harnesses {
        package.targets.append(.executableTarget(
            name: harness.name, dependencies: harness.dependencies, path: "Fuzz/\(harness.name)"))
    }
}
