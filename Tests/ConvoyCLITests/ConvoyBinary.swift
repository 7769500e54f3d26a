import Foundation

/// Runs the built `convoy` executable, as a user would, and captures what it prints.
enum ConvoyBinary {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
        /// The process was still running after the timeout and was killed.
        var timedOut = false
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The executable beside the test bundle (`swift build` puts all products in one folder).
    static let url: URL? = {
        if let path = ProcessInfo.processInfo.environment["CONVOY_BIN"] { return URL(fileURLWithPath: path) }
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("convoy")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return candidate
            }
            dir.deleteLastPathComponent()
        }
        return nil
    }()

    /// Runs convoy with `arguments`. With `timeout` (seconds, generous: a guard against a hang,
    /// not a speed test), a process still running then is killed and the result says so.
    static func run(_ arguments: [String], in directory: URL = repositoryRoot, binary: String? = nil,
                    timeout: Double? = nil, environment: [String: String]? = nil) throws -> Result {
        guard let url = binary.map({ URL(fileURLWithPath: $0) }) ?? url else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "convoy binary not built"])
        }
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let killed = TimeoutFlag()
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning {
                    killed.set()
                    process.terminate()
                }
            }
        }
        // read both pipes before waiting, so a large output cannot block the child
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self), timedOut: killed.isSet)
    }

    static func fixture(_ name: String) -> String { "Tests/ConvoyImageIOTests/Fixtures/\(name)" }

    static let sharedData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
}

/// Set once from the timeout's queue, read after the process ended.
private final class TimeoutFlag: @unchecked Sendable {  // @unchecked: guarded by `lock`
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
