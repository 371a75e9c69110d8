/// Simple raster drawing for charts and contact sheets: filled rectangles, text in the built-in
/// 5×7 font, and pasting one image into another. Everything is clipped to the image.
extension RGBImage {
    /// An RGB colour.
    public typealias Colour = (red: UInt8, green: UInt8, blue: UInt8)

    /// Fills the rectangle with top-left corner (`x`, `y`), clipped to the image.
    public mutating func fill(x: Int, y: Int, width: Int, height: Int, colour: Colour) {
        for row in max(0, y)..<max(max(0, y), min(self.height, y + height)) {
            for column in max(0, x)..<max(max(0, x), min(self.width, x + width)) {
                let base = (row * self.width + column) * 3
                pixels[base] = colour.red
                pixels[base + 1] = colour.green
                pixels[base + 2] = colour.blue
            }
        }
    }

    /// Draws `text` with its top-left corner at (`x`, `y`), each font pixel `scale` pixels wide.
    public mutating func draw(text: String, x: Int, y: Int, scale: Int = 1, colour: Colour = (0, 0, 0)) {
        for (index, character) in text.enumerated() {
            let left = x + index * Self.advance(scale: scale)
            for row in 0..<BitmapFont.height {
                for column in 0..<BitmapFont.width where BitmapFont.isSet(character, x: column, y: row) {
                    fill(x: left + column * scale, y: y + row * scale, width: scale, height: scale, colour: colour)
                }
            }
        }
    }

    /// The width `text` takes when drawn at `scale`.
    public static func textWidth(_ text: String, scale: Int = 1) -> Int {
        text.isEmpty ? 0 : text.count * advance(scale: scale) - scale
    }

    /// The height of a line of text at `scale`.
    public static func textHeight(scale: Int = 1) -> Int { BitmapFont.height * scale }

    /// Copies `image` with its top-left corner at (`x`, `y`), clipped.
    public mutating func paste(_ image: RGBImage, x: Int, y: Int) {
        for row in 0..<image.height where (0..<height).contains(y + row) {
            for column in 0..<image.width where (0..<width).contains(x + column) {
                let source = (row * image.width + column) * 3
                let target = ((y + row) * width + x + column) * 3
                pixels[target] = image.pixels[source]
                pixels[target + 1] = image.pixels[source + 1]
                pixels[target + 2] = image.pixels[source + 2]
            }
        }
    }

    private static func advance(scale: Int) -> Int { (BitmapFont.width + 1) * scale }
}
