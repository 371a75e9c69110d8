import Attribution
import DiffusionModel
import AttributionProtocol
import ContributorValuation
import Indexing
import ModelProperties
import Numerics

extension ShapleyRefresher {
    /// Most images per attribution query of the influence estimator (bounds the query gradients
    /// held at once).
    static let influenceSamplesPerQuery = 16

    /// Values the contributors to first order: each property's gradient target at the checkpoint,
    /// scored against the indexed gradients of that checkpoint and summed per contributor.
    ///
    /// No coalition is evaluated. F(all) is the property of the checkpoint's model; F(∅) is
    /// extrapolated as F(all) − Σ values, so the stored valuation keeps the efficiency identity.
    func valueByInfluence(_ request: RefreshRequest, _ prepared: Preparation) throws(ShapleyRefreshError) -> RefreshCompletion {
        let model = prepared.checkpoint.samplingModel
        let partition = prepared.partition
        let grand: [Double]
        let targets: [PropertyGradientTarget]
        do {
            grand = try prepared.suite.measure(model)
            targets = try prepared.suite.gradientTargets(model)
        } catch {
            throw .properties("\(error)")
        }
        let attributor = self.attributor ?? CachedAttributor(run: context.run, store: context.store, settings: context.settings)
        self.attributor = attributor
        let player = Dictionary(uniqueKeysWithValues: partition.contributors.enumerated().map { ($1, $0) })
        let (step, draws) = (prepared.step, context.queryDraws)
        let estimates: InfluenceEstimates
        do {
            let valuation = try InfluenceValuation(players: partition.count, trainingExamples: prepared.data.trainingExamples,
                                                   samplesPerCall: Self.influenceSamplesPerQuery)
            estimates = try valuation.estimate(targets: targets.map { ($0.samples, $0.weights) }) { batch in
                let result = try attributor.attribute(AttributionQuery(samples: batch, topK: 1, checkpoints: .steps([step]),
                                                                       measurement: .loss, queryDraws: draws))
                return result.samples.map { sample in
                    var totals = [Double](repeating: 0, count: partition.count)
                    for total in sample.contributors { if let index = player[total.contributor] { totals[index] = total.score } }
                    return totals
                }
            }
        } catch {
            throw .game("\(error)")
        }
        prepared.progress.report(.saving)
        let results = request.properties.indices.map { property in
            let values = estimates.values[property]
            return PropertyValuation(property: request.properties[property], higherIsBetter: prepared.suite.higherIsBetter[property],
                                     values: values, standardErrors: estimates.standardErrors[property],
                                     grandValue: grand[property], emptyValue: grand[property] - values.reduce(0, +))
        }
        guard results.allSatisfy(\.isFinite) else { throw .game("the influence estimate is not finite") }
        return RefreshCompletion(
            step: step,
            valuations: results.map { result in
                result.record(estimator: .influence, sampling: .auto, step: step, coalitions: 0, reused: 0,
                              target: request.targetStandardError, partition: partition)
            },
            game: nil, fingerprints: prepared.fingerprints, coalitionsEvaluated: 0, coalitionsReused: 0)
    }
}
