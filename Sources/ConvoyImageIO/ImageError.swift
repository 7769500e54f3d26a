/// Why an image could not be read or written. Its description names the file and the reason,
/// as users see it: `tiles/a.jpg: JPEG: premature end of data (truncated file)`.
public struct ImageError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable {
        /// The file could not be opened or read.
        case unreadable
        /// The first bytes are not those of a PNG, JPEG or TIFF file.
        case notAnImage = "not_an_image"
        /// The codec found invalid data.
        case corrupt
        /// The data ends before the image does.
        case truncated
        /// A valid file in a variant convoy does not decode (float TIFF, 12-bit JPEG, ...).
        case unsupported
        /// The image exceeds a `DecodeLimits` value.
        case tooLarge = "too_large"
        case outOfMemory = "out_of_memory"
        /// The caller broke the reader's contract.
        case misuse
        /// An output file could not be written.
        case writeFailed = "write_failed"
    }

    public let path: String
    public let kind: Kind
    public let reason: String

    public init(path: String, kind: Kind, reason: String) {
        self.path = path
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
