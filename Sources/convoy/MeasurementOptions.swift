import ArgumentParser
import ConvoyCore
import ConvoyGeo
import ConvoyMeasure

/// The options of a measurement, shared by `measure` and `batch`.
struct MeasurementOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Ground sample distance in metres per pixel, for images without georeference.", valueName: "metres"))
    var gsd: String?
    @OptionGroup var georeference: GeoreferenceOptions
    @OptionGroup var target: TargetOptions
    @Option(help: ArgumentHelp("Longest gap between vehicles within one column, metres.", valueName: "metres"))
    var maxGap: Double = DetectionParameters().maxGap
    @Option(help: ArgumentHelp("Shortest column reported, metres.", valueName: "metres"))
    var minLength: Double = DetectionParameters().minLength
    @Option(help: ArgumentHelp("Fewest vehicles in a column reported.", valueName: "n"))
    var minVehicles: Int = DetectionParameters().minVehicles
    @Option(help: ArgumentHelp("Lowest confidence reported, 0 to 1 (0 reports every column found).", valueName: "p"))
    var minConfidence: Double = DetectionParameters().minConfidence
    @OptionGroup var limits: LimitOptions

    func validate() throws {
        guard maxGap > 0, maxGap.isFinite else { throw ValidationError("--max-gap must be a positive number of metres") }
        guard minLength >= 0, minLength.isFinite else { throw ValidationError("--min-length must be zero or more metres") }
        guard minVehicles >= 1 else { throw ValidationError("--min-vehicles must be at least 1") }
        guard minConfidence >= 0, minConfidence <= 1 else { throw ValidationError("--min-confidence must be within 0 and 1") }
    }

    /// The options parsed and resolved (CRS, GSD, target place); throws naming a bad value.
    func resolved() throws -> MeasureOptions {
        var options = MeasureOptions()
        options.detection = DetectionParameters(maxGap: maxGap, minLength: minLength, minVehicles: minVehicles,
                                                minConfidence: minConfidence)
        options.groundSampleDistance = try gsd.map { try GroundSampleDistance(parsing: $0) }
        options.crsOverride = try georeference.crsOverride()
        options.target = try target.resolvedTarget()
        options.limits = limits.decodeLimits
        return options
    }

    /// The same options for a `measure` child, with the target already resolved to coordinates.
    func childArguments(target resolved: PlaceOrCoordinate?) -> [String] {
        var args = ["--max-gap", "\(maxGap)", "--min-length", "\(minLength)", "--min-vehicles", "\(minVehicles)",
                    "--min-confidence", "\(minConfidence)",
                    "--max-pixels", "\(limits.maxPixels)"]
        if let gsd { args += ["--gsd", gsd] }
        if let crs = georeference.crs { args += ["--crs", crs] }
        if let p = resolved?.position { args += ["--target", "\(p.lat),\(p.lon)"] }
        return args
    }
}
