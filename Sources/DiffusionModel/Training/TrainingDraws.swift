import Numerics

/// The random choices of training, each a pure function of the seed and where it is used, so a
/// run can be resumed at any step and any example's noise can be recomputed later (e.g. to
/// attribute a generated image to the exact training losses its examples contributed).
public struct TrainingDraws: Sendable {
    /// The run's seed.
    public let seed: UInt64

    /// Draws for the run with `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// Indices (into the training data) of the minibatch of `step`: consecutive slices of
    /// a fresh random permutation per epoch, so every example is seen once per epoch.
    public func batchIndices(step: Int, batchSize: Int, exampleCount: Int) -> [Int] {
        precondition(exampleCount > 0 && batchSize > 0 && step >= 0, "batchIndices: empty data or batch")
        var permutations: [Int: [Int]] = [:]
        return (step * batchSize..<(step + 1) * batchSize).map { position in
            let epoch = position / exampleCount
            if permutations[epoch] == nil { permutations[epoch] = permutation(epoch: epoch, count: exampleCount) }
            return permutations[epoch]![position % exampleCount]
        }
    }

    /// The timestep (uniform in `0..<trainTimesteps`) and the standard normal noise (`count`
    /// values, in the image's NCHW order) used for example `exampleID` at `step`.
    public func timestepAndNoise(step: Int, exampleID: Int64, trainTimesteps: Int, count: Int) -> (timestep: Int, noise: [Float]) {
        var generator = SeededGenerator(keys: seed, Stream.noise, UInt64(step), UInt64(bitPattern: exampleID))
        let timestep = Self.uniformIndex(below: trainTimesteps, using: &generator)
        return (timestep, generator.normals(count: count))
    }

    /// A uniformly random permutation of `0..<count` (Fisher–Yates) for `epoch`.
    func permutation(epoch: Int, count: Int) -> [Int] {
        var generator = SeededGenerator(keys: seed, Stream.shuffle, UInt64(epoch))
        var order = Array(0..<count)
        for index in stride(from: count - 1, to: 0, by: -1) {
            order.swapAt(index, Self.uniformIndex(below: index + 1, using: &generator))
        }
        return order
    }

    /// `⌊word · bound / 2³²⌋`: uniform in `0..<bound` up to a bias below `bound / 2³²`.
    private static func uniformIndex(below bound: Int, using generator: inout SeededGenerator) -> Int {
        precondition(bound > 0 && bound <= Int(UInt32.max), "uniformIndex: bound \(bound) out of range")
        return Int((UInt64(generator.nextWord()) &* UInt64(bound)) >> 32)
    }

    /// Keys that separate training's random streams from each other and from sampling's.
    private enum Stream {
        static let shuffle: UInt64 = 0x5452_4149_0000_0001  // "TRAI" 1
        static let noise: UInt64 = 0x5452_4149_0000_0002  // "TRAI" 2
    }
}
