/// Why a scoring request or a gradient block was refused.
public enum ScoringError: Error, Equatable, CustomStringConvertible {
    /// The query matrix is not `[Q × dimension]` with `Q ≥ 1` and `dimension ≥ 1`.
    case invalidQueries(shape: [Int])
    /// A checkpoint's queries do not have the session's query count.
    case queryCountMismatch(expected: Int, actual: Int)
    /// `k` (how many examples to keep per query and end) is negative.
    case invalidK(Int)
    /// A block's row count or dimension is negative.
    case invalidBlockShape(rows: Int, dimension: Int)
    /// A block has a different number of ids than rows.
    case idCountMismatch(rows: Int, ids: Int)
    /// A block's value bytes do not hold exactly `rows × dimension` values of its precision.
    case valueByteCountMismatch(expected: Int, actual: Int)
    /// A block's gradient dimension differs from the queries'.
    case dimensionMismatch(block: Int, queries: Int)
    /// An example id occurs twice within one checkpoint of a summed session.
    case duplicateExample(id: Int64, checkpoint: Int)

    public var description: String {
        switch self {
        case .invalidQueries(let shape):
            "queries must be a [Q × dimension] matrix with Q ≥ 1 and dimension ≥ 1, got shape \(shape)"
        case .queryCountMismatch(let expected, let actual):
            "this session scores \(expected) queries, the checkpoint brought \(actual)"
        case .invalidK(let k):
            "k must be at least 0, got \(k)"
        case .invalidBlockShape(let rows, let dimension):
            "gradient block shape [\(rows) × \(dimension)] has a negative extent"
        case .idCountMismatch(let rows, let ids):
            "gradient block has \(rows) rows but \(ids) ids"
        case .valueByteCountMismatch(let expected, let actual):
            "gradient block should hold \(expected) value bytes, holds \(actual)"
        case .dimensionMismatch(let block, let queries):
            "gradient block dimension \(block) differs from the queries' dimension \(queries)"
        case .duplicateExample(let id, let checkpoint):
            "example \(id) occurs twice in checkpoint \(checkpoint)"
        }
    }
}
