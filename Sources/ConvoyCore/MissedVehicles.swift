/// Vehicles on the path of a column of resolved vehicles that are not among its candidates:
/// vehicles lighter than their road, and dark patches that the candidate filter dropped.
///
/// The detector's candidates are dark objects of one vehicle's size. The top-hat's bright
/// response answers mostly to the road between dark vehicles and to narrow light roads
/// (`VehicleCandidateFilter.acceptsBright`), so sand-coloured vehicles and light tarpaulins on
/// grey asphalt are not candidates — about a fifth of the column vehicles missed at 0.3–1 m per
/// pixel; and vehicles three abreast or nose to tail merge into blobs wider or longer than any
/// vehicle, which are dropped with the buildings and crown clusters they look like (calib-03: 41
/// vehicles in clusters of three, 10 counted). A column of ten with one of either counted nine and
/// failed `--min-vehicles 10`. Once a column's dark vehicles have shown where its road runs, the
/// road's own level is known along it, and what stands out from that level on the path, alone on
/// the road, is a vehicle.
///
/// The search straightens a strip along the path (offsets across it, cells of at least 0.5 m),
/// takes the road's level at each offset as the upper quartile along the path within `window`
/// (the column's own vehicles left out; the quartile rather than the median, so that dense
/// vehicles or shadows across the road do not pull the level down and make the road between them
/// look light: fresh2-17), and its noise from the median absolute deviation. Cells standing
/// `contrast` and four noise deviations above the level (light) or below it (dark) form
/// 4-connected patches; a patch counts when it fills half its box, has road-level ground a metre
/// around most of it (a verge, a field, a forest edge or a crown beside the path is ground that
/// goes on), does not touch a member's body (a part of it, or a shape not seen whole) and is not
/// cut by the path's ends. A light patch must have one vehicle's size and lie along the path, and
/// not be centred within a member's surroundings (a white cab roof); a dark patch may be a group
/// (it counts as its area over `darkVehicleArea`) but must not reach the strip's sides (a
/// shadow across the road goes on beyond it).
///
/// The rules were chosen on the training scenes (`tune` + `calib`, 0.3–1 m) by matching each
/// light patch to the truth and by the columns found (`docs/detector-experiments.md`). Patches
/// beyond a column's ends were looked for too and were never a vehicle (0 of 43): the path is not
/// lengthened by them.
public struct MissedVehicles: Sendable {
    /// Metres per working pixel (0.3–1.2: vehicles resolved).
    public let metresPerWorkingPixel: Double
    /// Half-width of the strip searched, metres: two lanes of a column two abreast either side of
    /// its centre path.
    public var halfWidth = 4.5
    /// Half-length of the window along the path whose upper quartile is the road's level, metres.
    public var window = 25.0
    /// Gray levels by which a vehicle stands out from its road (asphalt 110–120, sand paint and
    /// tarpaulins 140–190, dark vehicles 50–80 in 8-bit gray).
    public var contrast = 20.0
    /// How many standard deviations of the road's own level (from its median absolute deviation
    /// along the window) a vehicle must also stand out by: asphalt varies by a few gray levels, a
    /// forest's crowns or a field's furrows under a chain that is no column by tens.
    public var noiseMultiple = 4.0
    /// Least share of its bounding box a patch fills (vehicles are rectangles along their road).
    public var minimumFill = 0.5
    /// Largest share of the ring a metre around a light patch that may be light too, and around a
    /// dark patch dark too (training: 0.2 and 0.35 found the most columns without a false one).
    public var maximumLightRing = 0.2
    public var maximumDarkRing = 0.35
    /// Margin beyond a member's ends, metres, within which a light patch is a part of it (its
    /// blur, a white cab roof) and the ground is not the road's level.
    public var memberMargin = 1.5
    /// Ground area of one vehicle in a dark patch, metres²: a 7 × 2.5 m vehicle with a little
    /// shadow.
    public var darkVehicleArea = 25.0

    public init(metresPerWorkingPixel: Double) {
        self.metresPerWorkingPixel = metresPerWorkingPixel
    }

    /// Smallest and largest light patch that is one vehicle, metres along and across the path: a
    /// light vehicle of 5 × 2.4 m less what blur takes off, a truck of 12 × 3.5 m plus a pixel of
    /// blur each side (narrower patches were mostly road markings and verges).
    var lengthRange: ClosedRange<Double> { 3.5...(13.0 + metresPerWorkingPixel) }
    var widthRange: ClosedRange<Double> { 2.0...(3.5 + 2 * metresPerWorkingPixel) }

    /// Vehicles found: where, and how many a patch stands for.
    public struct Found: Sendable, Equatable {
        public enum Kind: Sendable { case light, dark }
        public var kind: Kind
        /// Centre of the patch in the plane.
        public var position: PlanePoint
        /// Metres along the path from its start, and across it (positive to the left).
        public var along: Double
        public var across: Double
        /// Size of the patch, metres along and across the path.
        public var length: Double
        public var width: Double
        /// Vehicles it stands for: 1 for a light vehicle; for a dark patch its area over
        /// `darkVehicleArea`, at least 1.
        public var vehicles: Int
    }

    /// The vehicles on `path` (plane metres, end to end) outside the `members` (centre and
    /// length in metres, the column's vehicles already found); `level(p)` is the working image's
    /// gray level at plane point p, nil outside the imagery. In order along the path.
    public func find(along path: [PlanePoint], members: [(position: PlanePoint, length: Double)],
                     level: (PlanePoint) -> Double?) -> [Found] {
        guard let strip = PathStrip(path: path, members: members, search: self, level: level) else { return [] }
        var found: [Found] = []
        strip.forEachPatch(light: true, ringLimit: maximumLightRing) { patch in
            guard lengthRange.contains(patch.length), widthRange.contains(patch.width), patch.length >= 1.2 * patch.width,
                  !strip.zones.contains(where: { $0.along.contains(patch.along) && $0.across.contains(patch.across) })
            else { return }
            found.append(Found(kind: .light, position: patch.position, along: patch.along, across: patch.across,
                               length: patch.length, width: patch.width, vehicles: 1))
        }
        strip.forEachPatch(light: false, ringLimit: maximumDarkRing) { patch in
            guard patch.length >= 3.5, patch.width >= 2.0, !patch.reachesSides else { return }
            found.append(Found(kind: .dark, position: patch.position, along: patch.along, across: patch.across,
                               length: patch.length, width: patch.width,
                               vehicles: max(1, Int((patch.area / darkVehicleArea).rounded()))))
        }
        return found.sorted { $0.along < $1.along }
    }
}

/// The strip `MissedVehicles` searches: gray levels on a grid along and across a path, the
/// members' bodies and surroundings on it, and the road's level and noise at every cell.
private struct PathStrip {
    let frames: PathFrames
    /// Cell size along and across the path, metres.
    var step: Double { frames.step }
    let side: Int, lanes: Int, rows: Int
    /// Cell (r, l) at index r × lanes + l: point r along, offset (l − side) × step across.
    var value: [Double]
    var body: [Bool]
    var road: [Double]
    /// How far from the road's level a cell must be to stand out.
    var excess: [Double]
    /// Each member's surroundings, metres along and across the path.
    var zones: [(along: ClosedRange<Double>, across: ClosedRange<Double>)] = []
    let minimumFill: Double

    init?(path: [PlanePoint], members: [(position: PlanePoint, length: Double)], search: MissedVehicles,
          level: (PlanePoint) -> Double?) {
        let step = max(0.5, search.metresPerWorkingPixel / 2)
        frames = PathFrames(path, step: step)
        guard frames.count >= 8 else { return nil }
        side = Int((search.halfWidth / step).rounded())
        lanes = 2 * side + 1
        rows = frames.count
        minimumFill = search.minimumFill
        value = [Double](repeating: .nan, count: rows * lanes)
        for r in 0..<rows {
            let f = frames[r]
            for l in 0..<lanes {
                if let v = level(f.point + f.normal * (Double(l - side) * step)) { value[r * lanes + l] = v }
            }
        }
        // each member's body (left out of the search) and its surroundings (left out of the
        // road's level too: blur, shadow, lit parts)
        body = [Bool](repeating: false, count: rows * lanes)
        road = []
        excess = []
        var occupied = body
        for m in members {
            guard let (t, o) = frames.locate(m.position) else { continue }
            let half = m.length / 2
            zones.append(((t - half - search.memberMargin)...(t + half + search.memberMargin), (o - 2.5)...(o + 2.5)))
            mark(zones[zones.count - 1].along, zones[zones.count - 1].across, in: &occupied)
            mark((t - half)...(t + half), (o - 1.25)...(o + 1.25), in: &body)
        }
        // the road's level at each offset, and its noise, from the window read every metre and
        // taken every 4 m (reading every cell made the search cost as much as the detector on a
        // 256 MP image; the level changes over tens of metres); the window's values are kept
        // sorted as it slides (`SortedWindow`), 4 of about 50 in and out per step
        road = [Double](repeating: .nan, count: rows * lanes)
        excess = road
        let reach = max(1, Int(search.window / step)), stride4 = max(1, Int(4.0 / step)), every = max(1, Int((1.0 / step).rounded()))
        var window = SortedWindow()
        for l in 0..<lanes {
            func isGround(_ q: Int) -> Bool { !occupied[q * lanes + l] && !value[q * lanes + l].isNaN }
            // the window holds the cells first, first + every, … through last that are ground
            var first = -1, last = -1
            var r = 0
            while r < rows {
                let lo = max(0, r - reach), hi = min(rows - 1, r + reach)
                let newLast = lo + (hi - lo) / every * every
                if first >= 0 && lo % every == first % every && lo <= last {
                    for q in stride(from: first, to: lo, by: every) where isGround(q) { window.remove(value[q * lanes + l]) }
                    for q in stride(from: last + every, through: newLast, by: every) where isGround(q) { window.insert(value[q * lanes + l]) }
                } else {
                    window.removeAll()
                    for q in stride(from: lo, through: newLast, by: every) where isGround(q) { window.insert(value[q * lanes + l]) }
                }
                first = lo; last = newLast
                var surface = Double.nan, needed = Double.nan
                let n = window.count
                if n >= 8 {
                    surface = window[n * 3 / 4]
                    needed = max(search.contrast, search.noiseMultiple * 1.4826 * window.deviation(at: n / 2, from: n / 2))
                }
                for q in r..<min(rows, r + stride4) { road[q * lanes + l] = surface; excess[q * lanes + l] = needed }
                r += stride4
            }
        }
    }

    /// Marks the cells of a box (metres along and across) in `grid`.
    private func mark(_ along: ClosedRange<Double>, _ across: ClosedRange<Double>, in grid: inout [Bool]) {
        let r0 = max(0, Int((along.lowerBound / step).rounded(.down)))
        let r1 = min(rows - 1, Int((along.upperBound / step).rounded(.up)))
        let l0 = max(0, Int((across.lowerBound / step).rounded(.down)) + side)
        let l1 = min(lanes - 1, Int((across.upperBound / step).rounded(.up)) + side)
        guard r0 <= r1, l0 <= l1 else { return }
        for r in r0...r1 { for l in l0...l1 { grid[r * lanes + l] = true } }
    }

    /// How far cell k stands out from the road's level in the polarity asked for, in gray levels
    /// (nil where either is unknown).
    private func standout(_ k: Int, light: Bool) -> Double? {
        guard !value[k].isNaN, !road[k].isNaN else { return nil }
        return light ? value[k] - road[k] : road[k] - value[k]
    }

    /// Steps to a cell's four neighbours, rows and lanes (a constant, not an array built per cell).
    private static let fourNeighbours = [(-1, 0), (1, 0), (0, -1), (0, 1)]

    struct Patch {
        var position: PlanePoint
        var along: Double, across: Double
        var length: Double, width: Double
        /// Ground area of its cells, metres².
        var area: Double
        /// Whether it reaches the strip's first or last offset.
        var reachesSides: Bool
    }

    /// Calls `body` with every patch of cells standing out (light or dark) that fills
    /// `minimumFill` of its box, has at most `ringLimit` of the ring a metre around it standing
    /// out by half as much, touches no member's body and is not cut by the path's ends.
    func forEachPatch(light: Bool, ringLimit: Double, _ visit: (Patch) -> Void) {
        var standing = [Bool](repeating: false, count: rows * lanes)
        for k in 0..<(rows * lanes) where !self.body[k] {
            if let s = standout(k, light: light), s >= excess[k] { standing[k] = true }
        }
        var seen = [Bool](repeating: false, count: rows * lanes)
        var stack: [Int] = []
        let ringDistance = max(1, Int((1.0 / step).rounded())) // cells in a metre
        for start in 0..<(rows * lanes) where standing[start] && !seen[start] {
            seen[start] = true
            stack.append(start)
            var rMin = rows, rMax = -1, lMin = lanes, lMax = -1, sumR = 0.0, sumL = 0.0, n = 0.0
            var touchesBody = false
            while let k = stack.popLast() {
                let r = k / lanes, l = k % lanes
                rMin = min(rMin, r); rMax = max(rMax, r); lMin = min(lMin, l); lMax = max(lMax, l)
                sumR += Double(r); sumL += Double(l); n += 1
                for (dr, dl) in Self.fourNeighbours {
                    let rr = r + dr, ll = l + dl
                    guard rr >= 0, rr < rows, ll >= 0, ll < lanes else { continue }
                    let kk = rr * lanes + ll
                    if self.body[kk] { touchesBody = true }
                    if standing[kk] && !seen[kk] { seen[kk] = true; stack.append(kk) }
                }
            }
            guard !touchesBody, rMin > 0, rMax < rows - 1 else { continue }
            let fill = n / Double((rMax - rMin + 1) * (lMax - lMin + 1))
            guard fill >= minimumFill else { continue }
            let d = ringDistance
            var ringOut = 0, ringCells = 0
            for r in (rMin - d)...(rMax + d) {
                for l in (lMin - d)...(lMax + d) where r == rMin - d || r == rMax + d || l == lMin - d || l == lMax + d {
                    guard r >= 0, r < rows, l >= 0, l < lanes, !self.body[r * lanes + l],
                          let s = standout(r * lanes + l, light: light) else { continue }
                    ringCells += 1
                    if s >= excess[r * lanes + l] / 2 { ringOut += 1 }
                }
            }
            guard Double(ringOut) <= ringLimit * Double(ringCells) else { continue }
            let f = frames[Int((sumR / n).rounded())]
            let o = (sumL / n - Double(side)) * step
            visit(Patch(position: f.point + f.normal * o, along: f.along, across: o,
                        length: Double(rMax - rMin + 1) * step, width: Double(lMax - lMin + 1) * step,
                        area: n * step * step, reachesSides: lMin == 0 || lMax == lanes - 1))
        }
    }
}
