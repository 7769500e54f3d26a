/// A vehicle counted on a reported convoy's path that was no candidate (`MissedVehicles`: a
/// vehicle lighter than its road, or a dark patch the candidate filter dropped): where it lies in
/// which image, so that the overlay can mark it and `--detections` can list it with the
/// candidates.
public struct VehicleOnPath: Sendable, Equatable {
    /// Index of the image it lies in, among the measurement's images.
    public var image: Int
    /// Centre in that image's source pixels (pixel-corner convention).
    public var pixelX: Double
    public var pixelY: Double
    /// Extent along and across the convoy's path, metres.
    public var lengthMetres: Double
    public var widthMetres: Double
    /// Whether it is lighter than its road (else a dark patch).
    public var isLight: Bool
    /// How many vehicles it counts for: 1 for a light one, a dark patch's area over one vehicle's.
    public var vehicles: Int

    public init(image: Int, pixelX: Double, pixelY: Double, lengthMetres: Double, widthMetres: Double,
                isLight: Bool, vehicles: Int) {
        self.image = image
        self.pixelX = pixelX
        self.pixelY = pixelY
        self.lengthMetres = lengthMetres
        self.widthMetres = widthMetres
        self.isLight = isLight
        self.vehicles = vehicles
    }
}
