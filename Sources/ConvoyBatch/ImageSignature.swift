/// What a file is by its first bytes, not its name: PNG, JPEG, TIFF or BigTIFF.
public enum ImageSignature: String, Sendable {
    case png, jpeg, tiff, bigTIFF = "bigtiff"

    /// Bytes needed to recognise every kind.
    public static let prefixLength = 8

    /// The kind of image `prefix` starts, or nil.
    public init?(prefix: [UInt8]) {
        let b = prefix
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) {
            self = .png
        } else if b.starts(with: [0xFF, 0xD8, 0xFF]) {
            self = .jpeg
        } else if b.starts(with: [0x49, 0x49, 0x2A, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) {
            self = .tiff
        } else if b.starts(with: [0x49, 0x49, 0x2B, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2B]) {
            self = .bigTIFF
        } else {
            return nil
        }
    }

    /// Extensions that claim an image: such a file is measured (and fails with an error record)
    /// even when its content is not one. Lower case, without the dot.
    public static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "jpe", "jfif", "tif", "tiff", "gtiff"]
}
