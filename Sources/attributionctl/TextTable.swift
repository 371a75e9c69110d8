/// A plain-text table: a header row, then rows, columns padded to their widest cell and
/// separated by two spaces; numeric columns are right-aligned so their digits line up.
struct TextTable {
    /// How a column's cells sit in its width.
    enum Alignment {
        /// Text: padded on the right.
        case left
        /// Numbers: padded on the left.
        case right
    }

    /// A column's header and alignment.
    struct Column {
        let title: String
        let alignment: Alignment

        /// A column titled `title`.
        init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    let columns: [Column]
    private(set) var rows: [[String]] = []

    /// An empty table with these columns.
    init(_ columns: [Column]) {
        self.columns = columns
    }

    /// Adds a row; it must have one cell per column.
    mutating func append(_ cells: [String]) {
        precondition(cells.count == columns.count, "a row of \(cells.count) cells in a table of \(columns.count) columns")
        rows.append(cells)
    }

    /// The table as lines joined by newlines, without a trailing newline or trailing spaces;
    /// `header: false` leaves out the titles (for label/value lists).
    func render(header: Bool = true) -> String {
        var widths = columns.map { header ? $0.title.count : 0 }
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (index, cell) in cells.enumerated() {
                if index > 0 { text += "  " }
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                text += columns[index].alignment == .right ? padding + cell : cell + padding
            }
            while text.last == " " { text.removeLast() }
            return text
        }
        return ((header ? [line(columns.map(\.title))] : []) + rows.map(line)).joined(separator: "\n")
    }
}
