extension VehicleCandidateFilter {
    /// The vehicles inside a streak where vehicles are not resolved: the parts of the streak that
    /// the line top-hat (`LineTopHatStream`) still answers, at the streak's own foreground
    /// threshold, each of a vehicle's size. Empty when the streak has no line response (vehicles
    /// resolved) or none of it stands out: a hedge, a ditch, a road strip between bright verges
    /// with nothing on it, or a column packed so densely that no segment finds road between its
    /// vehicles.
    ///
    /// Why: at 1.5–3 m per pixel a road's grey strip between bright verges or snow banks is
    /// narrower than the square top-hat and answers it as a streak, with the vehicles on it only
    /// its darker parts (the 64 km reconstruction); cut into 10 m pieces, a column on such a road
    /// is indistinguishable from a hedge. The line response removes the strip and keeps the
    /// vehicles, each against the road surface around it.
    func dips(of blob: Blob, index: Int) -> [VehicleCandidate] {
        guard !resolvesShape, blob.line.count == Int(blob.area), let first = blob.runs.first else { return [] }
        var minX = first.x0, maxX = first.x1, minY = first.y, maxY = first.y
        for r in blob.runs {
            minX = min(minX, r.x0); maxX = max(maxX, r.x1); minY = min(minY, r.y); maxY = max(maxY, r.y)
        }
        let w = Int(maxX - minX) + 1, h = Int(maxY - minY) + 1
        // the streak's line response on its bounding box (zero off the streak), in row order
        var raster = [UInt8](repeating: 0, count: w * h)
        var k = 0
        for r in blob.runs {
            let row = Int(r.y - minY) * w
            for x in Int(r.x0)...Int(r.x1) {
                raster[row + x - Int(minX)] = blob.line[k]
                k += 1
            }
        }
        var labeller = RunLabeller(polarity: .dark)
        raster.withUnsafeBufferPointer { p in
            for y in 0..<h { labeller.addRow(y, response: UnsafeBufferPointer(rebasing: p[(y * w)..<((y + 1) * w)]), threshold: blob.threshold) }
        }
        return labeller.blobs().compactMap { vehicle($0, origin: (Double(minX), Double(minY)), index: index) }
    }
}
