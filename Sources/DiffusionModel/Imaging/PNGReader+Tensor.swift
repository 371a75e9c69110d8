import Foundation
import Numerics

extension RGBImage {
    /// The image as a `[1, 3, height, width]` tensor with values `x / 127.5 − 1` in [-1, 1]:
    /// the layout and scaling of data-shard images, so a PNG compares with training examples.
    public func tensorNCHW() -> Tensor {
        let plane = width * height
        return Tensor(shape: [1, 3, height, width], unsafeUninitializedScalarsWith: { scalars in
            for pixel in 0..<plane {
                for channel in 0..<3 {
                    scalars[channel * plane + pixel] = Float(pixels[pixel * 3 + channel]) / 127.5 - 1
                }
            }
        })
    }
}

extension PNGReader {
    /// Reads a PNG file as a `[1, 3, height, width]` tensor in [-1, 1] (see `RGBImage.tensorNCHW()`).
    public static func readTensor(contentsOf url: URL, maximumPixelCount: Int = defaultMaximumPixelCount) throws(PNGReadError) -> Tensor {
        try read(contentsOf: url, maximumPixelCount: maximumPixelCount).tensorNCHW()
    }
}
