import ConvoyCore

/// An image decoded whole, with its header.
public struct DecodedImage: Sendable, Equatable {
    public let header: ImageHeader
    public let raster: AnyRaster
}

/// Whole-image decoding on top of `ImageReader`, for images that fit in memory.
public enum ImageDecoding {
    /// Decodes the file at `path` whole. Refuses (`.tooLarge`) an image whose decoded size
    /// exceeds `limits.maxWholeImageBytes`; stream larger ones with `ImageReader`.
    public static func decode(path: String, limits: DecodeLimits = .standard) throws(ImageError) -> DecodedImage {
        let reader = try ImageReader(path: path, limits: limits)
        let h = reader.header
        let (bytes, overflow) = h.pixelCount.multipliedReportingOverflow(by: h.bands * h.sampleBytes)
        guard !overflow, bytes <= limits.maxWholeImageBytes else {
            throw ImageError(
                path: path, kind: .tooLarge,
                reason: "decoding \(h.width)x\(h.height)x\(h.bands) whole needs \(bytes) bytes; the limit is \(limits.maxWholeImageBytes)")
        }
        guard let band = try reader.nextBand(maxRows: h.height) else {
            throw ImageError(path: path, kind: .corrupt, reason: "no rows decoded")
        }
        return DecodedImage(header: h, raster: band.raster)
    }
}
