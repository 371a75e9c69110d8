/// One tensor's description from a validated header.
public struct TensorEntry: Sendable, Equatable {
    /// Element type.
    public let dtype: DType
    /// Extent of each dimension, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// Byte range of the elements within the data section (after the header).
    public let dataRange: Range<Int>

    /// A description of a tensor of `dtype` and `shape` stored at `dataRange`.
    public init(dtype: DType, shape: [Int], dataRange: Range<Int>) {
        self.dtype = dtype
        self.shape = shape
        self.dataRange = dataRange
    }

    /// Number of elements (`shape`'s product; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
