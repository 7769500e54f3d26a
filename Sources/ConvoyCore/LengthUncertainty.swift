/// How far a reported length may be from the column's true length: the larger of what the
/// measurement's geometry allows and what the benchmark shows.
///
/// Geometry: each end is known to about a working pixel plus a metre of shadow, and the path to
/// about 0.5 % (smoothing across lanes and bends). That is the whole error only when the whole
/// column was found. Often it is not: linking stops at a junction or a gap, or a column's end is
/// lost in clutter, and the length comes out short (and sometimes long, when a chain runs on
/// along traffic or a tree row). So the interval also covers the spread of the errors of columns
/// matched to their truth in the synthetic scenes: 68 % of them were within `resolvedFraction`
/// where vehicles are seen one by one, and within `coarseFraction` where they merge into streaks.
public enum LengthUncertainty {
    /// Fraction of the length: the 68th percentile of |error| of matched columns at ≤ 1.2 m per
    /// working pixel. Training scenes (`tune`, `calib`; 19 columns) 14.6 %; held-out (`heldout`,
    /// `fresh`, `fresh2`; 15 columns) 18.0 % (2026-11-29, `Scripts/convoy-synth benchmark`).
    public static let resolvedFraction = 0.15
    /// The same for coarser images: training 33.9 % (19 columns), held-out 34.9 % (11 columns).
    public static let coarseFraction = 0.34

    /// ± metres for a column `length` metres long found at `workingGSD` metres per working pixel,
    /// with vehicles `resolved` one by one or not.
    public static func metres(length: Double, workingGSD: Double, resolved: Bool) -> Double {
        let geometry = 2 * (workingGSD + 1.0) + 0.005 * length
        return max(geometry, (resolved ? resolvedFraction : coarseFraction) * length)
    }
}
