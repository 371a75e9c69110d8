import COpenBLAS
import Dispatch
import Numerics

/// Computes one gradient block's scores against a query matrix with BLAS:
/// `scores[r, q] = alpha · g_rᵀ q̃_q`, laid out `[rows × queries]` so that one example's scores
/// for all queries are contiguous (what the per-example sums and the group sums read).
///
/// Float32 blocks at an aligned address are multiplied where they lie. Binary16 blocks (and
/// unaligned Float32 ones) are first converted into a reusable Float32 staging buffer, which
/// stays cache-resident for the product that follows. A single query uses `sgemv`: OpenBLAS's
/// `sgemm` packs the whole block for a one-column product and reaches less than half of the
/// memory bandwidth that `sgemv` does.
///
/// Threading (see ``ScoringParallelism``): with one lane the block is one BLAS call, spread over
/// OpenBLAS's threads, and the binary16 conversion is split over ``BLASThreads/current``
/// workers. With several lanes each lane converts and multiplies its own contiguous share of
/// the block's rows, one single-threaded BLAS call per lane and block.
struct BlockScorer {
    let lanes: Int
    /// Scores of the last block, `[rows × queries]`; valid up to `rows · queries`.
    private(set) var scores: [Float] = []
    private var staging: [Float] = []

    init(parallelism: ScoringParallelism) {
        switch parallelism {
        case .blasThreads: lanes = 1
        case .lanes(let count): lanes = max(1, count)
        }
    }

    /// Fills `scores` for `block` against `queries` (`[Q × dimension]`, the block's dimension,
    /// at least 1: sessions refuse empty query vectors).
    mutating func score(_ block: GradientBlockView, queries: Tensor, alpha: Float = 1) {
        let queryCount = queries.shape[0]
        precondition(block.dimension == queries.shape[1], "block and query dimensions differ")
        let needed = block.rows * queryCount
        if scores.count < needed { scores = [Float](repeating: 0, count: needed) }
        guard block.rows > 0 else { return }
        let aligned = Int(bitPattern: block.values.baseAddress) % MemoryLayout<Float>.alignment == 0
        let inPlace = block.precision == .float32 && aligned
        if !inPlace && staging.count < block.rows * block.dimension {
            staging = [Float](repeating: 0, count: block.rows * block.dimension)
        }
        let lanes = min(lanes, block.rows)
        let conversionThreads = lanes == 1 ? BLASThreads.current : 1
        queries.scalars.withUnsafeBufferPointer { query in
            scores.withUnsafeMutableBufferPointer { scores in
                staging.withUnsafeMutableBufferPointer { staging in
                    let work = LaneWork(
                        block: block, inPlace: inPlace, staging: staging.baseAddress, queries: query.baseAddress!,
                        queryCount: queryCount, alpha: alpha, scores: scores.baseAddress!, lanes: lanes,
                        conversionThreads: conversionThreads)
                    if lanes == 1 {
                        work.run(lane: 0)
                    } else {
                        DispatchQueue.concurrentPerform(iterations: lanes) { work.run(lane: $0) }
                    }
                }
            }
        }
    }
}

/// One block's pointers, shared by the lanes; each lane reads and writes only its own rows.
private struct LaneWork: @unchecked Sendable {
    let values: UnsafeRawPointer
    let rows: Int
    let dimension: Int
    let precision: GradientBlockView.Precision
    let inPlace: Bool
    let staging: UnsafeMutablePointer<Float>?
    let queries: UnsafePointer<Float>
    let queryCount: Int
    let alpha: Float
    let scores: UnsafeMutablePointer<Float>
    let lanes: Int
    let conversionThreads: Int

    init(block: GradientBlockView, inPlace: Bool, staging: UnsafeMutablePointer<Float>?, queries: UnsafePointer<Float>,
         queryCount: Int, alpha: Float, scores: UnsafeMutablePointer<Float>, lanes: Int, conversionThreads: Int) {
        values = block.values.baseAddress!
        rows = block.rows
        dimension = block.dimension
        precision = block.precision
        self.inPlace = inPlace
        self.staging = staging
        self.queries = queries
        self.queryCount = queryCount
        self.alpha = alpha
        self.scores = scores
        self.lanes = lanes
        self.conversionThreads = conversionThreads
    }

    func run(lane: Int) {
        let first = rows * lane / lanes
        let count = rows * (lane + 1) / lanes - first
        guard count > 0 else { return }
        let valueOffset = first * dimension
        let valueCount = count * dimension
        if inPlace {
            // Aligned Float32 storage, bound as such for the duration of the product only.
            (values + valueOffset * 4).withMemoryRebound(to: Float.self, capacity: valueCount) {
                multiply($0, rows: count, firstRow: first)
            }
            return
        }
        let target = staging! + valueOffset
        switch precision {
        case .float32:
            UnsafeMutableRawPointer(target).copyMemory(from: values + valueOffset * 4, byteCount: valueCount * 4)
        case .float16:
            HalfToFloatConversion.convert(values + valueOffset * 2, into: target, count: valueCount,
                                          threads: conversionThreads)
        }
        multiply(target, rows: count, firstRow: first)
    }

    private func multiply(_ matrix: UnsafePointer<Float>, rows count: Int, firstRow first: Int) {
        let output = scores + first * queryCount
        if queryCount == 1 {
            cblas_sgemv(CblasRowMajor, CblasNoTrans, Int32(count), Int32(dimension), alpha,
                        matrix, Int32(dimension), queries, 1, 0, output, 1)
        } else {
            sgemm(.none, .transposed, m: count, n: queryCount, k: dimension, alpha: alpha,
                  a: matrix, lda: dimension, b: queries, ldb: dimension, c: output, ldc: queryCount)
        }
    }
}
