import COpenBLAS

/// The process-wide OpenBLAS thread count.
///
/// Policy (see docs/ARCHITECTURE.md): heavy numerics run on one compute lane at a time, and that
/// lane lets OpenBLAS use every core for large GEMMs. No two threads call BLAS concurrently with
/// threading enabled, because OpenBLAS's pthread build serialises them anyway.
public enum BLASThreads {
    /// Sets how many threads OpenBLAS may use for one call.
    public static func set(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// How many threads OpenBLAS currently uses for one call.
    public static var current: Int { Int(openblas_get_num_threads()) }
}
