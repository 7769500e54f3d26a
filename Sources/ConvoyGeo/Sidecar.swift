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
        guard let byLowercase = DirectoryListing.shared.entries(of: directory.path) else { return nil }
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

/// The entries of each folder looked in, by lower-cased name, kept while the folder is unchanged.
///
/// Why: every image's sidecars are looked for by listing its folder, three times per image
/// (world file, .prj, .aux.xml) when it is read and again when `measure`/`info` set sidecars
/// apart from images (`GeoreferenceSidecars`). For a folder of 3,000 tiles that listed 3,000
/// entries about 18,000 times: `convoy info --header-only` took 49 s before the sidecar check and
/// 103 s with it. A listing is kept with the folder's modification time and taken again when
/// that changes (a file added or removed), so a file written during a run is still found; a
/// folder changed in the last two seconds is listed every time.
final class DirectoryListing: @unchecked Sendable {
    static let shared = DirectoryListing()
    private let lock = NSLock()
    private var cache: [String: (modified: timespec, entries: [String: [String]])] = [:]

    /// `directory`'s entries grouped by their lower-cased name, each group sorted; nil when the
    /// folder cannot be listed.
    func entries(of directory: String) -> [String: [String]]? {
        var info = stat()
        guard stat(directory, &info) == 0 else { return nil }
        let modified = info.st_mtim
        lock.lock()
        if let kept = cache[directory], kept.modified.tv_sec == modified.tv_sec, kept.modified.tv_nsec == modified.tv_nsec {
            lock.unlock()
            return kept.entries
        }
        lock.unlock()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        let entries = Dictionary(grouping: names.sorted(), by: { $0.lowercased() })
        // a folder changed in the last two seconds may change again within its clock's tick
        // (coarse on some file systems) without a new time: such a listing is not kept
        guard Date().timeIntervalSince1970 - Double(modified.tv_sec) > 2 else { return entries }
        lock.lock()
        cache[directory] = (modified, entries)
        lock.unlock()
        return entries
    }
}
