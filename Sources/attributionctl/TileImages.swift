import AttributionProtocol
import DiffusionModel
import Numerics

/// Images in [-1, 1], channels first, turned into enlarged RGB tiles.
enum TileImages {
    /// The tile side small images are enlarged to at least, in pixels.
    static let targetSide = 64

    /// The whole-number enlargement that brings an image of this size to about `targetSide`.
    static func scale(height: Int, width: Int) -> Int {
        let side = max(height, width, 1)
        return max(1, (targetSide + side - 1) / side)
    }

    /// One image `[C, H, W]` (C = 1 or 3) enlarged `scale` times by repeating pixels; nil for
    /// other channel counts or values that do not fill the shape.
    static func rgb(values: [Float], shape: [Int], scale: Int) -> RGBImage? {
        guard shape.count == 3, [1, 3].contains(shape[0]), shape[1] > 0, shape[2] > 0, values.count == shape.reduce(1, *) else { return nil }
        return ImageGrid.compose(images: Tensor(shape: [1] + shape, scalars: values), columns: 1, padding: 0, scale: scale)
    }

    /// An image sent by the daemon (`[C, H, W]` or `[1, C, H, W]`), enlarged `scale` times
    /// (default: to about `targetSide`); nil when it does not decode.
    static func rgb(_ tensor: SampleTensor, scale: Int? = nil) -> RGBImage? {
        let shape = tensor.shape.count == 4 && tensor.shape[0] == 1 ? Array(tensor.shape.dropFirst()) : tensor.shape
        guard shape.count == 3, let values = try? tensor.values(maximumElements: 1 << 26) else { return nil }
        return rgb(values: values, shape: shape, scale: scale ?? Self.scale(height: shape[1], width: shape[2]))
    }
}
