/// Where a measurement is, for a progress line: 48 tiles of the 64 km case take half a minute,
/// most of it reading the tiles and then linking the candidates of all of them at once.
public enum MeasureProgress: Sendable, Equatable {
    /// About to read and search image `number` (1-based) of `count`, at `path`.
    case readingImage(number: Int, count: Int, path: String)
    /// Every image read: linking the scene's `candidates` into columns and testing them.
    case linking(candidates: Int)
}
