/// How a scoring session uses the cores.
///
/// Measured on a 2-core machine (200,000 × 2,560 gradients in blocks of 1,024, both settings in
/// the same runs): separate lanes were never slower, and 1.5 to 1.9 times faster for a few
/// queries and for binary16 blocks. OpenBLAS's `sgemm` is inefficient on a skinny product split
/// over threads, and its idle worker threads spin after each call, taking cores from the binary16
/// conversion. With 64 queries (compute-bound) the two settings were equal.
public enum ScoringParallelism: Sendable, Equatable {
    /// One lane: each block is one BLAS call spread over OpenBLAS's threads
    /// (``Numerics/BLASThreads``), and binary16 conversion uses as many workers.
    case blasThreads
    /// `count` lanes, each converting and multiplying a contiguous share of every block's rows
    /// with its own BLAS call. Set ``Numerics/BLASThreads`` to 1 while such a session runs, or
    /// OpenBLAS's threads oversubscribe the cores.
    case lanes(Int)
}
