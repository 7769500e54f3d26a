/// Left-aligned columns for terminal output. A row shorter than the header (an error line)
/// runs its last cell across the remaining columns.
struct TextTable {
    let header: [String]
    let rows: [[String]]

    func render() -> String {
        var widths = header.map(\.count)
        for row in rows where row.count == header.count {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        for row in rows where row.count < header.count {
            widths[0] = max(widths[0], row.first?.count ?? 0)
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}
