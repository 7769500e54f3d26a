/// A file a batch will measure, found in a folder or named on the command line.
public struct InputFile: Sendable, Equatable {
    /// The path records name it by: the folder as given joined with the path inside it.
    public var path: String
    /// The path inside the folder given on the command line (the file's name for a file argument).
    public var relativePath: String
    public var size: Int64
    /// Modification time, seconds since 1970 with the file system's precision.
    public var mtime: Double
    /// What its first bytes are, or nil when they are not an image: then `problem` says why.
    public var signature: ImageSignature?
    public var problem: String?

    public init(path: String, relativePath: String, size: Int64, mtime: Double, signature: ImageSignature?, problem: String?) {
        self.path = path
        self.relativePath = relativePath
        self.size = size
        self.mtime = mtime
        self.signature = signature
        self.problem = problem
    }
}
