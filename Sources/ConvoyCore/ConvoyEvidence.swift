#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a reported column rests on, as measured in the image: the quantities its confidence is
/// computed from (`ConvoyConfidence`), reported with every convoy so that an analyst can see why
/// the tool believes it, or does not.
public struct ConvoyEvidence: Sendable, Equatable, Codable {
    /// Ground size of the working pixel the column was found at, metres (0.3 m imagery is
    /// averaged to about 0.9 m; coarser imagery is used as it is).
    public var working_gsd_m: Double
    /// Fraction of the column's candidates that are pieces of streaks rather than vehicles seen
    /// one by one, 0...1 (coarse imagery: vehicles merged into a line).
    public var streak_fraction: Double
    /// Vehicles per kilometre of path.
    public var vehicles_per_km: Double
    /// Fraction of the vehicles whose long axis is seen that point along the path (within 30°),
    /// 0...1; nil when fewer than 3 show an axis.
    public var aligned_fraction: Double?
    /// Fraction of the path where the surface under it differs from the ground 12 m to both
    /// sides (a road band), 0...1.
    public var road_band_fraction: Double
    /// Fraction of the candidates darker than the road surface at their place, 0...1.
    public var darker_than_road_fraction: Double
    /// Fraction of the judged gaps between candidates as dark as the candidates (a continuous
    /// line such as a hedge rather than vehicles apart), 0...1.
    public var filled_gap_fraction: Double
    /// Spread of the candidates across the path (10th to 90th percentile of their offsets), metres.
    public var lateral_spread_m: Double
    /// Median distance between consecutive candidates along the path, metres.
    public var median_spacing_m: Double
    /// Of the vehicles counted, those found on the path that were no candidate (`MissedVehicles`:
    /// light vehicles, and dark patches counted by their area), where vehicles are resolved; nil
    /// where they were not looked for (coarse imagery, or a column that failed an earlier test).
    public var vehicles_on_path: Int?
    /// Blobs as wide as two vehicles abreast, each counted as two (`ConvoyDetector.isTwoAbreast`);
    /// nil where shapes are not resolved or the column was not reported.
    public var blobs_two_abreast: Int?

    public init(working_gsd_m: Double, streak_fraction: Double, vehicles_per_km: Double, aligned_fraction: Double?,
                road_band_fraction: Double, darker_than_road_fraction: Double, filled_gap_fraction: Double,
                lateral_spread_m: Double, median_spacing_m: Double, vehicles_on_path: Int? = nil, blobs_two_abreast: Int? = nil) {
        self.working_gsd_m = working_gsd_m
        self.streak_fraction = streak_fraction
        self.vehicles_per_km = vehicles_per_km
        self.aligned_fraction = aligned_fraction
        self.road_band_fraction = road_band_fraction
        self.darker_than_road_fraction = darker_than_road_fraction
        self.filled_gap_fraction = filled_gap_fraction
        self.lateral_spread_m = lateral_spread_m
        self.median_spacing_m = median_spacing_m
        self.vehicles_on_path = vehicles_on_path
        self.blobs_two_abreast = blobs_two_abreast
    }
}

extension ConvoyDetector {
    /// The evidence for `column` (built from `nodes`), found at `workingGSD` metres per working
    /// pixel, with its road test `score`.
    public func evidence(for column: Column, nodes: [LinkNode], workingGSD: Double, road score: RoadSupport.Score)
        -> ConvoyEvidence {
        let builder = ColumnBuilder()
        let (aligned, withAxis) = builder.alignment(column, nodes: nodes)
        let streaks = column.members.filter { nodes[$0].isStreakPiece }.count
        return ConvoyEvidence(
            working_gsd_m: workingGSD,
            streak_fraction: Double(streaks) / Double(max(1, column.members.count)),
            vehicles_per_km: Double(column.vehicles) / max(0.001, column.planeLength / 1000),
            aligned_fraction: withAxis >= 3 ? aligned : nil,
            road_band_fraction: score.band, darker_than_road_fraction: score.dark, filled_gap_fraction: score.filledGaps,
            lateral_spread_m: builder.lateralSpread(column, nodes),
            median_spacing_m: min(10_000, medianSpacing(column, nodes)), vehicles_on_path: column.vehiclesOnPath)
    }
}
