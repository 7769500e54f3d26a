import ConvoyMeasure

/// A convoy to export, with the image it was measured in: one row of the CSV, one line and two
/// points of the GeoJSON, one folder entry of the KML.
public struct ExportedConvoy: Sendable {
    /// The image path (images joined by ";" for a convoy across tiles of one scene).
    public var image: String
    /// 1-based number of the convoy within its image or scene, longest first.
    public var number: Int
    public var convoy: ReportedConvoy

    public init(image: String, number: Int, convoy: ReportedConvoy) {
        self.image = image
        self.number = number
        self.convoy = convoy
    }

    /// The convoys of a `measure` report: one scene, each convoy named by its images.
    public static func fromScene(_ convoys: [ReportedConvoy]) -> [ExportedConvoy] {
        convoys.enumerated().map { ExportedConvoy(image: $0.element.images.joined(separator: ";"), number: $0.offset + 1,
                                                  convoy: $0.element) }
    }

    /// The convoys of images measured one by one (batch records), numbered within each image.
    public static func fromImages(_ images: [(image: String, convoys: [ReportedConvoy])]) -> [ExportedConvoy] {
        images.flatMap { image in
            image.convoys.enumerated().map { ExportedConvoy(image: image.image, number: $0.offset + 1, convoy: $0.element) }
        }
    }

    /// The target as one label: its name, or "lat,lon".
    var targetLabel: String? {
        guard let t = convoy.target else { return nil }
        return t.name ?? "\(t.lat),\(t.lon)"
    }

    /// Whether every number a map needs is finite and the path has valid coordinates.
    var isMappable: Bool {
        guard convoy.lonLatPath != nil, convoy.length_km.isFinite, convoy.confidence.isFinite else { return false }
        if let t = convoy.target, !(t.distance_km.isFinite && t.lat.isFinite && t.lon.isFinite && t.bearing_deg.isFinite) {
            return false
        }
        return true
    }
}

/// What an export left out: convoys that cannot be put on a map (measured in pixels, without
/// georeference, or with a non-finite number).
public struct ExportResult: Sendable {
    public var data: [UInt8]
    public var unmapped: [ExportedConvoy]
}
