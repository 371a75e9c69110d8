import DiffusionModel
import ModelProperties
import Numerics

/// Tiny models, schedules and labelled glyph images for the property tests.
enum PropertiesTestSupport {
    /// Two levels, one ResNet per block, 3 channels: small enough that sampling a few 8×8 images
    /// takes milliseconds in a debug build.
    static func tinyConfig(sampleSize: Int? = 8) throws -> UNet2DConfig {
        try UNet2DConfig(
            sampleSize: sampleSize, inChannels: 3, outChannels: 3, downBlockTypes: [.downBlock2D, .downBlock2D],
            upBlockTypes: [.upBlock2D, .upBlock2D], blockOutChannels: [4, 8], layersPerBlock: 1, normNumGroups: 2)
    }

    static func tinyModel(seed: UInt64 = 7, sampleSize: Int? = 8) throws -> UNet2DModel {
        UNet2DModel(config: try tinyConfig(sampleSize: sampleSize), seed: seed)
    }

    /// A short linear schedule.
    static let schedulerConfig = DDPMSchedulerConfig(numTrainTimesteps: 100, betaSchedule: .linear)

    /// Glyph images `[count, 3, size, size]` with their shape labels, ids `first..<first + count`.
    static func glyphs(count: Int, size: Int = 8, first: Int64 = 0, seed: UInt64 = 0) -> (images: Tensor, labels: [Int]) {
        let generator = SyntheticGlyphs(size: size, contributors: 8, seed: seed)
        let examples = (first..<first + Int64(count)).map(generator.example(id:))
        return (Tensor(shape: [count, 3, size, size], scalars: examples.flatMap(\.image)), examples.map { $0.shape.rawValue })
    }

    /// Glyph images of one shape only (ids from `first` on, filtered).
    static func glyphs(of shape: GlyphShape, count: Int, size: Int = 8, first: Int64 = 0) -> Tensor {
        let generator = SyntheticGlyphs(size: size, contributors: 8, seed: 0)
        var images: [Float] = []
        var id = first
        while images.count < count * 3 * size * size {
            let example = generator.example(id: id)
            if example.shape == shape { images += example.image }
            id += 1
        }
        return Tensor(shape: [count, 3, size, size], scalars: images)
    }

    /// Image `index` of `images` as a batch of one.
    static func image(_ images: Tensor, _ index: Int) -> Tensor {
        let perImage = images.count / images.shape[0]
        return Tensor(shape: [1] + images.shape.dropFirst(), scalars: Array(images.scalars[index * perImage..<(index + 1) * perImage]))
    }

    /// Central finite differences of `value` in each coordinate of `masses` (unit masses).
    static func massDerivatives(count: Int, step: Double = 1e-4, _ value: ([Double]) -> Double) -> [Double] {
        (0..<count).map { j in
            var up = [Double](repeating: 1, count: count), down = up
            up[j] += step
            down[j] -= step
            return (value(up) - value(down)) / (2 * step)
        }
    }
}
