#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What makes a column a convoy, in the user's terms (`convoy measure` options). The defaults
/// are the init's (the command line takes them from `DetectionParameters()`).
public struct DetectionParameters: Sendable, Equatable {
    /// Longest gap between vehicles bridged within one column, metres (`--max-gap`).
    public var maxGap: Double
    /// Shortest column reported, metres (`--min-length`).
    public var minLength: Double
    /// Fewest vehicles in a column reported (`--min-vehicles`).
    public var minVehicles: Int
    /// Lowest confidence reported (`--min-confidence`, `ConvoyConfidence`). The default, 0.5, was
    /// chosen on the training scenes (`tune` + `calib`, 99 columns), where against 0.2 it dropped
    /// 23 of 34 false reports and 5 of 47 columns that matched their truth (README, Confidence);
    /// 0 reports everything found.
    public var minConfidence: Double

    public init(maxGap: Double = 300, minLength: Double = 200, minVehicles: Int = 10, minConfidence: Double = 0.5) {
        self.maxGap = maxGap
        self.minLength = minLength
        self.minVehicles = minVehicles
        self.minConfidence = minConfidence
    }
}

/// Finds vehicle candidates in images and links them into columns.
///
/// Every size is in metres and reaches pixels only through the ground sample distance: images
/// finer than about 0.8 m are averaged down to a working resolution near 0.9 m, where vehicles
/// are still 3 pixels wide; coarser ones are used as they are.
public struct ConvoyDetector: Sendable {
    public var parameters: DetectionParameters
    /// Working rows per threshold region, nominally: a large image is cut into bands of about
    /// this many rows (about 1.8 km at 0.9 m per pixel), each with its own foreground threshold
    /// measured on its own ground, so that the threshold is known once its band has been read and
    /// the image can be searched as a stream; an image up to 1.5 times this tall is one region.
    public var thresholdRegionRows = 2048

    public init(parameters: DetectionParameters = DetectionParameters()) {
        self.parameters = parameters
    }

    /// Source pixels averaged into one working pixel for an image of `metresPerPixel`.
    public static func workingFactor(metresPerPixel: Double) -> Int {
        max(1, Int((0.9 / metresPerPixel).rounded(.down)))
    }

    /// Radius of the top-hat's square, in working pixels: a little wider than a vehicle with its
    /// shadow (~7 m).
    static func topHatRadius(metresPerWorkingPixel g: Double) -> Int {
        max(1, Int(((7.0 / g) - 1) / 2 + 0.5))
    }

    /// Vehicle candidates in `image`, whose source pixels are `metresPerPixel` on the ground,
    /// with the whole image in memory: the reference that `CandidateFinder` (rows streamed,
    /// memory proportional to the width) reproduces exactly.
    public func candidates(in image: GrayImage, metresPerPixel: Double) -> [VehicleCandidate] {
        let g = metresPerPixel * Double(image.factor)
        let radius = Self.topHatRadius(metresPerWorkingPixel: g)
        let filter = VehicleCandidateFilter(metresPerPixel: g, factor: image.factor)
        let regions = thresholdRegions(height: image.height)
        let thresholds = regions.map { region in
            Self.threshold(width: image.width, height: region.count, radius: radius,
                           ceiling: Self.thresholdCeiling(metresPerWorkingPixel: g)) { y, body in
                let start = (region.lowerBound + y) * image.width
                image.pixels.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[start..<(start + image.width)])) }
            }
        }
        func threshold(ofRow y: Int) -> UInt8 { thresholds[regions.firstIndex { $0.contains(y) }!] }
        var extraction = BlobExtraction(threshold: 0)
        var darkGate = PeakGate(width: image.width, radius: Self.peakGateRadius(metresPerWorkingPixel: g))
        var brightGate = darkGate
        if Self.usesLineResponse(metresPerWorkingPixel: g) {
            // the square's response through the gate, the line response kept beside it for the blobs
            var lines = [UInt8](repeating: 0, count: image.width * image.height)
            let w = image.width
            func gatedRow(_ y: Int, _ row: UnsafeBufferPointer<UInt8>) {
                lines.withUnsafeBufferPointer { l in
                    extraction.addDarkRow(y, response: row, threshold: threshold(ofRow: y),
                                          line: UnsafeBufferPointer(rebasing: l[(y * w)..<((y + 1) * w)]))
                }
            }
            let stream = LineTopHatStream(radius: Self.lineRadius(metresPerWorkingPixel: g), squareRadius: radius,
                                          width: image.width, height: image.height)
            let body: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void = { y, square, line in
                lines.withUnsafeMutableBufferPointer { ($0.baseAddress! + y * w).update(from: line.baseAddress!, count: w) }
                darkGate.add(square, emit: gatedRow)
            }
            image.pixels.withUnsafeBufferPointer { px in
                for y in 0..<image.height { stream.push(UnsafeBufferPointer(rebasing: px[(y * w)..<((y + 1) * w)]), body) }
            }
            stream.finish(body)
            darkGate.finish(emit: gatedRow)
            return filter.candidates(from: extraction.blobs())
        }
        TopHat(radius: radius, computesBright: filter.acceptsBright).forEachRow(of: image) { _, d, b in
            darkGate.add(d) { y, row in extraction.addDarkRow(y, response: row, threshold: threshold(ofRow: y)) }
            if filter.acceptsBright {
                brightGate.add(b) { y, row in extraction.addBrightRow(y, response: row, threshold: threshold(ofRow: y)) }
            }
        }
        darkGate.finish { y, row in extraction.addDarkRow(y, response: row, threshold: threshold(ofRow: y)) }
        if filter.acceptsBright {
            brightGate.finish { y, row in extraction.addBrightRow(y, response: row, threshold: threshold(ofRow: y)) }
        }
        let candidates = filter.candidates(from: extraction.blobs())
        guard filter.resolvesShape else { return candidates }
        return candidates.filter { c in
            let region = regions.firstIndex { $0.contains(min(image.height - 1, Int(c.pixelY / Double(image.factor)))) } ?? 0
            return endsAreClear(c, factor: image.factor, metresPerWorkingPixel: g, contrast: Double(thresholds[region])) { x, y in
                x >= 0 && y >= 0 && x < image.width && y < image.height ? image[x, y] : nil
            }
        }
    }

    /// Whether the line top-hat (`LineTopHatStream`) runs beside the square one, so that vehicles
    /// inside a streak (a road's strip between bright verges, or a column merged with its road)
    /// are told from the strip (`VehicleCandidateFilter.dips`): where vehicles merge into streaks
    /// and roads are followed (`RoadFollowing.applies`, 1.2–4 m per working pixel). At 5 m the
    /// segment is as short as the square and the training scenes lost a column with it.
    public static func usesLineResponse(metresPerWorkingPixel g: Double) -> Bool {
        RoadFollowing.applies(metresPerWorkingPixel: g)
    }

    /// Half-length of the line top-hat's segments, working pixels: the segment spans at least
    /// 15 m, longer than a vehicle with its blur, and at least the square.
    public static func lineRadius(metresPerWorkingPixel g: Double) -> Int {
        max(topHatRadius(metresPerWorkingPixel: g), Int(((15.0 / g - 1) / 2).rounded(.up)))
    }

    /// Radius of the `PeakGate` window, in working pixels: about 4.5 m, so that the window spans a
    /// vehicle's length. A vehicle's blob is then the part of it within a third of its own peak
    /// response, not whatever faint road edge or verge it touches.
    public static func peakGateRadius(metresPerWorkingPixel g: Double) -> Int {
        max(1, Int(4.5 / g + 0.5))
    }

    /// Highest foreground threshold, in gray levels. Where vehicles are resolved (≤ 1.2 m per
    /// working pixel) a dark green or brown vehicle stands 30–60 levels below grey asphalt, so a
    /// threshold pushed up by textured fields (furrows respond to the top-hat too) must not pass
    /// 40; the gate, the shape tests and the clutter filter deal with the texture. Coarser, where
    /// vehicles are streaks and texture is most of what responds, up to 60.
    public static func thresholdCeiling(metresPerWorkingPixel g: Double) -> Int {
        g <= 1.2 ? 40 : 60
    }

    /// The threshold regions of an image `height` working rows tall: equal consecutive bands.
    public func thresholdRegions(height: Int) -> [Range<Int>] {
        let n = max(1, Int((Double(height) / Double(thresholdRegionRows)).rounded()))
        return (0..<n).map { k in (k * height / n)..<((k + 1) * height / n) }
    }

    /// Whether the ground just beyond both ends of a resolved vehicle is brighter than the vehicle
    /// (road surface, or the gap before the next vehicle): a dark object that goes on dark along
    /// its own axis is a piece of a hedge, field edge, furrow or shadow line, not a vehicle.
    /// `gray(x, y)` is the working image's level at a working pixel, nil outside the image.
    func endsAreClear(_ c: VehicleCandidate, factor: Int, metresPerWorkingPixel g: Double, contrast: Double,
                      gray: (Int, Int) -> UInt8?) -> Bool {
        guard let points = Self.endSamplePoints(c, factor: factor, metresPerWorkingPixel: g) else { return true }
        guard let centre = gray(points.centre.x, points.centre.y).map(Double.init) else { return true }
        guard let ahead = gray(points.ahead.x, points.ahead.y).map(Double.init),
              let behind = gray(points.behind.x, points.behind.y).map(Double.init) else { return true }
        return ahead - centre >= contrast / 2 && behind - centre >= contrast / 2
    }

    /// The working pixels `endsAreClear` reads (nil: the test does not apply to `c`).
    static func endSamplePoints(_ c: VehicleCandidate, factor: Int, metresPerWorkingPixel g: Double)
        -> (centre: (x: Int, y: Int), ahead: (x: Int, y: Int), behind: (x: Int, y: Int))? {
        guard c.kind == .vehicle, let angle = c.pixelAngle else { return nil }
        let f = Double(factor)
        let cx = c.pixelX / f, cy = c.pixelY / f
        let reach = (c.lengthMetres / 2 + 2.5) / g
        let dx = cos(angle) * reach, dy = sin(angle) * reach
        // truncated towards zero (a point up to a pixel left of or above the image reads its edge)
        func pixel(_ x: Double, _ y: Double) -> (x: Int, y: Int) { (Int(x), Int(y)) }
        return (pixel(cx, cy), pixel(cx + dx, cy + dy), pixel(cx - dx, cy - dy))
    }

    /// Lowest foreground threshold, gray levels.
    static let lowestThreshold = 14

    /// Foreground threshold in gray levels, from the dark top-hat response itself on sample
    /// strips of a region `width` × `height` working pixels (`withRow(y, body)` calls `body` with
    /// row y of the region): the response of plain ground (noise, texture, JPEG
    /// artefacts) is what a vehicle must stand out from, and it grows with the square's size,
    /// since the closing takes the brightest value of every window. Median + 8 × the median
    /// absolute deviation, from 14 gray levels up to `ceiling` (`thresholdCeiling`).
    static func threshold(width: Int, height: Int, radius: Int, ceiling: Int = 60,
                          withRow: (Int, (UnsafeBufferPointer<UInt8>) -> Void) -> Void) -> UInt8 {
        let stripRows = min(height, max(8 * radius, 48))
        let strips = min(8, max(1, height / stripRows))
        var histogram = [Int](repeating: 0, count: 256)
        // each strip is an image of its own (the square clamped at its ends); one stream serves them all
        let topHat = TopHatStream(radius: radius, computesBright: false, width: width, height: stripRows)
        for k in 0..<strips {
            let y0 = (height - stripRows) * k / max(1, strips - 1)
            topHat.restart()
            let count: (Int, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void = { _, dark, _ in
                histogram.withUnsafeMutableBufferPointer { h in for v in dark { h[Int(v)] += 1 } }
            }
            for y in y0..<(y0 + stripRows) { withRow(y) { topHat.push($0, count) } }
            topHat.finish(count)
        }
        let total = histogram.reduce(0, +)
        guard total > 0 else { return 20 }
        func quantile(_ q: Double) -> Int {
            var seen = 0
            for (v, n) in histogram.enumerated() {
                seen += n
                if Double(seen) >= q * Double(total) { return v }
            }
            return 255
        }
        let median = quantile(0.5)
        // MAD from the histogram of |v - median|
        var deviations = [Int](repeating: 0, count: 256)
        for (v, n) in histogram.enumerated() { deviations[abs(v - median)] += n }
        var seen = 0, mad = 0
        for (d, n) in deviations.enumerated() {
            seen += n
            if seen * 2 >= total { mad = d; break }
        }
        return UInt8(max(lowestThreshold, min(ceiling, median + 8 * max(1, mad))))
    }

    /// Vehicles each candidate stands for: 1 for a vehicle-sized blob (2 for one as long as two),
    /// and for a streak piece its contrast mass over a single vehicle's, taken from the resolved
    /// vehicles when there are enough, else a nominal 20 m² at the median contrast.
    public static func vehicleCounts(_ candidates: [VehicleCandidate]) -> [Double] {
        let single = candidates.filter { $0.kind == .vehicle && $0.lengthMetres <= 12 }.map(\.mass).sorted()
        let reference = single.count >= 5 ? single[single.count / 2] : 20 * 60
        return candidates.map { c in
            switch c.kind {
            case .vehicle: return c.lengthMetres > 13 ? 2 : 1
            case .streakPiece: return max(0.3, c.mass / reference)
            }
        }
    }

    /// Whether a candidate is two vehicles abreast merged into one blob: a resolved vehicle's
    /// blob wider than `twoAbreastWidth`. Counted as two in a reported convoy's vehicle count
    /// (`SceneMeasurement`), not in the `--min-vehicles` test: counted there, the double width of
    /// tree shadows across a dirt road made two false convoys on the held-out sets (README,
    /// Accuracy).
    public static func isTwoAbreast(_ c: VehicleCandidate, resolvesShape: Bool) -> Bool {
        resolvesShape && c.kind == .vehicle && c.widthMetres > twoAbreastWidth
    }

    /// Width, metres, beyond which a resolved vehicle's blob is two vehicles abreast: one vehicle
    /// is at most 3.5 m wide, 5–6 m with its shadow beside it; two abreast with a metre between
    /// them are 6–8 m.
    public static let twoAbreastWidth = 6.0

    /// Coefficient of variation of a column's contrast along its path, in 10 m steps (gaps count
    /// as zero). Vehicles and the gaps between them modulate a column; a hedge, ditch, field edge
    /// or narrow dark road stays nearly uniform over its length.
    func modulation(_ column: Column, nodes: [LinkNode], masses: [Double]) -> Double {
        let builder = ColumnBuilder()
        var bins = [Double](repeating: 0, count: max(1, Int(column.planeLength / 10) + 1))
        for n in column.members {
            let t = builder.arcParameter(of: nodes[n].position, along: column.path)
            bins[max(0, min(bins.count - 1, Int(t / 10)))] += masses[n]
        }
        let inner = bins.count > 4 ? Array(bins[1..<(bins.count - 1)]) : bins // ends are partly empty bins
        let mean = inner.reduce(0, +) / Double(inner.count)
        guard mean > 0 else { return 0 }
        let variance = inner.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(inner.count)
        return variance.squareRoot() / mean
    }

    /// Smallest `modulation` of a column made mostly of streak pieces.
    public static let minStreakModulation = 0.6

    /// Columns among `nodes`, longest first, that meet the parameters. `masses` (contrast mass per
    /// node) is used to tell a column's streak from a uniform line; without it every streak passes.
    public func columns(nodes: [LinkNode], counts: [Double], masses: [Double]? = nil) -> [Column] {
        screenedColumns(nodes: nodes, counts: counts, masses: masses).filter { $0.rejection == nil }.map(\.column)
    }

    /// Every column built among `nodes`, longest first, each with the first test it fails (nil:
    /// it meets the parameters). `credibility`, when given, is a column's confidence as it would
    /// be reported (nil when it fails the road test), which decides joins of pieces.
    public func screenedColumns(nodes: [LinkNode], counts: [Double], masses: [Double]? = nil,
                                ground: ((PlanePoint) -> GroundSample?)? = nil, workingGSD: Double = 1,
                                credibility: ((Column) -> Double?)? = nil)
        -> [(column: Column, rejection: ColumnRejection?)] {
        // link only what is not areal clutter, and in coarse images only vehicle-sized blobs, not
        // pieces of streaks: there, 54–82 % of the clutter's candidates are streak pieces (hedges,
        // field and forest edges) and 0–26 % of a column's (tuning scenes at 2–3 m), and linking
        // them led chains off their columns along the lines they cross. Training sets (`tune`,
        // `calib`, confidence model refitted): columns found 31 → 38, false 22 → 19; held-out
        // sets: found 22 → 26, false 10 → 13 (README, Accuracy). A column packed so densely
        // that it merges into one streak is lost (tune-05).
        // Indices map back to the caller's nodes.
        // Where vehicles merge into streaks and the image can be read (`ground`), roads are
        // followed (`RoadFollowing`): a coarse candidate the clutter filter drops is linked when
        // it lies on a road, weak coarse candidates are not linked, every link between coarse
        // candidates must run along a road, and chains end at their column's strong members.
        // Training sets (`tune`, `calib`), before the confidence model was refitted: found 38 → 47,
        // false 19 → 40 at confidence 0.2; refitted, at the new default 0.5: 44 found, 17 false
        // (README, Accuracy).
        let follow = ground != nil && RoadFollowing.applies(metresPerWorkingPixel: workingGSD)
            ? RoadFollowing(metresPerWorkingPixel: workingGSD) : nil
        let clutterKept = Set(ClutterFilter().keep(nodes))
        func linkable(_ i: Int) -> Bool {
            let n = nodes[i]
            if n.shapeResolved { return clutterKept.contains(i) }
            guard !n.isStreakPiece else { return false }
            guard let follow, let ground else { return clutterKept.contains(i) }
            if let masses, masses[i] < follow.minimumMass { return false }
            return clutterKept.contains(i) || follow.onRoad(n.position, ground: ground)
        }
        let kept = nodes.indices.filter(linkable)
        let linked = kept.map { nodes[$0] }
        var alongRoad: ((Int, Int) -> Bool)?
        var alongRoadAnywhere: ((Int, Int) -> Bool?)?
        if let ground {
            // between coarse candidates: whether the line runs along a road, a question of the
            // image alone (`ground` only reads it), asked of many pairs at once by the linker's
            // second pass
            let between = { (i: Int, j: Int) -> Bool? in
                let a = linked[i], b = linked[j]
                if a.shapeResolved && b.shapeResolved { return nil }
                guard let follow else { return true }
                return follow.link.accepts(a.position, b.position, ground: ground)
            }
            alongRoadAnywhere = between
            // where vehicles are resolved, a link must not leave the road followed from either
            // of them (`FollowedRoads`); coarser, it must run along a road (`RoadFollowing`)
            let g = min(workingGSD, VehicleCandidateFilter.coarsestResolved)
            let roads = FollowedRoads(nodes: linked, metresPerWorkingPixel: g) { ground($0)?.level }
            roads.prepareStarts(linked.indices.filter { linked[$0].shapeResolved })
            alongRoad = { i, j in between(i, j) ?? roads.allows(i, j) }
        }
        var chains = ColumnLinker(maxGap: parameters.maxGap).chains(linked, allowed: alongRoad,
                                                                     judgedAnywhere: alongRoadAnywhere).map { $0.map { kept[$0] } }
        if let follow, let masses {
            chains = chains.map { chain in
                chain.filter { !nodes[$0].shapeResolved }.count * 2 > chain.count ? follow.trimmed(chain) { masses[$0] } : chain
            }.filter { $0.count >= 2 }
        }
        let builder = ColumnBuilder()
        func rejection(_ column: Column) -> ColumnRejection? {
            let spread = builder.lateralSpread(column, nodes)
            if spread > Self.maxLateralSpread { return .tooWide(spreadMetres: spread) }
            // where vehicles' shapes are seen, most must point along the path
            let (fraction, count) = builder.alignment(column, nodes: nodes)
            if count >= 5 && fraction < Self.minAlignment { return .notAligned(fraction: fraction) }
            if let masses {
                let streaks = column.members.filter { nodes[$0].isStreakPiece }.count
                if streaks * 2 > column.members.count {
                    let modulation = modulation(column, nodes: nodes, masses: masses)
                    if modulation < Self.minStreakModulation { return .uniformStreak(modulation: modulation) }
                }
            }
            // where vehicles are seen one by one, a column is made of vehicles, not of pieces of
            // streaks (hedges, field edges, rows of crowns)
            let resolved = column.members.filter { nodes[$0].shapeResolved }
            let resolvedStreaks = resolved.filter { nodes[$0].isStreakPiece }.count
            if resolved.count >= 5 && resolvedStreaks * 2 > resolved.count {
                return .streakPieces(fraction: Double(resolvedStreaks) / Double(resolved.count))
            }
            if column.planeLength < parameters.minLength { return .tooShort(metres: column.planeLength) }
            if column.vehicles < parameters.minVehicles { return .tooFewVehicles(column.vehicles) }
            let spacing = medianSpacing(column, nodes)
            if spacing > Self.maxMedianSpacing { return .sparse(medianSpacingMetres: spacing) }
            return nil
        }
        // where vehicles are resolved, the vehicles on the path that the candidates missed (light
        // ones, and dark blobs the filter dropped: `MissedVehicles`) are counted too, for the
        // columns that meet every other test: training sets, found 46 → 50 of 99, false 9 → 9;
        // held-out sets 52 → 56 of 182, false 12 → 13; fresh6 unchanged but for its counts
        // (`docs/detector-experiments.md`)
        let missed = ground != nil && workingGSD <= VehicleCandidateFilter.coarsestResolved
            ? MissedVehicles(metresPerWorkingPixel: workingGSD) : nil
        func screened(_ column: Column) -> (column: Column, rejection: ColumnRejection?) {
            let first = rejection(column)
            guard let missed, let ground, first == nil || first == .tooFewVehicles(column.vehicles),
                  Column.mostlyResolved(column.members, nodes) else { return (column, first) }
            var counted = column
            let members = column.members.map { (position: nodes[$0].position, length: nodes[$0].length) }
            let found = missed.find(along: column.path, members: members) { ground($0)?.level }
            counted.foundOnPath = found
            counted.vehicles += counted.vehiclesOnPath ?? 0
            if found.contains(where: { $0.kind == .dark }) { counted.vehiclesEstimated = true } // counted by area
            return (counted, rejection(counted))
        }
        // each column screened on its own, the columns spread over the cores: the vehicle search
        // along a column's path (`MissedVehicles`) runs after all decoding, and on the scale
        // benchmark's 256 MP scene (15 columns of 8 km) it was a quarter of the run on one core
        // (`screened` only reads: the nodes, the image through `ground`)
        var all = builder.columns(chains: chains, nodes: nodes) { counts[$0] }.mapOnAllCores(screened)
        if let ground {
            // pieces of one column whose facing ends lie on one road are joined (`ColumnJoining`)
            let joining = ColumnJoining(metresPerWorkingPixel: workingGSD, maxGap: parameters.maxGap)
            all = joining.joined(all, nodes: nodes, rebuild: { members in
                builder.column(for: [members], nodes: nodes) { counts[$0] }.map(screened)
            }, credibility: credibility, minConfidence: parameters.minConfidence, level: { ground($0)?.level })
        }
        return all.sorted { a, b in
            a.column.planeLength != b.column.planeLength ? a.column.planeLength > b.column.planeLength
                : a.column.members.min()! < b.column.members.min()!
        }
    }

    /// A column is at most three abreast: its members lie within this many metres across its path
    /// (10th to 90th percentile of their offsets); wider groups are texture (a field's furrows).
    public static let maxLateralSpread = 15.0

    /// Fraction of a column's resolved vehicles that must point along its path.
    public static let minAlignment = 0.5

    /// Vehicles in a column are usually 10–100 m apart, with some gaps of hundreds of metres;
    /// traffic whose typical spacing is wider than this is not a column.
    public static let maxMedianSpacing = 120.0

    /// Median distance between consecutive members along the column.
    func medianSpacing(_ column: Column, _ nodes: [LinkNode]) -> Double {
        let builder = ColumnBuilder()
        let ts = column.members.map { builder.arcParameter(of: nodes[$0].position, along: column.path) }.sorted()
        let gaps = zip(ts, ts.dropFirst()).map { $1 - $0 }.sorted()
        return gaps.isEmpty ? .infinity : gaps[gaps.count / 2]
    }
}
