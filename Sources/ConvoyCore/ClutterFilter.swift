#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Removes candidates that lie in areal clutter rather than on a line: crowns in a forest, furrows
/// across a field, roofs in a village, vehicles parked in blocks. Around a vehicle in a column,
/// the other candidates within `radius` lie along one line (ahead and behind, and beside it when
/// two or three abreast); in clutter they spread in every direction.
public struct ClutterFilter: Sendable {
    /// Neighbourhood radius, metres.
    public var radius = 40.0
    /// Half-width of the band along the principal direction that counts as "on the line", metres
    /// (three abreast is about ±4 m).
    public var bandHalfWidth = 6.0
    /// Neighbours needed before the test applies: fewer cannot be clutter.
    public var minimumNeighbours = 5
    /// Fraction of neighbours that must lie on the line.
    public var minimumLinearFraction = 0.75

    public init() {}

    /// Indices of the nodes to keep.
    public func keep(_ nodes: [LinkNode]) -> [Int] {
        let grid = SpatialGrid(points: nodes.map(\.position), cell: radius)
        var kept: [Int] = []
        for i in nodes.indices {
            var offsets: [PlanePoint] = []
            grid.forEach(near: nodes[i].position, within: radius) { j, _ in
                if j != i { offsets.append(nodes[j].position - nodes[i].position) }
            }
            if offsets.count < minimumNeighbours || isLinear(offsets) { kept.append(i) }
        }
        return kept
    }

    /// Whether most offsets lie in a band through the origin along their principal direction.
    func isLinear(_ offsets: [PlanePoint]) -> Bool {
        var sxx = 0.0, syy = 0.0, sxy = 0.0
        for o in offsets { sxx += o.x * o.x; syy += o.y * o.y; sxy += o.x * o.y }
        let angle = 0.5 * atan2(2 * sxy, sxx - syy)
        let nx = -sin(angle), ny = cos(angle) // normal to the principal direction
        let onLine = offsets.filter { abs($0.x * nx + $0.y * ny) <= bandHalfWidth }.count
        return Double(onLine) >= minimumLinearFraction * Double(offsets.count)
    }
}
