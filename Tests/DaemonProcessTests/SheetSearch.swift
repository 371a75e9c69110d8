import AttributionProtocol
import DiffusionModel

/// Finds images on a contact sheet: whether a small image, enlarged by repeating each pixel
/// `scale` times, was drawn somewhere on it.
enum SheetSearch {
    /// Whether `image` enlarged `scale` times appears on `sheet`, each channel within 1 of the
    /// original (images pass through [-1, 1] floats on their way to the sheet).
    static func contains(_ image: RGBImage, scaledBy scale: Int, in sheet: RGBImage) -> Bool {
        let width = image.width * scale, height = image.height * scale
        guard sheet.width >= width, sheet.height >= height else { return false }
        for y in 0...(sheet.height - height) {
            for x in 0...(sheet.width - width) where matches(image, scale: scale, on: sheet, x: x, y: y) {
                return true
            }
        }
        return false
    }

    /// An image the daemon sent (`[3, H, W]` in [-1, 1]) as 8-bit RGB.
    static func image(_ tensor: SampleTensor) throws -> RGBImage {
        let values = try tensor.values(maximumElements: 1 << 20)
        let shape = tensor.shape.suffix(3)
        guard shape.count == 3, shape.first == 3 else { throw TestFailure("not an RGB image: shape \(tensor.shape)") }
        let height = shape[shape.startIndex + 1], width = shape[shape.startIndex + 2], plane = height * width
        var pixels = [UInt8](repeating: 0, count: plane * 3)
        for pixel in 0..<plane {
            for channel in 0..<3 {
                pixels[pixel * 3 + channel] = UInt8(max(0, min(255, ((values[channel * plane + pixel] + 1) * 127.5).rounded())))
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    /// Whether the centre of every enlarged pixel, with the block's corner at (`x`, `y`), holds
    /// the image's pixel.
    private static func matches(_ image: RGBImage, scale: Int, on sheet: RGBImage, x: Int, y: Int) -> Bool {
        for row in 0..<image.height {
            for column in 0..<image.width {
                let expected = image[column, row]
                let found = sheet[x + column * scale + scale / 2, y + row * scale + scale / 2]
                guard close(expected.0, found.0), close(expected.1, found.1), close(expected.2, found.2) else { return false }
            }
        }
        return true
    }

    private static func close(_ first: UInt8, _ second: UInt8) -> Bool {
        abs(Int(first) - Int(second)) <= 1
    }
}
