/// Vehicles lighter than their road, found along the path of a column of resolved vehicles.
///
/// The detector's candidates are dark objects: the top-hat's bright response answers mostly to
/// the road between dark vehicles and to narrow light roads (`VehicleCandidateFilter.acceptsBright`),
/// so sand-coloured vehicles and light tarpaulins on grey asphalt are not candidates — about a
/// fifth of the column vehicles missed at 0.3–1 m per pixel. A column of ten with one of them
/// counted nine and failed `--min-vehicles 10`. Once a column's dark vehicles have shown where
/// its road runs, the road's own level is known along it, and a light vehicle is a patch of
/// vehicle size on the path that stands above that level.
///
/// The search straightens a strip along the path (offsets across it, every half working pixel
/// in both directions), takes the road's level at each offset as the upper quartile along the
/// path around each point (the column's own vehicles left out, and the quartile rather than the
/// median, so that dense vehicles or shadows across the road do not pull the level down and
/// make the road between them look light: fresh2-17), and keeps the connected
/// patches that stand `contrast` (and four times the road's own noise) above it with a vehicle's
/// length and width, filling at least half their box, with road-level ground a metre around
/// them (a verge, a field or a lit crown beside the path is light ground that goes on). A patch
/// centred within a member's surroundings is part of it (a truck's white cab roof, a lit side).
///
/// The rules were chosen on the training scenes (`tune` + `calib`, 0.3–1 m) by matching each
/// patch to the truth (`docs/detector-experiments.md`): near columns, the fill and ring tests kept
/// 25 of 29 light vehicles and dropped 52 of 70 other patches. Patches beyond a column's ends
/// were looked for too and were never a vehicle (0 of 43): the path is not lengthened by them.
public struct LightVehicles: Sendable {
    /// Metres per working pixel (0.3–1.2: vehicles resolved).
    public let metresPerWorkingPixel: Double
    /// Half-width of the strip searched, metres: two lanes of a column two abreast either side of
    /// its centre path.
    public var halfWidth = 4.5
    /// Half-length of the window along the path whose upper quartile is the road's level, metres.
    public var window = 25.0
    /// Gray levels by which a light vehicle stands above its road (asphalt 110–120, sand paint
    /// and tarpaulins 140–190 in 8-bit gray).
    public var contrast = 20.0
    /// How many standard deviations of the road's own level (from its median absolute deviation
    /// along the window) a light vehicle must also stand above it: asphalt varies by a few gray
    /// levels, a forest's crowns or a field's furrows under a chain that is no column by tens.
    public var noiseMultiple = 4.0
    /// Least share of its bounding box a patch fills (a vehicle is a rectangle along its road).
    public var minimumFill = 0.5
    /// Largest share of the ring a metre around a patch that may be light too.
    public var maximumLightRing = 0.2
    /// Margin beyond a member's ends, metres, within which a patch is a part of it (its blur, a
    /// white cab roof) and the ground is not the road's level.
    public var memberMargin = 1.5

    public init(metresPerWorkingPixel: Double) {
        self.metresPerWorkingPixel = metresPerWorkingPixel
    }

    /// Smallest and largest patch that is one vehicle, metres along and across the path: a light
    /// vehicle of 5 × 2.4 m less what blur takes off, a truck of 12 × 3.5 m plus a pixel of blur
    /// each side (narrower patches were mostly road markings and verges).
    var lengthRange: ClosedRange<Double> { 3.5...(13.0 + metresPerWorkingPixel) }
    var widthRange: ClosedRange<Double> { 2.0...(3.5 + 2 * metresPerWorkingPixel) }

    /// A light vehicle found: its centre in the plane and where it lies along the path.
    public struct Found: Sendable, Equatable {
        public var position: PlanePoint
        /// Metres along the path from its start.
        public var along: Double
        /// Metres across the path (positive to the left).
        public var across: Double
        /// Size of its patch, metres along and across the path.
        public var length: Double
        public var width: Double
    }

    /// The light vehicles on `path` (plane metres, end to end) outside the `members` (centre and
    /// length in metres, the column's vehicles already found); `level(p)` is the working image's
    /// gray level at plane point p, nil outside the imagery. In order along the path.
    public func find(along path: [PlanePoint], members: [(position: PlanePoint, length: Double)],
                     level: (PlanePoint) -> Double?) -> [Found] {
        let step = max(0.5, metresPerWorkingPixel / 2)
        let frames = PathFrames(path, step: step)
        guard frames.count >= 8 else { return [] }
        let side = Int((halfWidth / step).rounded())
        let lanes = 2 * side + 1
        let rows = frames.count
        // the strip: value[r * lanes + l] at point r along, offset (l - side) × step across
        var value = [Double](repeating: .nan, count: rows * lanes)
        var occupied = [Bool](repeating: false, count: rows * lanes), body = occupied
        for r in 0..<rows {
            let f = frames[r]
            for l in 0..<lanes {
                let o = Double(l - side) * step
                if let v = level(f.point + f.normal * o) { value[r * lanes + l] = v }
            }
        }
        // each member's body (left out of the search) and its surroundings (left out of the road's
        // level too: blur, shadow, lit parts), in strip coordinates
        var zones: [(along: ClosedRange<Double>, across: ClosedRange<Double>)] = []
        for m in members {
            guard let (t, o) = frames.locate(m.position) else { continue }
            let half = m.length / 2
            zones.append(((t - half - memberMargin)...(t + half + memberMargin), (o - 2.5)...(o + 2.5)))
            func mark(_ along: ClosedRange<Double>, _ span: ClosedRange<Double>, _ grid: inout [Bool]) {
                let r0 = max(0, Int((along.lowerBound / step).rounded(.down)))
                let r1 = min(rows - 1, Int((along.upperBound / step).rounded(.up)))
                let l0 = max(0, Int((span.lowerBound / step).rounded(.down)) + side)
                let l1 = min(lanes - 1, Int((span.upperBound / step).rounded(.up)) + side)
                guard r0 <= r1, l0 <= l1 else { return }
                for r in r0...r1 { for l in l0...l1 { grid[r * lanes + l] = true } }
            }
            mark(zones[zones.count - 1].along, zones[zones.count - 1].across, &occupied)
            mark((t - half)...(t + half), (o - 1.25)...(o + 1.25), &body)
        }
        // the road's level at each offset: the upper quartile along the path around each point,
        // and the noise as the median absolute deviation from the median, taken every
        // `levelStride` rows and held in between
        // (the window read every metre: the level changes over tens of metres, and reading every
        // cell made the search cost as much as the detector on a 256 MP image)
        let reach = max(1, Int(window / step)), levelStride = max(1, Int(4.0 / step)), every = max(1, Int((1.0 / step).rounded()))
        var road = [Double](repeating: .nan, count: rows * lanes), excess = road
        var around: [Double] = []
        around.reserveCapacity(2 * reach + 1)
        for l in 0..<lanes {
            var r = 0
            while r < rows {
                around.removeAll(keepingCapacity: true)
                for q in stride(from: max(0, r - reach), through: min(rows - 1, r + reach), by: every)
                    where !occupied[q * lanes + l] && !value[q * lanes + l].isNaN {
                    around.append(value[q * lanes + l])
                }
                var surface = Double.nan, needed = Double.nan
                if around.count >= 8 {
                    surface = around.orderStatistic(around.count * 3 / 4)
                    let median = around.orderStatistic(around.count / 2)
                    for i in around.indices { around[i] = abs(around[i] - median) }
                    needed = max(contrast, noiseMultiple * 1.4826 * around.orderStatistic(around.count / 2))
                }
                for q in r..<min(rows, r + levelStride) { road[q * lanes + l] = surface; excess[q * lanes + l] = needed }
                r += levelStride
            }
        }
        var light = [Bool](repeating: false, count: rows * lanes)
        for k in 0..<(rows * lanes) where !body[k] && !value[k].isNaN && !road[k].isNaN {
            light[k] = value[k] - road[k] >= excess[k]
        }
        // connected patches (4-neighbours) of light cells
        var seen = [Bool](repeating: false, count: rows * lanes)
        var found: [Found] = []
        var stack: [Int] = []
        for start in 0..<(rows * lanes) where light[start] && !seen[start] {
            seen[start] = true
            stack.append(start)
            var rMin = rows, rMax = -1, lMin = lanes, lMax = -1, sumR = 0.0, sumL = 0.0, n = 0.0
            var touchesBody = false // cut by a member: a part of it, or of a shape not seen whole
            while let k = stack.popLast() {
                let r = k / lanes, l = k % lanes
                rMin = min(rMin, r); rMax = max(rMax, r); lMin = min(lMin, l); lMax = max(lMax, l)
                sumR += Double(r); sumL += Double(l); n += 1
                for (dr, dl) in [(-1, 0), (1, 0), (0, -1), (0, 1)] {
                    let rr = r + dr, ll = l + dl
                    guard rr >= 0, rr < rows, ll >= 0, ll < lanes else { continue }
                    let kk = rr * lanes + ll
                    if body[kk] { touchesBody = true }
                    if light[kk] && !seen[kk] { seen[kk] = true; stack.append(kk) }
                }
            }
            let length = Double(rMax - rMin + 1) * step, width = Double(lMax - lMin + 1) * step
            // the ring of cells a metre outside the patch's box: a vehicle stands alone on its road;
            // a patch with light ground around it is a piece of a verge, a field or a lit crown
            let d = max(1, Int((1.0 / step).rounded()))
            var ringLight = 0, ringCells = 0
            for r in (rMin - d)...(rMax + d) {
                for l in (lMin - d)...(lMax + d) where r == rMin - d || r == rMax + d || l == lMin - d || l == lMax + d {
                    guard r >= 0, r < rows, l >= 0, l < lanes else { continue }
                    let k = r * lanes + l
                    guard !value[k].isNaN, !road[k].isNaN, !body[k] else { continue }
                    ringCells += 1
                    if value[k] - road[k] >= excess[k] / 2 { ringLight += 1 }
                }
            }
            let fill = n / Double((rMax - rMin + 1) * (lMax - lMin + 1))
            guard !touchesBody, fill >= minimumFill, Double(ringLight) <= maximumLightRing * Double(ringCells) else { continue }
            guard lengthRange.contains(length), widthRange.contains(width), length >= 1.2 * width,
                  rMin > 0, rMax < rows - 1 else { continue } // cut off by the path's ends: not judged
            let f = frames[Int((sumR / n).rounded())]
            let o = (sumL / n - Double(side)) * step
            // centred beside a member's body: a part of it (a white cab roof, a lit side)
            guard !zones.contains(where: { $0.along.contains(f.along) && $0.across.contains(o) }) else { continue }
            found.append(Found(position: f.point + f.normal * o, along: f.along, across: o, length: length, width: width))
        }
        return found.sorted { $0.along < $1.along }
    }
}
