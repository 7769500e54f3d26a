/// A value handed to `DispatchQueue.concurrentPerform`'s workers that the compiler cannot prove
/// safe to share: a closure that only reads immutable data, or a buffer whose workers each write
/// their own element. Wrapped where it is used, with the reason beside it.
struct SharedWithWorkers<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
