/// A Linear or Conv2d layer whose inputs and output gradients a ``Numerics/LayerObserver``
/// receives, described by the shapes of what it reports.
public struct ObservedLayer: Sendable, Equatable {
    /// The kind of layer.
    public enum Kind: Sendable, Equatable {
        /// `nn.Linear`; each input row is one token or one example.
        case linear
        /// `nn.Conv2d`; each input row is one im2col patch.
        case conv2d(kernelSize: Int, stride: Int, padding: Int)
    }

    /// The parameter-name prefix the observer is called with (e.g. `down_blocks.0.resnets.0.conv1`).
    public let name: String
    /// Linear or Conv2d.
    public let kind: Kind
    /// Width of an input row: `dIn` for Linear, `Cin·kh·kw` for Conv2d.
    public let inputFeatures: Int
    /// Width of an output-gradient row: `dOut` or `Cout`.
    public let outputFeatures: Int
    /// Whether the layer has a bias.
    public let hasBias: Bool

    /// The weight's PyTorch shape.
    public var weightShape: [Int] {
        switch kind {
        case .linear:
            [outputFeatures, inputFeatures]
        case .conv2d(let kernelSize, _, _):
            [outputFeatures, inputFeatures / (kernelSize * kernelSize), kernelSize, kernelSize]
        }
    }
}
