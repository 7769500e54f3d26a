import Dispatch

extension Array {
    /// `map`, with the elements spread over the cores (`DispatchQueue.concurrentPerform`), the
    /// results in the elements' order. `transform` is called from several threads at once, so it
    /// must only read what it shares (the image, the nodes) — the compiler cannot check that for
    /// the closures the detector passes, which capture non-`Sendable` values.
    func mapOnAllCores<Result>(_ transform: (Element) -> Result) -> [Result] {
        var results = [Result?](repeating: nil, count: count)
        withoutActuallyEscaping(transform) { transform in
            results.withUnsafeMutableBufferPointer { out in
                // each worker writes its own element of `out`; `transform` only reads
                let slots = SharedWithWorkers(out), work = SharedWithWorkers(transform), items = SharedWithWorkers(self)
                DispatchQueue.concurrentPerform(iterations: count) { k in slots.value[k] = work.value(items.value[k]) }
            }
        }
        return results.map { $0! }
    }
}

/// A value handed to `DispatchQueue.concurrentPerform`'s workers that the compiler cannot prove
/// safe to share: a closure that only reads immutable data, or a buffer whose workers each write
/// their own element.
private struct SharedWithWorkers<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
