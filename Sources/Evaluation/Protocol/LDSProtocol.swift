import Foundation

/// The settings of an LDS benchmark run (`Config/lds-benchmark.json`): which data, how many
/// retrained models, how samples are generated and measured, and which sweeps to run.
public struct LDSProtocol: Sendable, Equatable, Codable {
    /// Training recipe of the full model and of every retrained model (a training config file).
    public var trainingConfig: String
    /// Training examples used: the first `examples` of the data folder's training shards.
    public var examples: Int
    /// Number of random subsets (retrained models).
    public var subsets: Int
    /// Fraction of the examples in each subset (the paper's α).
    public var fraction: Double
    /// Models trained per subset with different seeds; their measurements are averaged.
    public var seedsPerSubset: Int
    /// Generated query samples.
    public var samples: Int
    /// Denoising steps when generating the query samples.
    public var samplingSteps: Int
    /// (t, ε) draws averaged in each ground-truth measurement.
    public var measurementDraws: Int
    /// Seed of the subsets, samples and measurement draws.
    public var seed: UInt64
    /// Per-side projection dimension of the default method.
    public var projection: Int
    /// (t, ε) draws per training example in the default method.
    public var drawsPerExample: Int
    /// (t, ε) draws per query sample's measurement gradient.
    public var queryDraws: Int
    /// Damping factors (relative to each layer's mean eigenvalue) of the damping sweep.
    public var dampingSweep: [Double]
    /// Per-side projection dimensions of the projection sweep.
    public var projectionSweep: [Int]
    /// Draws per training example of the draws sweep.
    public var drawsSweep: [Int]

    enum CodingKeys: String, CodingKey {
        case trainingConfig = "training_config", examples, subsets, fraction
        case seedsPerSubset = "seeds_per_subset", samples, samplingSteps = "sampling_steps"
        case measurementDraws = "measurement_draws", seed, projection, drawsPerExample = "draws_per_example"
        case queryDraws = "query_draws", dampingSweep = "damping_sweep", projectionSweep = "projection_sweep"
        case drawsSweep = "draws_sweep"
    }

    /// Reads and checks a protocol file.
    public static func load(contentsOf url: URL) throws -> LDSProtocol {
        let value = try JSONDecoder().decode(LDSProtocol.self, from: Data(contentsOf: url))
        try value.validate()
        return value
    }

    /// Throws ``LDSProtocolError`` naming the first setting out of range.
    public func validate() throws(LDSProtocolError) {
        let checks: [(String, Bool)] = [
            ("examples", examples >= 4), ("subsets", subsets >= 2), ("fraction", fraction > 0 && fraction < 1),
            ("seeds_per_subset", seedsPerSubset >= 1), ("samples", samples >= 1), ("sampling_steps", samplingSteps >= 1),
            ("measurement_draws", measurementDraws >= 1), ("projection", projection >= 1),
            ("draws_per_example", drawsPerExample >= 1), ("query_draws", queryDraws >= 1),
            ("damping_sweep", dampingSweep.allSatisfy { $0 > 0 }), ("projection_sweep", projectionSweep.allSatisfy { $0 >= 1 }),
            ("draws_sweep", drawsSweep.allSatisfy { $0 >= 1 }),
        ]
        if let failed = checks.first(where: { !$0.1 }) { throw .outOfRange(key: failed.0) }
    }
}

/// A protocol setting that cannot be used.
public enum LDSProtocolError: Error, Equatable, CustomStringConvertible {
    /// The value of `key` is out of its range.
    case outOfRange(key: String)

    public var description: String {
        switch self {
        case .outOfRange(let key): "LDS protocol: \"\(key)\" is out of range"
        }
    }
}
