/// A borrowed view of one stored block of per-example gradients: `rows` examples, their ids, and
/// a row-major `[rows × dimension]` matrix of Float32 or IEEE 754 binary16 values.
///
/// The view owns nothing. Build it inside the scope that keeps its memory valid (for the store,
/// a read transaction over the memory-mapped database), pass it to a session's `consume(_:)`,
/// and drop it before that scope ends: never store it, return it or capture it in a closure
/// that outlives the scope. Sessions read the memory during `consume(_:)` only and keep no
/// pointer into it.
///
/// Float32 values are multiplied in place when their address is 4-byte aligned (they are then
/// never copied); binary16 values, and Float32 values at an unaligned address, are staged into a
/// Float32 scratch buffer first. Values are little-endian, the only byte order this targets.
public struct GradientBlockView {
    /// How each value is stored.
    public enum Precision: Sendable, Equatable, CaseIterable {
        /// IEEE 754 binary32.
        case float32
        /// IEEE 754 binary16 bit patterns (not bfloat16).
        case float16

        /// Bytes per stored value.
        public var bytesPerValue: Int {
            switch self {
            case .float32: 4
            case .float16: 2
            }
        }
    }

    /// The example id of each row.
    public let ids: UnsafeBufferPointer<Int64>
    /// `rows × dimension` values in row-major order, `precision.bytesPerValue` bytes each.
    public let values: UnsafeRawBufferPointer
    /// Number of examples in the block.
    public let rows: Int
    /// Length of each gradient vector.
    public let dimension: Int
    /// Storage format of `values`.
    public let precision: Precision

    /// Checks that `ids` and `values` hold exactly `rows` examples of `dimension` values.
    public init(
        ids: UnsafeBufferPointer<Int64>, values: UnsafeRawBufferPointer, rows: Int, dimension: Int,
        precision: Precision
    ) throws(ScoringError) {
        guard rows >= 0, dimension >= 0 else { throw .invalidBlockShape(rows: rows, dimension: dimension) }
        guard ids.count == rows else { throw .idCountMismatch(rows: rows, ids: ids.count) }
        let (valueCount, overflowA) = rows.multipliedReportingOverflow(by: dimension)
        let (expected, overflowB) = valueCount.multipliedReportingOverflow(by: precision.bytesPerValue)
        guard !overflowA, !overflowB, values.count == expected else {
            throw .valueByteCountMismatch(expected: overflowA || overflowB ? Int.max : expected, actual: values.count)
        }
        self.ids = ids
        self.values = values
        self.rows = rows
        self.dimension = dimension
        self.precision = precision
    }
}
