import Foundation

/// The exit codes convoy documents (README, `convoy --help`).
enum ExitStatus {
    /// One or more inputs could not be read or processed; each is named on stderr.
    static let inputFailed: Int32 = 1
    /// `batch` ran to the end, but one or more images could not be measured (error records).
    static let someImagesFailed: Int32 = 2
    /// Invalid command-line usage (swift-argument-parser's validation failure, EX_USAGE).
    static let usage: Int32 = 64
}

/// Prints `convoy: <file>: <reason>` on stderr (an error or its message).
func reportError(_ error: Any) {
    FileHandle.standardError.write(Data("convoy: \(error)\n".utf8))
}

/// Prints `convoy: note: <text>` on stderr: an assumption or choice the user should know about.
func reportNote(_ text: String) {
    FileHandle.standardError.write(Data("convoy: note: \(text)\n".utf8))
}
