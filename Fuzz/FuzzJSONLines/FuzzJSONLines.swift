// libFuzzer harness: the JSON Lines reader behind `batch --out` resume and `merge`. Feeds each
// input as the bytes of a results file (records torn by a kill, garbage, huge or deeply nested
// lines are all expected) to BatchRecord.parseLines, with a 1 MiB line limit so that the fuzzer
// explores long lines without exhausting memory. Problems are a correct outcome; a crash, a trap
// or a hang is a finding, as is a record that cannot be written back as one line and read again.
// Build and run: Scripts/fuzz.sh FuzzJSONLines
import ConvoyBatch
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    let (records, problems) = BatchRecord.parseLines(bytes, maxLineBytes: 1 << 20)
    let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
    precondition(records.count + problems.count <= lines, "more records and problems than lines")
    for record in records {
        guard let line = try? record.line() else { continue } // a non-finite number: refused, not written
        let again = BatchRecord.parseLines(line)
        precondition(again.records.count == 1 && again.problems.isEmpty, "a record written back does not read again")
        precondition(again.records[0].path == record.path && again.records[0].ok == record.ok, "a record changed on the way")
    }
    return 0
}
