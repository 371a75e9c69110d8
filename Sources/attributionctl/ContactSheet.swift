import DiffusionModel

/// A picture of queries and the training images behind them: a title line, then one row per
/// query — the query's tile, a gap, and its top-k training tiles — each tile an enlarged image
/// with a caption of up to three lines in the 5×7 font.
struct ContactSheet {
    /// One cell: an image (already enlarged), or nil for a grey "no image" box, and its caption.
    struct Tile {
        var image: RGBImage?
        var caption: [String]
    }

    /// A query and the tiles of its training examples, best first.
    struct Row {
        var query: Tile
        var matches: [Tile]
    }

    /// Space around the sheet and below the title.
    static let margin = 8
    /// Space between cells, and between rows.
    static let gap = 6
    /// Extra space between a query and its first match.
    static let separator = 14
    /// Caption lines drawn under each image.
    static let captionLines = 3
    /// A caption line's height: the font's 7 pixels and 2 of leading.
    static let lineHeight = RGBImage.textHeight() + 2
    /// The narrowest cell, so captions of about 16 characters fit under small images.
    static let minimumCellWidth = RGBImage.textWidth(String(repeating: "0", count: 16))
    /// The title's text scale.
    static let titleScale = 2

    let title: String
    let rows: [Row]
    /// A cell's width: the widest image, or enough for a caption.
    let cellWidth: Int
    /// The height of a cell's image area: the tallest image, or a square box when none came.
    let imageAreaHeight: Int
    /// Columns: the query and the most matches of any row.
    let columns: Int

    /// A sheet of `rows` (at least one) under `title`.
    init(title: String, rows: [Row]) {
        precondition(!rows.isEmpty, "a contact sheet needs at least one row")
        self.title = title
        self.rows = rows
        let images = rows.flatMap { [$0.query] + $0.matches }.compactMap(\.image)
        cellWidth = max(images.map(\.width).max() ?? 0, Self.minimumCellWidth)
        imageAreaHeight = images.map(\.height).max() ?? Self.minimumCellWidth
        columns = 1 + (rows.map(\.matches.count).max() ?? 0)
    }

    /// A cell's height, captions included.
    var cellHeight: Int { imageAreaHeight + 3 + Self.captionLines * Self.lineHeight }

    /// The top-left corner of cell (`row`, `column`); column 0 is the query.
    func cellOrigin(row: Int, column: Int) -> (x: Int, y: Int) {
        let x = Self.margin + (column == 0 ? 0 : cellWidth + Self.separator + (column - 1) * (cellWidth + Self.gap))
        let y = Self.margin * 2 + RGBImage.textHeight(scale: Self.titleScale) + row * (cellHeight + Self.gap)
        return (x, y)
    }

    /// The whole sheet's size.
    var size: (width: Int, height: Int) {
        let last = cellOrigin(row: rows.count - 1, column: columns - 1)
        let titleWidth = RGBImage.textWidth(title, scale: Self.titleScale) + 2 * Self.margin
        return (max(last.x + cellWidth + Self.margin, titleWidth), last.y + cellHeight + Self.margin)
    }

    /// Draws the sheet on white.
    func render() -> RGBImage {
        let (width, height) = size
        var sheet = RGBImage(width: width, height: height, grey: 255)
        sheet.draw(text: title, x: Self.margin, y: Self.margin, scale: Self.titleScale)
        for (rowIndex, row) in rows.enumerated() {
            for (column, tile) in ([row.query] + row.matches).enumerated() {
                draw(tile, at: cellOrigin(row: rowIndex, column: column), on: &sheet)
            }
        }
        return sheet
    }

    private func draw(_ tile: Tile, at origin: (x: Int, y: Int), on sheet: inout RGBImage) {
        if let image = tile.image {
            sheet.paste(image, x: origin.x, y: origin.y)
        } else {
            sheet.fill(x: origin.x, y: origin.y, width: cellWidth, height: imageAreaHeight, colour: (200, 200, 200))
            sheet.draw(text: "NO IMAGE", x: origin.x + 2, y: origin.y + 2)
        }
        let fitting = (cellWidth + 1) / 6
        for (line, text) in tile.caption.prefix(Self.captionLines).enumerated() {
            sheet.draw(text: String(text.prefix(fitting)), x: origin.x, y: origin.y + imageAreaHeight + 3 + line * Self.lineHeight)
        }
    }
}
