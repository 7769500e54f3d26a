/// Why a column that was found is not reported as a convoy: the first test it failed, with the
/// figure that failed it, in the user's words (`convoy measure --explain`).
public enum ColumnRejection: Sendable, Equatable {
    /// Its members spread wider across its path than three abreast (`ConvoyDetector.maxLateralSpread`): texture.
    case tooWide(spreadMetres: Double)
    /// Too few of its resolved vehicles point along its path (`ConvoyDetector.minAlignment`):
    /// vehicles side by side, or a row of shapes that are not vehicles.
    case notAligned(fraction: Double)
    /// Mostly pieces of a streak of nearly uniform contrast (`ConvoyDetector.minStreakModulation`):
    /// a hedge, ditch, field edge or narrow dark road.
    case uniformStreak(modulation: Double)
    /// Where vehicles are seen one by one, made mostly of pieces of streaks (hedges, field edges,
    /// rows of crowns).
    case streakPieces(fraction: Double)
    /// Shorter than `--min-length`, or fewer vehicles than `--min-vehicles`.
    case tooShort(metres: Double)
    case tooFewVehicles(Int)
    /// Vehicles typically further apart than a column's (`ConvoyDetector.maxMedianSpacing`): traffic.
    case sparse(medianSpacingMetres: Double)
    /// The image does not show a road under it (`RoadSupport`), with the scores and what was needed.
    case notOnRoad(RoadSupport.Score, RoadSupport)
    /// Found and on a road, but less likely a real column than `--min-confidence`.
    case lowConfidence(Double, threshold: Double)
    /// Runs along a longer convoy that is reported (`ColumnOverlap`): a second chain through the
    /// same vehicles or the same road, not another convoy.
    case besideLongerConvoy(fraction: Double)

    /// A stable name for the test (JSON `rejection`).
    public var code: String {
        switch self {
        case .tooWide: "too_wide"
        case .notAligned: "not_aligned"
        case .uniformStreak: "uniform_streak"
        case .streakPieces: "streak_pieces"
        case .tooShort: "too_short"
        case .tooFewVehicles: "too_few_vehicles"
        case .sparse: "sparse"
        case .notOnRoad: "not_on_road"
        case .lowConfidence: "low_confidence"
        case .besideLongerConvoy: "beside_longer_convoy"
        }
    }

    /// The reason, with the figures (JSON `rejected_because`, and the text report).
    public var reason: String {
        func percent(_ x: Double) -> String { "\(Int((100 * x).rounded())) %" }
        func metres(_ x: Double) -> String { "\(Int(x.rounded())) m" }
        switch self {
        case let .tooWide(spread):
            return "members spread \(metres(spread)) across the path (at most \(metres(ConvoyDetector.maxLateralSpread)), three abreast)"
        case let .notAligned(fraction):
            return "\(percent(fraction)) of its vehicles point along the path (\(percent(ConvoyDetector.minAlignment)) needed)"
        case let .uniformStreak(modulation):
            return "a streak of nearly even contrast (modulation \((modulation * 100).rounded() / 100), "
                + "\(ConvoyDetector.minStreakModulation) needed): a hedge, ditch or field edge"
        case let .streakPieces(fraction):
            return "\(percent(fraction)) of it is pieces of streaks where vehicles are seen one by one (at most 50 %)"
        case let .tooShort(length):
            return "\(metres(length)) long (shorter than --min-length)"
        case let .tooFewVehicles(n):
            return "\(n) vehicles (fewer than --min-vehicles)"
        case let .sparse(spacing):
            return "vehicles typically \(metres(spacing)) apart (at most \(metres(ConvoyDetector.maxMedianSpacing))): traffic"
        case let .notOnRoad(score, support):
            var parts: [String] = []
            if score.band < support.minimumBandFraction {
                parts.append("a road band under \(percent(score.band)) of the path (\(percent(support.minimumBandFraction)) needed)")
            }
            if score.dark < support.minimumDarkFraction {
                parts.append("\(percent(score.dark)) of its vehicles darker than the road (\(percent(support.minimumDarkFraction)) needed)")
            }
            if score.filledGaps > support.maximumFilledGaps {
                parts.append("\(percent(score.filledGaps)) of its gaps as dark as its vehicles (at most \(percent(support.maximumFilledGaps)))")
            }
            return "not on a road: " + parts.joined(separator: "; ")
        case let .lowConfidence(p, threshold):
            return "confidence \((p * 100).rounded() / 100), below --min-confidence \(threshold)"
        case let .besideLongerConvoy(fraction):
            return "\(percent(fraction)) of its path runs within \(metres(ColumnOverlap.width)) of a longer convoy reported (at most "
                + "\(percent(ColumnOverlap.maximumShare)))"
        }
    }
}
