import Numerics

/// The random choices behind every Monte-Carlo quantity of the engine, each a pure function of
/// `(seed, stream, key, draw)`: the same example gets the same draws whatever batch it sits in,
/// in whichever order examples are processed, and on any machine.
struct MonteCarloDraws: Sendable {
    /// The settings' draw seed.
    let seed: UInt64

    /// The timestep (uniform in `0..<trainTimesteps`) and the standard normal noise (`count`
    /// values, NCHW order) of draw `draw` of the item with `key` in `stream`.
    func timestepAndNoise(stream: UInt64, key: UInt64, draw: Int, trainTimesteps: Int, count: Int) -> (timestep: Int, noise: [Float]) {
        precondition(trainTimesteps > 0 && trainTimesteps <= Int(UInt32.max), "timestep bound \(trainTimesteps) out of range")
        var generator = SeededGenerator(keys: seed, stream, key, UInt64(draw))
        // ⌊word · bound / 2³²⌋: uniform up to a bias below bound / 2³².
        let timestep = Int((UInt64(generator.nextWord()) &* UInt64(trainTimesteps)) >> 32)
        return (timestep, generator.normals(count: count))
    }

    /// `z ~ N(0, I)` (`count` values, NCHW order) for the MC-GGN seed of draw `draw` of `key`.
    func curvatureNoise(key: UInt64, draw: Int, count: Int) -> [Float] {
        var generator = SeededGenerator(keys: seed, Stream.curvature, key, UInt64(draw))
        return generator.normals(count: count)
    }

    /// Keys that separate the engine's random streams from each other and from training's and sampling's.
    enum Stream {
        /// `(t, ε)` of training examples, keyed by example id.
        static let training: UInt64 = 0x494E_464C_0000_0001  // "INFL" 1
        /// `(t, ε)` of query measurements, keyed by the query's key.
        static let query: UInt64 = 0x494E_464C_0000_0002  // "INFL" 2
        /// `z` of the MC-GGN curvature seeds, keyed by example id.
        static let curvature: UInt64 = 0x494E_464C_0000_0003  // "INFL" 3
    }
}
