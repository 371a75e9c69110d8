/// A dense, row-major Float32 array with a shape.
///
/// Storage is a Swift array, so copies are cheap until written (copy-on-write). Feature maps in
/// this project are laid out channels-last, `[N, H, W, C]`, so a convolution is one GEMM over all
/// positions and the rows of that GEMM are exactly the per-position layer inputs K-FAC needs.
public struct Tensor: Sendable, Equatable {
    /// Extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// Row-major elements; `scalars.count == shape.reduce(1, *)`.
    public var scalars: [Float]

    /// Creates a tensor from its elements. The element count must match the shape.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) elements")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor filled with one value.
    public init(shape: [Int], repeating value: Float = 0) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor whose elements `initializer` writes into uninitialised storage.
    ///
    /// For kernels that overwrite every element anyway, this skips the zero fill of
    /// ``init(shape:repeating:)``. Every element must be written, by `initializer` or through
    /// ``scalars`` right afterwards, before any is read.
    public init(shape: [Int], unsafeUninitializedScalarsWith initializer: (UnsafeMutableBufferPointer<Float>) -> Void) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        let count = shape.reduce(1, *)
        let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            initializer(buffer)
            initialized = count
        }
        self.init(shape: shape, scalars: scalars)
    }

    /// A `[count, n]` tensor each of whose rows is the `[n]` tensor `row` (e.g. a bias to
    /// accumulate a GEMM onto).
    public init(repeatingRow row: Tensor, count: Int) {
        precondition(row.rank == 1, "repeatingRow needs a rank-1 row, got \(row.shape)")
        let width = row.count
        self.init(shape: [count, width]) { destination in
            row.scalars.withUnsafeBufferPointer { source in
                guard let source = source.baseAddress, let destination = destination.baseAddress else { return }
                for index in 0..<count { (destination + index * width).update(from: source, count: width) }
            }
        }
    }

    /// A tensor of zeros with the same shape as `other`.
    public init(zerosLike other: Tensor) {
        self.init(shape: other.shape, repeating: 0)
    }

    /// Number of elements.
    public var count: Int { scalars.count }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The same elements viewed with another shape of equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }

    /// Whether every element is finite (no NaN, no infinity).
    public var isFinite: Bool { scalars.allSatisfy { $0.isFinite } }
}
