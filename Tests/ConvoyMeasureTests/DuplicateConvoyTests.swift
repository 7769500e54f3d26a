import ConvoyCore
import ConvoyGeo
@testable import ConvoyMeasure
import Testing

/// A convoy found twice (two chains threaded through one stretch of a column) is reported once.
@Suite struct DuplicateConvoyTests {
    static let evidence = ConvoyEvidence(working_gsd_m: 2, streak_fraction: 0, vehicles_per_km: 20, aligned_fraction: 1,
                                         road_band_fraction: 0.6, darker_than_road_fraction: 0.8, filled_gap_fraction: 0,
                                         lateral_spread_m: 2, median_spacing_m: 40)

    /// A convoy along plane points (x from x0 to x1 metres, at y), as the scene reports it.
    static func convoy(_ plane: ScenePlane, from x0: Double, to x1: Double, y: Double, step: Double,
                       rejection: ColumnRejection? = nil) throws -> MeasuredConvoy {
        let points = stride(from: x0, through: x1, by: step).map { PlanePoint(x: $0, y: y) }
        let path = try plane.lonLats(points)
        return MeasuredConvoy(lengthMetres: x1 - x0, lengthUncertaintyMetres: 0, vehicles: 20, vehiclesEstimated: false,
                              evidence: evidence, head: path.first, tail: path.last, headAtImageEdge: false,
                              tailAtImageEdge: false, target: nil, path: path, pathPixels: nil, images: [0],
                              rejection: rejection)
    }

    @Test func theShorterOfTwoChainsThroughOneStretchIsNotReported() throws {
        let plane = try ScenePlane(centre: LonLat(lon: 30.1, lat: 50.7))
        // longest first, as the scene sorts them
        var convoys = [
            try Self.convoy(plane, from: -500, to: 3000, y: 80, step: 500,                // left out already:
                            rejection: .lowConfidence(0.1, threshold: 0.5)),             // hides nothing
            try Self.convoy(plane, from: 0, to: 2000, y: 0, step: 250),                  // reported
            try Self.convoy(plane, from: 0, to: 1500, y: 40, step: 100),                 // the next road, 40 m away
            try Self.convoy(plane, from: 300, to: 1700, y: 5, step: 40),                 // the same vehicles, 5 m aside
            try Self.convoy(plane, from: 100, to: 900, y: 41, step: 50),                 // beside the next road's
            try Self.convoy(plane, from: 1800, to: 2600, y: 0, step: 100),               // a quarter along the first
            try Self.convoy(plane, from: 0, to: 500, y: 80, step: 50),                   // beside the one left out
        ]
        try SceneMeasurement.rejectDuplicates(&convoys, images: [], plane: plane)
        #expect(convoys.map { $0.rejection?.code } == ["low_confidence", nil, nil, "beside_longer_convoy",
                                                       "beside_longer_convoy", nil, nil])
        if case let .besideLongerConvoy(fraction) = convoys[3].rejection {
            #expect(fraction == 1)
        }
    }
}
