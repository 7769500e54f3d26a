import ConvoyCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes 8-bit RGB or RGBA rasters as PNG, for overlays.
public enum PNGWriter {
    /// Writes `raster` (3 or 4 bands) to `path` atomically: a temporary file beside it is
    /// renamed over `path` only once complete, so a reader never sees half a file.
    public static func write(_ raster: Raster<UInt8>, to path: String) throws(ImageError) {
        guard raster.bands == 3 || raster.bands == 4 else {
            throw ImageError(path: path, kind: .misuse, reason: "a PNG overlay needs 3 or 4 bands, not \(raster.bands)")
        }
        let temporary = temporaryPath(beside: path)
        do {
            try writePNG(path: temporary, width: raster.width, height: raster.height, channels: raster.bands,
                         pixels: raster.samples)
        } catch {
            unlink(temporary)
            throw ImageError(path: path, kind: .writeFailed, reason: error.reason)
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw ImageError(path: path, kind: .writeFailed, reason: "cannot replace the file: \(reason)")
        }
    }

    static func temporaryPath(beside path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return "\(directory).\(name).\(getpid()).tmp"
    }
}
