#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The confidence reported with a convoy: the probability that what was reported is a real
/// vehicle column (the whole column or a piece of it), from its evidence.
///
/// A logistic model fitted on the synthetic scenes' reports, where the truth says which reported
/// columns were real: `Scripts/convoy-synth calibrate` fits it on the training sets (`tune`,
/// `calib`) and prints these coefficients and how well they do on the held-out sets (README,
/// "Confidence"). It says how often reports like this one were real convoys, nothing more: it
/// does not say that the length is right (see `length_uncertainty_km` and the README).
public enum ConvoyConfidence {
    /// Model inputs, in `coefficients`' order: 1, log2 working GSD, streak fraction,
    /// log10 vehicles per km, aligned fraction (0.5 when unknown), whether it is unknown,
    /// road band fraction, darker-than-road fraction, filled-gap fraction, lateral spread / 10 m,
    /// median spacing / 100 m.
    public static func features(_ e: ConvoyEvidence) -> [Double] {
        [1, log2(max(0.05, e.working_gsd_m)), e.streak_fraction, log10(max(0.1, e.vehicles_per_km)),
         e.aligned_fraction ?? 0.5, e.aligned_fraction == nil ? 1 : 0, e.road_band_fraction,
         e.darker_than_road_fraction, e.filled_gap_fraction, e.lateral_spread_m / 10, e.median_spacing_m / 100]
    }

    /// Fitted by `Scripts/convoy-synth calibrate` on 147 reports (75 real, 72 false) of the `tune`
    /// and `calib` sets, L2 penalty 0.03 chosen by 5-fold cross-validation over their scenes
    /// (README, "Confidence", has the command and the held-out scores). Refitted when coarse
    /// columns came to be linked along roads (`RoadFollowing`), and again when vehicles came to be
    /// told from their road's strip inside streaks (`LineTopHatStream`).
    public static let coefficients: [Double] = [-9.8480, 0.2122, -0.3409, -1.9207, 6.2307, -0.6381, 0.7223, 8.2102,
                                                -3.9146, 0.7435, 0.5256]

    /// Probability in 0...1 that a report with this evidence is a real column.
    public static func probability(_ e: ConvoyEvidence) -> Double {
        let z = zip(features(e), coefficients).reduce(0) { $0 + $1.0 * $1.1 }
        return 1 / (1 + exp(-z))
    }
}
