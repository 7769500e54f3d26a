import ArgumentParser
import ConvoyImageIO

/// Decoder limits, shared by every command that reads images.
struct LimitOptions: ParsableArguments {
    @Option(help: "Refuse images with more pixels than this (width x height).")
    var maxPixels: Int = DecodeLimits.standard.maxPixels

    var decodeLimits: DecodeLimits {
        var limits = DecodeLimits.standard
        limits.maxPixels = maxPixels
        return limits
    }

    func validate() throws {
        guard maxPixels > 0 else { throw ValidationError("--max-pixels must be positive") }
    }
}
