import DiffusionModel
import Numerics

/// What the two training-based games share: train from fixed starting weights (under an
/// optional mask) on a coalition's examples, build the model, measure it, and account the cost.
struct CoalitionGame {
    let trainer: CoalitionTrainer
    let partition: ContributorPartition
    let start: ParameterSet
    let mask: [String: Tensor]?
    let measure: (UNet2DModel) throws -> [Double]
    private(set) var cost = ValuationCost()

    init(
        trainer: CoalitionTrainer, partition: ContributorPartition, start: ParameterSet, mask: [String: Tensor]?,
        measure: @escaping (UNet2DModel) throws -> [Double]
    ) throws(ValuationError) {
        if let mismatch = ParameterMismatch(parameters: start, expected: UNet2DModel.parameterSpecs(for: trainer.config)) {
            throw .parametersDoNotMatchConfig(mismatch)
        }
        for example in partition.examples.joined() where !(0..<trainer.exampleCount).contains(example) {
            throw .partitionOutOfRange(example: example, examples: trainer.exampleCount)
        }
        self.trainer = trainer
        self.partition = partition
        self.start = start
        self.mask = mask
        self.measure = measure
    }

    /// The measurements of the model trained on `players`' examples (the starting model for
    /// the empty coalition). Duplicates and order in `players` do not matter.
    mutating func value(ofPlayers players: [Int]) throws(ValuationError) -> [Double] {
        let coalition = Array(Set(players)).sorted()
        if let unknown = coalition.first(where: { !(0..<partition.count).contains($0) }) {
            throw .unknownPlayer(unknown, players: partition.count)
        }
        let clock = ContinuousClock()
        let trainingStart = clock.now
        var parameters = start
        if !coalition.isEmpty {
            let run = try trainer.train(from: start, examples: partition.examples(ofPlayers: coalition), mask: mask, coalition: coalition)
            parameters = run.parameters
            cost.trainingSteps += run.losses.count
            cost.examplesProcessed += run.examplesProcessed
        }
        let model: UNet2DModel
        do { model = try UNet2DModel(config: trainer.config, parameters: parameters) } catch {
            preconditionFailure("trained parameters keep the validated keys and shapes: \(error)")
        }
        let measuringStart = clock.now
        cost.trainingSeconds += Self.seconds(trainingStart.duration(to: measuringStart))
        defer { cost.measuringSeconds += Self.seconds(measuringStart.duration(to: clock.now)) }
        let values: [Double]
        do { values = try measure(model) } catch { throw .measurementFailed(coalition: coalition, reason: "\(error)") }
        cost.evaluations += 1
        return values
    }

    private static func seconds(_ duration: Duration) -> Double {
        duration / .seconds(1)
    }
}
