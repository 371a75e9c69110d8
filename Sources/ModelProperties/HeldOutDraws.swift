import Numerics

/// The `(t, ε)` draws of the held-out loss, each a pure function of `(seed, image, draw)`.
///
/// Every model is measured on the same draws (common random numbers), so the difference between
/// two coalitions' held-out losses carries no Monte-Carlo noise from the draws themselves.
struct HeldOutDraws: Sendable {
    /// The property's draw seed.
    let seed: UInt64

    /// The timestep (uniform in `0..<trainTimesteps`) and standard normal noise (`count` values,
    /// NCHW order) of draw `draw` of held-out image `image`.
    func timestepAndNoise(image: Int, draw: Int, trainTimesteps: Int, count: Int) -> (timestep: Int, noise: [Float]) {
        precondition(trainTimesteps > 0 && trainTimesteps <= Int(UInt32.max), "timestep bound \(trainTimesteps) out of range")
        var generator = SeededGenerator(keys: seed, Self.stream, UInt64(image), UInt64(draw))
        // ⌊word · bound / 2³²⌋: uniform up to a bias below bound / 2³².
        let timestep = Int((UInt64(generator.nextWord()) &* UInt64(trainTimesteps)) >> 32)
        return (timestep, generator.normals(count: count))
    }

    /// Separates these draws from training's, sampling's and the influence engine's streams.
    private static let stream: UInt64 = 0x484F_4C44_0000_0001  // "HOLD" 1
}
