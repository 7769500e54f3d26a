import ConvoyCore
import Foundation

/// The synthetic patterns of Scripts/make-image-fixtures.py, computed again here so that
/// lossless fixtures are checked sample for sample. Keep the two in step.
enum FixturePattern {
    static let width = 40
    static let height = 28

    static func rgb8(_ x: Int, _ y: Int) -> [Int] { [40 + x * 4, 30 + y * 6, (128 + (x - y) * 2) & 0xFF] }

    static func samples(_ name: String) -> [Int] {
        var out: [Int] = []
        for y in 0..<height {
            for x in 0..<width {
                switch name {
                case "rgb8": out += rgb8(x, y)
                case "gray8": out.append((x * 5 + y * 3) % 256)
                case "rgba8": out += rgb8(x, y) + [(x * 9 + y) % 256]
                case "gray16": out.append(x * 1500 + y * 13)
                case "rgba16": out += rgb8(x, y).map { $0 * 257 + y } + [x * 1600 + 5]
                case "multiband8": out += rgb8(x, y) + [(x * 3 + y * 7) % 256]
                case "grayalpha8": out += [(x * 5 + y * 3) % 256, (x * 9 + y) % 256]
                default: fatalError("unknown pattern \(name)")
                }
            }
        }
        return out
    }
}

/// Where the test data lives.
enum TestData {
    /// Tests/ConvoyImageIOTests/Fixtures, as copied into the test bundle.
    static func fixture(_ name: String) -> String {
        Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!.path
    }

    /// The repository root, found from this source file's path.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// ../shared/data beside the repository (override with CONVOY_SHARED_DATA).
    static let sharedData: URL = {
        if let path = ProcessInfo.processInfo.environment["CONVOY_SHARED_DATA"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("convoy-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

extension AnyRaster {
    /// All samples widened to Int, for comparisons.
    var intSamples: [Int] {
        switch self {
        case .uint8(let r): r.samples.map(Int.init)
        case .uint16(let r): r.samples.map(Int.init)
        }
    }
}
