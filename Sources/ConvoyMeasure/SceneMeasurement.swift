import ConvoyCore
import ConvoyGeo
import Foundation

/// The result of measuring a set of images: the images, every convoy found (longest first) and
/// the vehicle candidates behind them.
public struct SceneMeasurement: Sendable {
    public let images: [SceneImage]
    public let convoys: [MeasuredConvoy]
    /// With `--explain`: columns found but not reported, longest first, each with its `rejection`.
    public let notReported: [MeasuredConvoy]
    /// Columns found but not reported because their confidence is below `--min-confidence`.
    public let columnsBelowMinConfidence: Int
    /// That threshold.
    public let minConfidence: Double
    /// The plane of the georeferenced images, nil when there are none.
    let plane: ScenePlane?

    /// Measures `paths` as one scene when they are georeferenced (columns crossing tile edges are
    /// joined, vehicles seen in two overlapping tiles counted once), or each on its own with
    /// `--gsd`.
    public static func measure(paths: [String], options: MeasureOptions) throws -> SceneMeasurement {
        let detector = ConvoyDetector(parameters: options.detection)
        let images = try paths.enumerated().map { k, path in
            options.progress?(.readingImage(number: k + 1, count: paths.count, path: path))
            return try SceneImage(path: path, options: options, detector: detector)
        }
        options.progress?(.linking(candidates: images.reduce(0) { $0 + $1.candidates.count }))
        let georeferenced = images.indices.filter { if case .georeferenced = images[$0].scale { true } else { false } }
        let gsdOnly = images.indices.filter { !georeferenced.contains($0) }
        var convoys: [MeasuredConvoy] = []
        var plane: ScenePlane?
        if !georeferenced.isEmpty {
            plane = try scenePlane(images, georeferenced)
            convoys += try measureGeoreferenced(images, georeferenced, plane: plane!, detector: detector, options: options)
        }
        for index in gsdOnly {
            convoys += try measureUnreferenced(images, index, detector: detector, options: options)
        }
        // longest first; equal lengths (tiles of a regular scene) in a fixed order by their first point
        convoys.sort { a, b in
            if a.lengthMetres != b.lengthMetres { return a.lengthMetres > b.lengthMetres }
            let pa = a.path?.first.map { [$0.lat, $0.lon] } ?? a.pathPixels?.first.map { [$0.y, $0.x] } ?? []
            let pb = b.path?.first.map { [$0.lat, $0.lon] } ?? b.pathPixels?.first.map { [$0.y, $0.x] } ?? []
            return pa.lexicographicallyPrecedes(pb)
        }
        let threshold = options.detection.minConfidence
        var belowThreshold = 0
        for i in convoys.indices where convoys[i].rejection == nil && convoys[i].confidence < threshold {
            convoys[i].rejection = .lowConfidence(convoys[i].confidence, threshold: threshold)
            belowThreshold += 1
        }
        try rejectDuplicates(&convoys, images: images, plane: plane)
        return SceneMeasurement(images: images, convoys: convoys.filter { $0.rejection == nil },
                                notReported: options.explain ? convoys.filter { $0.rejection != nil } : [],
                                columnsBelowMinConfidence: belowThreshold, minConfidence: threshold, plane: plane)
    }

    /// Marks every reported convoy that runs mostly along a longer reported one (`ColumnOverlap`),
    /// in the scene's plane, or within its image for images measured with `--gsd`. `convoys` are
    /// longest first; those already rejected neither count nor hide others.
    static func rejectDuplicates(_ convoys: inout [MeasuredConvoy], images: [SceneImage], plane: ScenePlane?) throws {
        var overlaps: [Int: ColumnOverlap] = [:] // -1: the georeferenced scene, else the image
        for i in convoys.indices where convoys[i].rejection == nil {
            let key: Int, path: [PlanePoint]
            if let lonLats = convoys[i].path, let plane {
                key = -1
                path = try plane.points(lonLats)
            } else if let pixels = convoys[i].pathPixels, let image = convoys[i].images.first {
                key = image
                let g = images[image].metresPerPixel
                path = pixels.map { PlanePoint(x: $0.x * g, y: $0.y * g) }
            } else { continue }
            let share = overlaps[key, default: ColumnOverlap()].share(of: path)
            if share > ColumnOverlap.maximumShare {
                convoys[i].rejection = .besideLongerConvoy(fraction: share)
            } else {
                overlaps[key, default: ColumnOverlap()].add(path)
            }
        }
    }

    /// Candidates placed in the plane of a georeferenced scene, duplicates from overlapping
    /// tiles removed. A mosaic has hundreds of thousands (forest crowns, furrows): each names its
    /// candidate in its image's list rather than copying it (the 64 km tiles: about 600,000
    /// candidates; with the duplicates' grid in 30 m cells, peak RSS 529 → 479 MB).
    struct PlacedCandidate {
        var image: Int
        /// Index in `images[image].candidates`.
        var index: Int
        var node: LinkNode
    }

    /// The plane of a georeferenced scene, centred on the mean of its images' centres.
    static func scenePlane(_ images: [SceneImage], _ indices: [Int]) throws -> ScenePlane {
        var centres: [LonLat] = []
        for i in indices {
            guard case let .georeferenced(g) = images[i].scale else { continue }
            centres.append(try g.lonLat(of: PixelPoint(x: Double(images[i].header.width) / 2,
                                                       y: Double(images[i].header.height) / 2)))
        }
        let centre = LonLat(lon: centres.map(\.lon).reduce(0, +) / Double(centres.count),
                            lat: centres.map(\.lat).reduce(0, +) / Double(centres.count))
        return try ScenePlane(centre: centre)
    }

    static func measureGeoreferenced(_ images: [SceneImage], _ indices: [Int], plane: ScenePlane, detector: ConvoyDetector,
                                     options: MeasureOptions) throws -> [MeasuredConvoy] {
        var placed: [PlacedCandidate] = []
        for i in indices {
            guard case let .georeferenced(g) = images[i].scale else { continue }
            let cs = images[i].candidates
            guard !cs.isEmpty else { continue }
            let step = 3.0 * Double(images[i].workingFactor)
            var pixels: [PixelPoint] = []
            for c in cs {
                pixels.append(PixelPoint(x: c.pixelX, y: c.pixelY))
                let a = c.pixelAngle ?? 0
                pixels.append(PixelPoint(x: c.pixelX + step * cos(a), y: c.pixelY + step * sin(a)))
            }
            let points = try plane.points(try g.lonLats(of: pixels))
            for (k, c) in cs.enumerated() {
                let p = points[2 * k], q = points[2 * k + 1]
                let axis = c.pixelAngle.map { _ in atan2(q.y - p.y, q.x - p.x) }
                placed.append(PlacedCandidate(image: i, index: k, node: LinkNode(
                    position: p, axis: axis, length: c.lengthMetres, isStreakPiece: c.kind == .streakPiece,
                    shapeResolved: images[i].resolvesShape)))
            }
        }
        placed = removeDuplicates(placed)
        let counts = ConvoyDetector.vehicleCounts(placed.map { images[$0.image].candidates[$0.index] })
        let masses = placed.map { images[$0.image].candidates[$0.index].mass }
        let nodes = placed.map(\.node)
        var footprints: [Int: ImageFootprint] = [:]
        for i in indices {
            guard case let .georeferenced(g) = images[i].scale else { continue }
            footprints[i] = try? ImageFootprint(georeference: g, width: images[i].header.width, height: images[i].header.height,
                                                plane: plane)
        }
        let sample: ([PlanePoint]) -> [Double?] = {
            (try? sampleScene($0, plane: plane, images: images, indices: indices, footprints: footprints))
                ?? [Double?](repeating: nil, count: $0.count)
        }
        let ground = try SceneGround(images: images, indices: indices, plane: plane)
        let workingGSD = indices.map { images[$0].metresPerPixel * Double(images[$0].workingFactor) }.max() ?? 1
        // a column's evidence is read at the coarsest working pixels of the images holding its
        // members, when it is judged for joining as when it is reported (a mosaic may mix sizes)
        func imagesOf(_ column: Column) -> [Int] { Array(Set(column.members.map { placed[$0].image })).sorted() }
        func columnWorkingGSD(_ column: Column) -> Double {
            imagesOf(column).map { images[$0].metresPerPixel * Double(images[$0].workingFactor) }.max() ?? 1
        }
        let columns = roadTested(detector.screenedColumns(nodes: nodes, counts: counts, masses: masses,
                                                          ground: ground.level, workingGSD: workingGSD,
                                                          credibility: credibility(nodes: nodes, detector: detector,
                                                                                   workingGSD: columnWorkingGSD, sample: sample)),
                                 nodes: nodes, sample: sample, explain: options.explain)
        return try columns.map { column, score, resolved, rejection in
            let path = try plane.lonLats(column.path)
            let imageIndices = imagesOf(column)
            let workingGSD = columnWorkingGSD(column)
            var evidence = detector.evidence(for: column, nodes: nodes, workingGSD: workingGSD, road: score)
            evidence.blobs_two_abreast = rejection != nil ? nil : twoAbreast(column) {
                (images[placed[$0].image].candidates[placed[$0].index], images[placed[$0].image].resolvesShape)
            }
            let abreast = evidence.blobs_two_abreast ?? 0
            var convoy = MeasuredConvoy(
                lengthMetres: Geodesic.wgs84.length(of: path), lengthUncertaintyMetres: 0,
                vehicles: column.vehicles + abreast, vehiclesEstimated: column.vehiclesEstimated || abreast > 0,
                evidence: evidence,
                head: path.first, tail: path.last, headAtImageEdge: false, tailAtImageEdge: false, target: nil,
                path: path, pathPixels: nil, images: imageIndices, rejection: rejection)
            convoy.lengthUncertaintyMetres = LengthUncertainty.metres(length: convoy.lengthMetres, workingGSD: workingGSD,
                                                                      resolved: resolved)
            if let found = column.foundOnPath, !found.isEmpty {
                let at = try plane.lonLats(found.map(\.position))
                convoy.vehiclesOnPath = try zip(found, at).compactMap { f, position in
                    // in the first of the convoy's images (then of the scene's) that holds it
                    for i in imageIndices + indices {
                        guard case let .georeferenced(g) = images[i].scale else { continue }
                        let p = try g.pixel(of: position)
                        if p.x >= 0 && p.y >= 0 && p.x <= Double(images[i].header.width) && p.y <= Double(images[i].header.height) {
                            return VehicleOnPath(image: i, pixelX: p.x, pixelY: p.y, lengthMetres: f.length, widthMetres: f.width,
                                                 isLight: f.kind == .light, vehicles: f.vehicles)
                        }
                    }
                    return nil
                }
            }
            convoy.headAtImageEdge = try atImageEdge(column.path, fromStart: true, plane: plane, images: images, indices: indices)
            convoy.tailAtImageEdge = try atImageEdge(column.path, fromStart: false, plane: plane, images: images, indices: indices)
            orient(&convoy, towards: options.target)
            return convoy
        }
    }

    static func measureUnreferenced(_ images: [SceneImage], _ index: Int, detector: ConvoyDetector,
                                    options: MeasureOptions) throws -> [MeasuredConvoy] {
        let image = images[index]
        let plane = ScenePlane(metresPerPixel: image.metresPerPixel)
        let cs = image.candidates
        let nodes = cs.map { c in
            LinkNode(position: plane.point(pixelX: c.pixelX, pixelY: c.pixelY), axis: c.pixelAngle,
                     length: c.lengthMetres, isStreakPiece: c.kind == .streakPiece, shapeResolved: image.resolvesShape)
        }
        let counts = ConvoyDetector.vehicleCounts(cs)
        let gray = image.gray
        func sample(_ points: [PlanePoint]) -> [Double?] {
            points.map { p in
                let x = Int(p.x / image.metresPerPixel / Double(gray.factor)), y = Int(p.y / image.metresPerPixel / Double(gray.factor))
                return x >= 0 && y >= 0 && x < gray.width && y < gray.height ? Double(gray[x, y]) : nil
            }
        }
        func ground(_ p: PlanePoint) -> GroundSample? {
            guard p.x >= 0, p.y >= 0 else { return nil }
            let x = Int(p.x / image.metresPerPixel / Double(gray.factor)), y = Int(p.y / image.metresPerPixel / Double(gray.factor))
            guard x < gray.width && y < gray.height else { return nil }
            return GroundSample(level: Double(gray[x, y]), chroma: image.chroma.map { Double($0[x, y]) })
        }
        let workingGSD = image.metresPerPixel * Double(image.workingFactor)
        let columns = roadTested(detector.screenedColumns(nodes: nodes, counts: counts, masses: cs.map(\.mass),
                                                          ground: ground, workingGSD: workingGSD,
                                                          credibility: credibility(nodes: nodes, detector: detector,
                                                                                   workingGSD: { _ in workingGSD }, sample: sample)),
                                 nodes: nodes, sample: sample, explain: options.explain)
        return columns.map { column, score, resolved, rejection in
            let pixels = column.path.map { PixelPoint(x: $0.x / image.metresPerPixel, y: $0.y / image.metresPerPixel) }
            let width = Double(image.header.width), height = Double(image.header.height)
            func atEdge(_ p: PixelPoint) -> Bool {
                let margin = 25 / image.metresPerPixel
                return p.x < margin || p.y < margin || p.x > width - margin || p.y > height - margin
            }
            var evidence = detector.evidence(for: column, nodes: nodes, workingGSD: workingGSD, road: score)
            evidence.blobs_two_abreast = rejection != nil ? nil : twoAbreast(column) { (cs[$0], image.resolvesShape) }
            let abreast = evidence.blobs_two_abreast ?? 0
            var convoy = MeasuredConvoy(
                lengthMetres: column.planeLength,
                lengthUncertaintyMetres: LengthUncertainty.metres(length: column.planeLength, workingGSD: workingGSD,
                                                                  resolved: resolved),
                vehicles: column.vehicles + abreast, vehiclesEstimated: column.vehiclesEstimated || abreast > 0,
                evidence: evidence,
                head: nil, tail: nil, headAtImageEdge: atEdge(pixels[0]), tailAtImageEdge: atEdge(pixels[pixels.count - 1]),
                target: nil, path: nil, pathPixels: pixels, images: [index], rejection: rejection)
            convoy.vehiclesOnPath = (column.foundOnPath ?? []).map { f in
                VehicleOnPath(image: index, pixelX: f.position.x / image.metresPerPixel, pixelY: f.position.y / image.metresPerPixel,
                              lengthMetres: f.length, widthMetres: f.width, isLight: f.kind == .light, vehicles: f.vehicles)
            }
            return convoy
        }
    }

    /// How many of a reported column's members are blobs of two vehicles abreast
    /// (`ConvoyDetector.isTwoAbreast`; each adds a vehicle to its count); nil where none of them
    /// resolves shapes. `member(i)` is member i's candidate and whether its image resolves shapes.
    static func twoAbreast(_ column: Column, member: (Int) -> (VehicleCandidate, resolvesShape: Bool)) -> Int? {
        let members = column.members.map(member)
        guard members.contains(where: \.resolvesShape) else { return nil }
        return members.filter { ConvoyDetector.isTwoAbreast($0.0, resolvesShape: $0.resolvesShape) }.count
    }

    /// Working-image gray levels at plane points of a georeferenced scene (nil outside every image):
    /// each point from the first of `indices` that holds it. An image with a footprint is asked
    /// only about the points inside it.
    static func sampleScene(_ points: [PlanePoint], plane: ScenePlane, images: [SceneImage], indices: [Int],
                            footprints: [Int: ImageFootprint] = [:]) throws -> [Double?] {
        let positions = try plane.lonLats(points)
        var out = [Double?](repeating: nil, count: points.count)
        for i in indices {
            guard case let .georeferenced(g) = images[i].scale else { continue }
            let gray = images[i].gray, f = Double(gray.factor)
            let footprint = footprints[i]
            for (k, position) in positions.enumerated() where out[k] == nil && footprint?.contains(points[k]) != false {
                guard let p = try? g.pixel(of: position) else { continue }
                let x = Int(p.x / f), y = Int(p.y / f)
                if p.x >= 0, p.y >= 0, x < gray.width, y < gray.height { out[k] = Double(gray[x, y]) }
            }
        }
        return out
    }

    /// Keeps one of any two candidates from different images within 3 m of each other (the
    /// same vehicle seen in two overlapping tiles).
    static func removeDuplicates(_ placed: [PlacedCandidate]) -> [PlacedCandidate] {
        guard Set(placed.map(\.image)).count > 1 else { return placed }
        // cells of 30 m, not 3: one cell per candidate cost a bucket array each
        let grid = SpatialGrid(points: placed.map(\.node.position), cell: 30)
        var keep = [Bool](repeating: true, count: placed.count)
        for i in placed.indices where keep[i] {
            grid.forEach(near: placed[i].node.position, within: 3) { j, _ in
                if j > i && placed[j].image != placed[i].image { keep[j] = false }
            }
        }
        return placed.indices.filter { keep[$0] }.map { placed[$0] }
    }

    /// The columns that meet the detector's tests and stand on a road (`RoadSupport`), with their
    /// scores and whether most of their members are vehicles seen one by one (which sets the road
    /// test's thresholds and the length's uncertainty). With `explain`, also the longest of the
    /// others (`explainedColumns`), each with the test it failed.
    static func roadTested(_ screened: [(column: Column, rejection: ColumnRejection?)], nodes: [LinkNode],
                           sample: ([PlanePoint]) -> [Double?], explain: Bool)
        -> [(column: Column, score: RoadSupport.Score, resolved: Bool, rejection: ColumnRejection?)] {
        let listed = explain ? Array(screened.filter { $0.rejection != nil && $0.column.members.count >= 5 && $0.column.planeLength >= 100 }
            .prefix(explainedColumns)) : []
        return (screened.filter { $0.rejection == nil } + listed).compactMap { column, rejection in
            let (support, score, resolved) = roadTest(column, nodes: nodes, sample: sample)
            if rejection != nil || support.accepts(score) { return (column, score, resolved, rejection) }
            return explain ? (column, score, resolved, .notOnRoad(score, support)) : nil
        }
    }

    /// The road test a column gets (`RoadSupport`, its thresholds set by whether most members are
    /// vehicles seen one by one), its score, and that choice.
    static func roadTest(_ column: Column, nodes: [LinkNode], sample: ([PlanePoint]) -> [Double?])
        -> (support: RoadSupport, score: RoadSupport.Score, resolved: Bool) {
        let resolved = Column.mostlyResolved(column.members, nodes)
        let support = RoadSupport(resolved: resolved)
        return (support, support.evaluate(path: column.path, members: column.members.map { nodes[$0].position }, sample: sample), resolved)
    }

    /// A column's confidence as it would be reported (`ConvoyConfidence`), nil when it fails the
    /// road test: how the detector weighs joining pieces of a column (`ColumnJoining`).
    static func credibility(nodes: [LinkNode], detector: ConvoyDetector, workingGSD: @escaping (Column) -> Double,
                            sample: @escaping ([PlanePoint]) -> [Double?]) -> (Column) -> Double? {
        { column in
            let (support, score, _) = roadTest(column, nodes: nodes, sample: sample)
            guard support.accepts(score) else { return nil }
            return ConvoyConfidence.probability(detector.evidence(for: column, nodes: nodes, workingGSD: workingGSD(column),
                                                                  road: score))
        }
    }

    /// Most columns listed as not reported with `--explain` (the longest, of those with at least
    /// 5 members and 100 m that the detector's tests rejected, plus every one that failed the
    /// road test or the confidence threshold).
    public static let explainedColumns = 20

    /// Whether the path's end lies within 25 m of the edge of the imagery: a point 25 m further
    /// on is in no image.
    static func atImageEdge(_ path: [PlanePoint], fromStart: Bool, plane: ScenePlane, images: [SceneImage],
                            indices: [Int]) throws -> Bool {
        guard path.count >= 2 else { return false }
        let end = fromStart ? path[0] : path[path.count - 1]
        let inner = fromStart ? path[1] : path[path.count - 2]
        let d = end - inner
        let beyond = end + d * (25 / max(1e-9, d.length))
        let position = try plane.lonLats([beyond])[0]
        for i in indices {
            guard case let .georeferenced(g) = images[i].scale else { continue }
            let p = try g.pixel(of: position)
            if p.x >= 0 && p.y >= 0 && p.x <= Double(images[i].header.width) && p.y <= Double(images[i].header.height) {
                return false
            }
        }
        return true
    }

    /// With a target, makes the end nearest it the head and measures the distance and bearing.
    static func orient(_ convoy: inout MeasuredConvoy, towards target: PlaceOrCoordinate?) {
        guard let target, let head = convoy.head, let tail = convoy.tail else { return }
        let toHead = Geodesic.wgs84.inverse(from: head, to: target.position).distance
        let toTail = Geodesic.wgs84.inverse(from: tail, to: target.position).distance
        if toTail < toHead {
            convoy.head = tail
            convoy.tail = head
            convoy.path?.reverse()
            swap(&convoy.headAtImageEdge, &convoy.tailAtImageEdge)
        }
        let line = Geodesic.wgs84.inverse(from: convoy.head!, to: target.position)
        convoy.target = TargetDistance(name: target.name, position: target.position, distanceMetres: line.distance,
                                       bearingDegrees: line.initialBearing)
    }
}
