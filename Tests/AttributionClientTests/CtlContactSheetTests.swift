import AttributionProtocol
import DiffusionModel
import Testing
@testable import attributionctl

/// The contact sheet composer: layout, pixels of known cells, captions.
@Suite struct CtlContactSheetTests {
    /// A 2×2 RGB image `[3, 2, 2]` of one colour per pixel, values in [-1, 1].
    static func plane(_ colours: [(Float, Float, Float)]) -> [Float] {
        colours.map(\.0) + colours.map(\.1) + colours.map(\.2)
    }

    static func solid(_ grey: Float, scale: Int) -> RGBImage? {
        TileImages.rgb(values: [Float](repeating: grey, count: 4), shape: [1, 2, 2], scale: scale)
    }

    @Test func tilesAreEnlargedByRepeatingPixels() throws {
        let values = Self.plane([(-1, -1, -1), (1, -1, -1), (-1, 1, -1), (-1, -1, 1)])
        let tile = try #require(TileImages.rgb(values: values, shape: [3, 2, 2], scale: 4))
        #expect(tile.width == 8 && tile.height == 8)
        #expect(tile[0, 0] == (0, 0, 0))
        #expect(tile[5, 1] == (255, 0, 0))
        #expect(tile[3, 7] == (0, 255, 0))
        #expect(tile[7, 7] == (0, 0, 255))
        #expect(TileImages.rgb(values: [0, 0], shape: [2, 1, 1], scale: 1) == nil)
        #expect(TileImages.scale(height: 8, width: 8) == 8)
        #expect(TileImages.scale(height: 28, width: 28) == 3)
        #expect(TileImages.scale(height: 128, width: 96) == 1)
    }

    @Test func layoutAndPixelsOfKnownCells() throws {
        let query = ContactSheet.Tile(image: Self.solid(1, scale: 4), caption: ["QUERY 1"])
        let dark = ContactSheet.Tile(image: Self.solid(-1, scale: 4), caption: ["#1 0.5", "ALICE", "ID 3"])
        let mid = ContactSheet.Tile(image: Self.solid(0, scale: 4), caption: ["#2 0.25"])
        let missing = ContactSheet.Tile(image: nil, caption: ["#2 0.1"])
        let sheet = ContactSheet(title: "TOP 3", rows: [
            .init(query: query, matches: [dark, mid, dark]),
            .init(query: query, matches: [dark, missing]),
        ])
        // Cells are as wide as a 16-character caption (95 pixels): 4 columns, a separator after
        // the query; 8 pixels of image, 3 of space and 3 caption lines of 9 per row.
        #expect(sheet.cellWidth == 95 && sheet.cellHeight == 38 && sheet.columns == 4)
        #expect(sheet.size.width == 8 + 95 + 14 + 2 * (95 + 6) + 95 + 8)
        #expect(sheet.size.height == 8 + 14 + 8 + 2 * 38 + 6 + 8)
        let image = sheet.render()
        #expect(image.width == sheet.size.width && image.height == sheet.size.height)

        let queryCell = sheet.cellOrigin(row: 1, column: 0)
        #expect(queryCell == (x: 8, y: 30 + 38 + 6))
        #expect(image[queryCell.x + 7, queryCell.y + 7] == (255, 255, 255))
        let second = sheet.cellOrigin(row: 0, column: 2)
        #expect(second.x == 8 + 95 + 14 + 95 + 6)
        #expect(image[second.x, second.y] == (128, 128, 128))
        #expect(image[second.x + 7, second.y + 7] == (128, 128, 128))
        #expect(image[second.x + 8, second.y] == (255, 255, 255))
        let first = sheet.cellOrigin(row: 0, column: 1)
        #expect(image[first.x + 3, first.y + 3] == (0, 0, 0))

        // The missing image is a grey box over the whole image area.
        let box = sheet.cellOrigin(row: 1, column: 2)
        #expect(image[box.x + 94, box.y + 7] == (200, 200, 200))
        // Captions and the title are drawn in black below the image and at the top.
        #expect(Self.darkPixels(in: image, x: first.x, y: first.y + 11, width: 95, height: 27) > 20)
        #expect(Self.darkPixels(in: image, x: 8, y: 8, width: 60, height: 14) > 20)
        // The empty cell of the shorter row stays white.
        let empty = sheet.cellOrigin(row: 1, column: 3)
        #expect(Self.darkPixels(in: image, x: empty.x, y: empty.y, width: 95, height: 38) == 0)
    }

    @Test func attributionSheetCaptionsEachMatch() throws {
        let result = AttributeResult(checkpoints: [400], examplesScored: 64, samples: [
            SampleRanking(top: [
                ScoredExample(id: 7, score: 0.5, shard: "shard-00000.safetensors", row: 7, contributor: 2, contributorName: "carol"),
                ScoredExample(id: 9, score: 0.25, shard: "shard-00000.safetensors", row: 9, contributor: -1, contributorName: nil),
            ], bottom: [], contributors: []),
        ])
        let queries = SampleImages(values: [Float](repeating: 1, count: 4), shape: [1, 1, 2, 2], labels: ["q.png"])
        let images = [Int64(7): SampleTensor(values: [Float](repeating: -1, count: 4), shape: [1, 2, 2])]
        let sheet = AttributionSheet.make(result: result, measurement: .loss, queries: queries, labels: queries.labels, images: images, scale: nil)
        #expect(sheet.title == "TOP 2 TRAINING EXAMPLES, loss AT STEP 400")
        let row = try #require(sheet.rows.first)
        #expect(row.query.caption == ["QUERY 1", "q.png"])
        #expect(row.query.image?.width == 64)
        #expect(row.matches.map(\.caption) == [["#1 0.5", "carol", "ID 7"], ["#2 0.25", "-", "ID 9"]])
        let match = try #require(row.matches[0].image)
        #expect(match[0, 0] == (0, 0, 0))
        #expect(row.matches[1].image == nil)
    }

    static func darkPixels(in image: RGBImage, x: Int, y: Int, width: Int, height: Int) -> Int {
        var count = 0
        for row in y..<(y + height) {
            for column in x..<(x + width) where image[column, row].0 < 100 { count += 1 }
        }
        return count
    }
}
