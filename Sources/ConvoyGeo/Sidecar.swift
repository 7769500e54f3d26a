// Finding the files that sit next to an image and carry its georeferencing (world file, .prj,
// .aux.xml), matching names case-insensitively as users copy files between Windows and Linux.
import Foundation

/// Locates sidecar files of an image by name, ignoring letter case.
enum Sidecar {
    /// The first existing file in the image's directory whose name equals one of `names` ignoring
    /// case, trying `names` in order. An exact-case match wins over a case-insensitive one.
    /// Returns the full path, or nil.
    static func find(forImage imagePath: String, names: [String]) -> String? {
        let imageURL = URL(fileURLWithPath: imagePath)
        let directory = imageURL.deletingLastPathComponent()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return nil }
        let byLowercase = Dictionary(grouping: entries.sorted(), by: { $0.lowercased() })
        for name in names {
            guard let matches = byLowercase[name.lowercased()] else { continue }
            let chosen = matches.first(where: { $0 == name }) ?? matches[0]
            let path = directory.appendingPathComponent(chosen).path
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                return path
            }
        }
        return nil
    }

    /// The image's file name without its last extension ("scene.png" → "scene") and the extension ("png").
    static func split(imagePath: String) -> (base: String, ext: String) {
        let name = URL(fileURLWithPath: imagePath).lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[name.index(after: dot)...]))
    }

    /// Reads a small text file, as UTF-8 or, failing that, Latin-1.
    static func readText(_ path: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw GeoError.unreadableFile(path: path, reason: (error as NSError).localizedDescription)
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        if let text = String(data: data, encoding: .isoLatin1) { return text }
        throw GeoError.unreadableFile(path: path, reason: "not a text file")
    }
}
