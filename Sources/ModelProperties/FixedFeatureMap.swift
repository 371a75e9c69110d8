import Numerics

/// A fixed random feature map of images: `φ(x) = max(0, Wᵀx + b)`, a random Gaussian projection of
/// the pixels followed by a ReLU.
///
/// `W` is `[inputs, dimension]` with entries `N(0, 1/inputs)` and `b` has entries `N(0, 1/4)`, all
/// drawn from `seed`, so the map is the same in every process. With pixels in [-1, 1] the
/// pre-activations are of order one. It stands in for a pretrained network's features (as KID
/// uses Inception's) on small synthetic images: random ReLU features separate distributions that
/// differ in any pixel statistic, and the map depends on no training data.
public struct FixedFeatureMap: Sendable, Equatable, CustomStringConvertible {
    /// The `[channels, height, width]` of the images the map reads.
    public let inputShape: [Int]
    /// Number of features.
    public let dimension: Int
    /// The seed `W` and `b` are drawn from.
    public let seed: UInt64
    /// `W`, row-major `[inputs, dimension]`.
    private let projection: [Float]
    /// `b`, `[dimension]`.
    private let bias: [Float]

    /// The map for images of `inputShape` (`[C, H, W]`) to `dimension` features, drawn from `seed`.
    public init(inputShape: [Int], dimension: Int = 512, seed: UInt64 = 0) throws(PropertyError) {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw .invalidSetting(name: "inputShape", value: "\(inputShape)", reason: "must be [C, H, W] with positive extents")
        }
        guard dimension >= 1 else { throw .invalidSetting(name: "dimension", value: "\(dimension)", reason: "must be at least 1") }
        let inputs = inputShape.reduce(1, *)
        var generator = SeededGenerator(keys: seed, Self.stream)
        let scale = 1 / Float(inputs).squareRoot()
        self.inputShape = inputShape
        self.dimension = dimension
        self.seed = seed
        projection = generator.normals(count: inputs * dimension).map { $0 * scale }
        bias = generator.normals(count: dimension).map { $0 * 0.5 }
    }

    /// `φ` of every image of `images` `[N, C, H, W]` (whose `[C, H, W]` must be ``inputShape``),
    /// as `[N, dimension]`.
    public func features(_ images: Tensor) -> Tensor {
        precondition(images.rank == 4 && Array(images.shape.dropFirst()) == inputShape,
                     "FixedFeatureMap: images \(images.shape) are not [N] + \(inputShape)")
        let count = images.shape[0], inputs = projection.count / dimension
        var output = Tensor(repeatingRow: Tensor(shape: [dimension], scalars: bias), count: count)
        images.scalars.withUnsafeBufferPointer { pixels in
            projection.withUnsafeBufferPointer { weights in
                output.scalars.withUnsafeMutableBufferPointer { result in
                    guard let pixels = pixels.baseAddress, let weights = weights.baseAddress, let result = result.baseAddress else { return }
                    sgemm(.none, .none, m: count, n: dimension, k: inputs, a: pixels, lda: inputs,
                          b: weights, ldb: dimension, beta: 1, c: result, ldc: dimension)
                }
            }
        }
        for index in output.scalars.indices where output.scalars[index] < 0 { output.scalars[index] = 0 }
        return output
    }

    /// The map's settings (not its matrices), e.g. for fingerprints of what a value depends on.
    public var description: String {
        "random ReLU features \(inputShape) -> \(dimension) seed \(seed)"
    }

    /// Separates the map's draws from every other stream.
    private static let stream: UInt64 = 0x4645_4154_0000_0001  // "FEAT" 1
}
