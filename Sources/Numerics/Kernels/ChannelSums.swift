/// Per-channel sums over the positions of one channels-last `[positions, channels]` block.
///
/// Terms are added in Float vectors across channels over runs of 64 positions, and the run
/// totals in Double: vector speed, with a rounding error that grows with the run length rather
/// than with the image size.
enum ChannelSums {
    /// Positions summed in Float before the running total is carried into Double.
    static let positionsPerRun = 64

    /// Sets `sums[c] = Σ_p term(p · channels + c, c)` for every channel `c`, where
    /// `term(offset, channel, lanes)` returns the terms of `lanes` consecutive channels starting
    /// at `channel` (flat element offset `offset` in the block).
    @inline(__always)
    static func compute(
        positions: Int, channels: Int, into sums: UnsafeMutablePointer<Double>,
        _ term: (_ offset: Int, _ channel: Int, _ lanes: Int) -> FloatVector
    ) {
        sums.initialize(repeating: 0, count: channels)
        let runSums = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { runSums.deallocate() }
        for runStart in stride(from: 0, to: positions, by: positionsPerRun) {
            runSums.initialize(repeating: 0, count: channels)
            for position in runStart..<min(positions, runStart + positionsPerRun) {
                let row = position * channels
                VectorLoop.forEachVector(count: channels) { channel, lanes in
                    let total = UnsafePointer(runSums).loadVector(at: channel, lanes: lanes)
                        + term(row + channel, channel, lanes)
                    runSums.storeVector(total, at: channel, lanes: lanes)
                }
            }
            for channel in 0..<channels { sums[channel] += Double(runSums[channel]) }
        }
    }
}
