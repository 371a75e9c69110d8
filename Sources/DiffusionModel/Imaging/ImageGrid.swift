import Numerics

/// Lays out a batch of images as one picture, for looking at samples and training data.
public enum ImageGrid {
    /// The images `[N, C, H, W]` (C = 1 for grey or 3 for RGB, values in [-1, 1], clamped) in
    /// rows of `columns` tiles, each pixel enlarged to a `scale × scale` block (nearest
    /// neighbour), with `padding` pixels of `background` grey between tiles and around the edge.
    public static func compose(images: Tensor, columns: Int, padding: Int, scale: Int, background: UInt8 = 128) -> RGBImage {
        precondition(images.rank == 4, "images must be [N, C, H, W], got \(images.shape)")
        let (count, channels, height, width) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3])
        precondition(channels == 1 || channels == 3, "images must have 1 or 3 channels, got \(channels)")
        precondition(count > 0 && columns > 0 && scale > 0 && padding >= 0, "empty grid or invalid layout")
        let gridColumns = min(columns, count)
        let gridRows = (count + gridColumns - 1) / gridColumns
        let (tileWidth, tileHeight) = (width * scale, height * scale)
        var grid = RGBImage(
            width: gridColumns * (tileWidth + padding) + padding,
            height: gridRows * (tileHeight + padding) + padding,
            grey: background)
        let planeSize = height * width
        for index in 0..<count {
            let left = padding + (index % gridColumns) * (tileWidth + padding)
            let top = padding + (index / gridColumns) * (tileHeight + padding)
            for y in 0..<tileHeight {
                for x in 0..<tileWidth {
                    let source = index * channels * planeSize + (y / scale) * width + x / scale
                    let target = ((top + y) * grid.width + left + x) * 3
                    for rgb in 0..<3 {
                        grid.pixels[target + rgb] = byte(images.scalars[source + (channels == 1 ? 0 : rgb * planeSize)])
                    }
                }
            }
        }
        return grid
    }

    /// [-1, 1] to 0…255, rounded to nearest, clamped; NaN becomes 0.
    public static func byte(_ value: Float) -> UInt8 {
        let scaled = ((value + 1) * 127.5).rounded()
        guard scaled > 0 else { return 0 }
        return scaled >= 255 ? 255 : UInt8(scaled)
    }
}
