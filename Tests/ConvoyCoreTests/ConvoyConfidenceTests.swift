import Testing
@testable import ConvoyCore

/// The confidence model's inputs and what a user relies on in its output.
@Suite struct ConvoyConfidenceTests {
    /// A column of resolved vehicles on a clear road at 0.5 m per pixel.
    static let strong = ConvoyEvidence(
        working_gsd_m: 0.5, streak_fraction: 0, vehicles_per_km: 40, aligned_fraction: 1, road_band_fraction: 0.9,
        darker_than_road_fraction: 1, filled_gap_fraction: 0, lateral_spread_m: 1, median_spacing_m: 25)
    /// A line of streak pieces at 3 m per pixel, its gaps as dark as itself, off any road band.
    static let weak = ConvoyEvidence(
        working_gsd_m: 3, streak_fraction: 1, vehicles_per_km: 8, aligned_fraction: nil, road_band_fraction: 0.4,
        darker_than_road_fraction: 0.5, filled_gap_fraction: 0.3, lateral_spread_m: 12, median_spacing_m: 110)

    @Test func featuresAreInTheOrderTheCalibrationScriptWritesThemIn() {
        // Scripts/synth/calibrate.py `features()` must give the same vector for the same evidence
        let f = ConvoyConfidence.features(Self.weak)
        let expected: [Double] = [1, 1.584962500721156, 1, 0.9030899869919435, 0.5, 1, 0.4, 0.5, 0.3, 1.2, 1.1]
        #expect(f.count == ConvoyConfidence.coefficients.count)
        for (a, b) in zip(f, expected) { #expect(abs(a - b) < 1e-12, "\(f)") }
    }

    @Test func clearEvidenceGivesHigherConfidenceThanWeakEvidence() {
        let strong = ConvoyConfidence.probability(Self.strong), weak = ConvoyConfidence.probability(Self.weak)
        #expect(strong > weak)
        #expect(strong >= 0.7, "\(strong)")
        #expect(weak < 0.5, "\(weak)")
    }

    @Test func confidenceIsAProbability() {
        for e in [Self.strong, Self.weak] {
            var e = e
            for gsd in [0.3, 1, 5, 50] {
                e.working_gsd_m = gsd
                let p = ConvoyConfidence.probability(e)
                #expect(p > 0 && p < 1 && p.isFinite)
            }
        }
    }
}
