import Foundation

/// Splits a JSON Lines byte stream into lines as it arrives, holding at most one line (and
/// none beyond `maxLineBytes`).
///
/// Why: `convoy batch` resuming and `convoy merge` read result files that a batch over millions
/// of images makes gigabytes long; read whole (and copied once more to scan it) a 123 MB file
/// took 471 MB to merge (README, *Performance*).
struct LineSplitter {
    /// A line without its newline (and without a carriage return before it), or the length of
    /// one longer than `maxLineBytes`, which is not kept.
    enum Line: Equatable {
        case text(Data)
        case tooLong(bytes: Int)
    }

    let maxLineBytes: Int
    private var current: [UInt8] = []
    /// Bytes of the current line seen so far, kept or not.
    private var seen = 0
    private var lastByte: UInt8 = 0
    private var number = 0

    init(maxLineBytes: Int) { self.maxLineBytes = maxLineBytes }

    /// Takes the next bytes of the stream; `emit(number, line, isLast)` gets each line they
    /// complete (1-based numbers, `isLast` false).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, _ emit: (Int, Line, Bool) throws -> Void) rethrows {
        var start = 0
        while start < bytes.count {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.count
            take(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            if newline != nil { try complete(isLast: false, emit) }
            start = end + 1
        }
    }

    /// The end of the stream: the last line when it has no newline (`isLast` true).
    mutating func finish(_ emit: (Int, Line, Bool) throws -> Void) rethrows {
        if seen > 0 { try complete(isLast: true, emit) }
    }

    private mutating func take(_ part: UnsafeRawBufferPointer) {
        guard !part.isEmpty else { return }
        // a carriage return kept for now is dropped at the line's end; one byte past the limit is
        // kept so that a line of the limit's length plus "\r" is not taken for too long
        let room = maxLineBytes + 1 - current.count
        if room > 0 { current.append(contentsOf: part.prefix(room)) }
        seen += part.count
        lastByte = part[part.count - 1]
    }

    private mutating func complete(isLast: Bool, _ emit: (Int, Line, Bool) throws -> Void) rethrows {
        number += 1
        let length = seen - (seen > 0 && lastByte == 0x0D ? 1 : 0)
        let line: Line
        if length > maxLineBytes {
            line = .tooLong(bytes: length)
        } else {
            line = .text(Data(current[0..<length]))
        }
        current.removeAll(keepingCapacity: current.count <= 1 << 16)
        seen = 0
        lastByte = 0
        try emit(number, line, isLast)
    }
}
