/// Connected blobs (8-connectivity) of pixels whose response reaches a threshold, from rows
/// delivered in order, each handed over as soon as it is complete (no run of the next row
/// touches it). Only the blobs still open are held, so memory follows the image's width and
/// its largest blob, not its area. The blobs, their ids and their moments are exactly those
/// `BlobExtraction` finds with the whole image in memory.
struct BlobStream {
    let polarity: Blob.Polarity
    /// Foreground runs seen so far: the next run's number (a blob's id is its first run's).
    private var runCount = 0
    /// Runs of the previous and of the current row, with the slot of the blob each belongs to.
    private var previous: [SlottedRun] = []
    private var current: [SlottedRun] = []
    private var previousY = -2
    /// Union-find over slots; a root slot holds its blob.
    private var parent: [Int32] = []
    private var blobs: [Blob?] = []
    private var seenInRow: [Int] = []
    private var freeSlots: [Int32] = []
    private var merged: [Int32] = [] // slots that stopped being roots in this row

    private struct SlottedRun {
        var x0: Int32, x1: Int32, slot: Int32
    }

    init(polarity: Blob.Polarity) { self.polarity = polarity }

    /// Number of blobs open (started and not yet complete).
    var openBlobs: Int { blobs.count - freeSlots.count }

    /// Adds row `y`'s response; `line` (same width), the line top-hat's response, is kept with
    /// the blobs' pixels.
    mutating func addRow(_ y: Int, response: UnsafeBufferPointer<UInt8>, threshold: UInt8,
                         line: UnsafeBufferPointer<UInt8>? = nil, completed: (Blob) -> Void) {
        if previousY != y - 1 { closeAll(completed) }
        current.removeAll(keepingCapacity: true)
        let n = response.count
        guard let base = response.baseAddress else { return }
        var x = 0
        var p = 0 // sweep over the previous row's runs
        while x < n {
            // skip background 32 pixels at a time (a max-reduction the compiler vectorizes)
            if x + 32 <= n {
                var m: UInt8 = 0
                for i in x..<(x + 32) { m = max(m, base[i]) }
                if m < threshold { x += 32; continue }
            }
            if base[x] < threshold { x += 1; continue }
            let x0 = x
            var m = 0.0
            while x < n && base[x] >= threshold { m += Double(base[x]); x += 1 }
            let run = PixelRun(y: Int32(y), x0: Int32(x0), x1: Int32(x - 1))
            // previous runs touching this one, diagonals included
            while p < previous.count && previous[p].x1 < run.x0 - 1 { p += 1 }
            var q = p
            var slot: Int32 = -1
            while q < previous.count && previous[q].x0 <= run.x1 + 1 {
                let other = find(previous[q].slot)
                if slot < 0 {
                    slot = other
                } else if other != slot {
                    slot = union(slot, other)
                }
                q += 1
            }
            if slot < 0 {
                slot = newSlot(Blob(polarity: polarity, id: runCount, threshold: threshold))
            }
            blobs[Int(slot)]!.add(run, mass: m, line: line.map { UnsafeBufferPointer(rebasing: $0[x0..<x]) })
            runCount += 1
            current.append(SlottedRun(x0: run.x0, x1: run.x1, slot: slot))
        }
        // every current run points at its blob's root; previous blobs not continued are complete
        for i in current.indices {
            let root = find(current[i].slot)
            current[i].slot = root
            seenInRow[Int(root)] = y
        }
        for r in previous {
            let root = find(r.slot)
            if seenInRow[Int(root)] != y, let blob = blobs[Int(root)] {
                completed(blob)
                release(root)
            }
        }
        for s in merged { release(s) }
        merged.removeAll(keepingCapacity: true)
        swap(&previous, &current)
        previousY = y
    }

    /// Hands over the blobs still open (after the last row).
    mutating func finish(_ completed: (Blob) -> Void) { closeAll(completed) }

    private mutating func closeAll(_ completed: (Blob) -> Void) {
        for r in previous {
            let root = find(r.slot)
            if let blob = blobs[Int(root)] {
                completed(blob)
                release(root)
            }
        }
        for s in merged { release(s) }
        merged.removeAll(keepingCapacity: true)
        previous.removeAll(keepingCapacity: true)
    }

    private mutating func newSlot(_ blob: Blob) -> Int32 {
        if let s = freeSlots.popLast() {
            parent[Int(s)] = s
            blobs[Int(s)] = blob
            seenInRow[Int(s)] = -1
            return s
        }
        let s = Int32(blobs.count)
        parent.append(s)
        blobs.append(blob)
        seenInRow.append(-1)
        return s
    }

    private mutating func release(_ s: Int32) {
        blobs[Int(s)] = nil
        parent[Int(s)] = s
        seenInRow[Int(s)] = -1
        freeSlots.append(s)
    }

    private mutating func find(_ s: Int32) -> Int32 {
        var s = s
        while parent[Int(s)] != s {
            parent[Int(s)] = parent[Int(parent[Int(s)])]
            s = parent[Int(s)]
        }
        return s
    }

    /// Joins two roots; the larger blob's storage absorbs the smaller's. Returns the new root.
    private mutating func union(_ a: Int32, _ b: Int32) -> Int32 {
        var keep = a, drop = b
        if blobs[Int(a)]!.runs.count < blobs[Int(b)]!.runs.count { swap(&keep, &drop) }
        let dropped = blobs[Int(drop)]!
        blobs[Int(drop)] = nil
        blobs[Int(keep)]!.merge(dropped)
        parent[Int(drop)] = keep
        merged.append(drop)
        return keep
    }
}
