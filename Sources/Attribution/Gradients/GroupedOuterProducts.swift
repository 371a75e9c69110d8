import Numerics

/// The kernel behind every projected gradient: for each group of consecutive samples,
/// `C_group += g̃_groupᵀ · ã_group`, i.e. `Σ_rows (P_out g)(P_in a)ᵀ` over that group's rows,
/// as one `[kOut × rows] · [rows × kIn]` GEMM per group.
enum GroupedOuterProducts {
    /// One group's share of a backward pass: which samples it covers and where its `[kOut, kIn]`
    /// block goes.
    struct Group {
        /// Samples (in the order of the observed rows) that belong to the group.
        let samples: Range<Int>
        /// Offset of the group's `[kOut, kIn]` block in the destination.
        let destinationOffset: Int
    }

    /// Adds each group's `g̃ᵀ ã` to its block of `destination`.
    ///
    /// - Parameters:
    ///   - outputGradients: `[samples·T, kOut]` projected output-gradient rows.
    ///   - inputs: `[samples·T, kIn]` projected input rows (with the bias coordinate), same row order.
    ///   - rowsPerSample: `T`.
    ///   - groups: Disjoint sample ranges and their destinations.
    ///   - destination: Receives each `[kOut, kIn]` block, row-major with `kIn` contiguous.
    static func accumulate(outputGradients: Tensor, inputs: Tensor, rowsPerSample: Int, groups: [Group],
                           into destination: inout [Float]) {
        let (kOut, kIn) = (outputGradients.shape[1], inputs.shape[1])
        precondition(outputGradients.shape[0] == inputs.shape[0], "outer products: \(outputGradients.shape) vs \(inputs.shape)")
        outputGradients.scalars.withUnsafeBufferPointer { g in
            inputs.scalars.withUnsafeBufferPointer { a in
                destination.withUnsafeMutableBufferPointer { out in
                    for group in groups where !group.samples.isEmpty {
                        let firstRow = group.samples.lowerBound * rowsPerSample
                        precondition(group.samples.upperBound * rowsPerSample <= inputs.shape[0]
                                     && group.destinationOffset + kOut * kIn <= out.count,
                                     "outer products: group \(group.samples) outside the observed rows or destination")
                        sgemm(.transposed, .none, m: kOut, n: kIn, k: group.samples.count * rowsPerSample,
                              a: g.baseAddress! + firstRow * kOut, lda: kOut,
                              b: a.baseAddress! + firstRow * kIn, ldb: kIn,
                              beta: 1, c: out.baseAddress! + group.destinationOffset, ldc: kIn)
                    }
                }
            }
        }
    }
}
