/// Where each layer's block sits in a flat gradient vector.
///
/// A flat vector concatenates every observed layer's projected gradient `G̃` (shape
/// `[kOut, kIn]`, row-major, `kIn` contiguous) in ``DiffusionModel/UNet2DModel/observedLayers``
/// order. The unprojected `G` of a layer is `[dOut, dIn + (hasBias ? 1 : 0)]`: the bias is a
/// homogeneous coordinate, a trailing 1 on every input row, so `G`'s last column is the bias
/// gradient.
public struct GradientLayout: Sendable, Equatable, Codable {
    /// One layer's place in the flat vector.
    public struct Block: Sendable, Equatable, Codable {
        /// The layer's name (``DiffusionModel/ObservedLayer/name``).
        public let layer: String
        /// `dIn + (hasBias ? 1 : 0)`: the width of an input row with its bias coordinate, before projection.
        public let inputDimension: Int
        /// `dOut`: the width of an output-gradient row, before projection.
        public let outputDimension: Int
        /// `kIn`: the width of a projected input row.
        public let projectedInputs: Int
        /// `kOut`: the width of a projected output-gradient row.
        public let projectedOutputs: Int
        /// Start of the block in the flat vector.
        public let offset: Int
        /// Elements of the block: `kOut · kIn`.
        public var count: Int { projectedInputs * projectedOutputs }

        /// A block with the given dimensions at `offset`.
        public init(layer: String, inputDimension: Int, outputDimension: Int, projectedInputs: Int,
                    projectedOutputs: Int, offset: Int) {
            self.layer = layer
            self.inputDimension = inputDimension
            self.outputDimension = outputDimension
            self.projectedInputs = projectedInputs
            self.projectedOutputs = projectedOutputs
            self.offset = offset
        }

        /// The block's index range in the flat vector.
        public var range: Range<Int> { offset..<(offset + count) }
    }

    /// One block per observed layer, in forward order, contiguous from offset 0.
    public let blocks: [Block]

    /// Length of a flat gradient vector.
    public var dimension: Int { blocks.last.map { $0.offset + $0.count } ?? 0 }

    /// A layout from blocks that tile the vector in order (each block starts where the previous ends).
    public init(blocks: [Block]) {
        var offset = 0
        for block in blocks {
            precondition(block.offset == offset, "block \(block.layer) starts at \(block.offset), expected \(offset)")
            offset += block.count
        }
        self.blocks = blocks
    }

    /// The index of the block for `layer`, or nil when the layout has no such layer.
    public func blockIndex(of layer: String) -> Int? {
        blocks.firstIndex { $0.layer == layer }
    }
}
