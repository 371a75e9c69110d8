/// The linear datamodelling score (LDS) of one attribution method: how well the sum of its
/// per-example scores over a training subset ranks the measurements of models actually
/// retrained on those subsets.
///
/// Scores follow the influence sign convention: a positive score `τ(i, x̂)` says that training on
/// example i lowers the measurement (the loss) of sample x̂. The predicted measurement of the
/// model trained on subset S is therefore `−Σ_{i∈S} τ(i, x̂)`, up to a constant and a positive
/// scale, which a rank correlation ignores.
public struct LinearDatamodelingScore: Sendable, Codable, Equatable {
    /// Spearman correlation per query sample (`nil` where a side was constant).
    public let perSample: [Double?]
    /// Mean over the samples that have a correlation, with a bootstrap interval over samples.
    public let interval: BootstrapInterval

    /// - Parameters:
    ///   - scores: `scores[q][i]`: the method's score of training example i for query sample q.
    ///   - measurements: `measurements[j][q]`: the measurement of sample q under the model
    ///     retrained on subset j (already averaged over that subset's seeds).
    ///   - plan: The subsets, in the order of `measurements`.
    public init(scores: [[Double]], measurements: [[Double]], plan: SubsetPlan, bootstrapSeed: UInt64 = 0) {
        precondition(measurements.count == plan.subsets.count, "LDS: \(measurements.count) measured models for \(plan.subsets.count) subsets")
        perSample = scores.indices.map { query in
            let sampleScores = scores[query]
            precondition(sampleScores.count == plan.examples, "LDS: \(sampleScores.count) scores for \(plan.examples) examples")
            let predicted = plan.subsets.map { subset in -subset.reduce(0.0) { $0 + sampleScores[$1] } }
            let actual = measurements.map { $0[query] }
            return RankCorrelation.spearman(predicted, actual)
        }
        let defined = perSample.compactMap { $0 }
        interval = BootstrapInterval(values: defined.isEmpty ? [0] : defined, seed: bootstrapSeed)
    }
}
