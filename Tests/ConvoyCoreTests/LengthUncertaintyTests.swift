import Testing
@testable import ConvoyCore

/// The ± reported with every length: the geometry's, or the benchmark's spread, whichever is larger.
@Suite struct LengthUncertaintyTests {
    @Test(arguments: [
        // length m, working GSD m, resolved, expected ± m
        (1000.0, 0.9, true, 150.0),    // the benchmark's 15 % where vehicles are resolved
        (1000.0, 2.0, false, 340.0),   // and 34 % where they merge into streaks
        (20.0, 2.0, false, 6.8),
        (10.0, 5.0, false, 12.05),     // a short piece at 5 m: two working pixels and shadow at each end
        (0.0, 0.9, true, 3.8),
    ])
    func intervalIsTheLargerOfGeometryAndBenchmark(_ c: (Double, Double, Bool, Double)) {
        let u = LengthUncertainty.metres(length: c.0, workingGSD: c.1, resolved: c.2)
        #expect(abs(u - c.3) < 1e-9, "\(u)")
    }

    @Test func coarseImageryIsNeverMoreCertainThanResolvedImagery() {
        for length in [50.0, 500, 5000, 64_000] {
            #expect(LengthUncertainty.metres(length: length, workingGSD: 2, resolved: false)
                    > LengthUncertainty.metres(length: length, workingGSD: 0.9, resolved: true))
        }
    }
}
