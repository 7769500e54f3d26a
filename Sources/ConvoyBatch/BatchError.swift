/// Why a batch or merge cannot run at all, naming the file or value at fault. (Images that
/// cannot be measured are not errors of the batch: they become error records.)
public enum BatchError: Error, CustomStringConvertible, Sendable {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case outputIsInput(path: String, input: String)
    case outputInUse(path: String)
    case invalidShard(text: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): return "\(path): cannot read: \(reason)"
        case let .cannotWrite(path, reason): return "\(path): cannot write: \(reason)"
        case let .outputIsInput(path, input): return "\(path): the output would overwrite the input \(input); choose another output path"
        case let .outputInUse(path): return "\(path): another convoy batch is appending to it"
        case let .invalidShard(text): return "--shard \(text): expected K/N with 1 <= K <= N, such as 2/8"
        }
    }
}
