// The files beside an image that carry its georeference, as one list: what `--overlay` must not
// overwrite, and what a shell glob (`convoy measure tiles/*`) passes along with the images.
import Foundation

/// The georeference sidecars of images: world file, `.prj` and `.aux.xml`.
public enum GeoreferenceSidecars {
    /// The existing sidecars of `imagePath` (world file, `.prj`, `.aux.xml`), found as the reader
    /// finds them (names matched ignoring case).
    public static func paths(forImage imagePath: String) -> [String] {
        [WorldFile.find(forImage: imagePath), CRSSidecar.findPRJ(forImage: imagePath),
         CRSSidecar.findAuxXML(forImage: imagePath)].compactMap { $0 }
    }

    /// `arguments` split into images and the sidecars of other arguments among them: a file that
    /// is the world file, `.prj` or `.aux.xml` of another argument (the same file once `.`, `..`
    /// and symbolic links are resolved) is a sidecar; every other argument is kept as an image,
    /// in order, to be read (and refused when it is not one).
    public static func separate(_ arguments: [String]) -> (images: [String], sidecars: [String]) {
        func canonical(_ path: String) -> String {
            URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        }
        let sidecarsOfArguments = Set(arguments.flatMap { paths(forImage: $0) }.map(canonical))
        var images: [String] = [], sidecars: [String] = []
        for argument in arguments {
            if sidecarsOfArguments.contains(canonical(argument)) { sidecars.append(argument) } else { images.append(argument) }
        }
        return (images, sidecars)
    }
}
