import ArgumentParser
import Foundation

/// How a command prints its results.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Deterministic JSON: keys sorted, two-space indentation, slashes unescaped.
func encodeJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
