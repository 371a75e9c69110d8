@testable import Shapley
import Testing

@Suite struct ShapleyResumeTests {
    static let game = TestGame.mixed(players: 10)

    /// The state and memo as a store would restore them: rebuilt from their public fields.
    static func restored(_ state: ShapleySamplerState, _ values: CoalitionValues) throws -> (ShapleySamplerState, CoalitionValues) {
        let state = try ShapleySamplerState(sampling: state.sampling, players: state.players, properties: state.properties, seed: state.seed,
                                            samples: state.samples, sums: state.sums, squareSums: state.squareSums)
        return (state, try CoalitionValues(properties: values.properties, entries: values.entries))
    }

    /// A run straight through to `samples` samples.
    static func straight(_ sampling: ShapleySampling, samples: Int, log: EvaluationLog) throws -> (ShapleyEstimator, ShapleyEstimates) {
        var estimator = try ShapleyEstimator(players: 10, properties: 3, sampling: sampling, seed: 11, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let estimates = try runFully(&estimator, values: &values, game: game, minSamples: samples, log: log)
        return (estimator, estimates)
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func resumingIsBitIdentical(sampling: ShapleySampling) throws {
        let whole = EvaluationLog()
        let (reference, expected) = try Self.straight(sampling, samples: 400, log: whole)
        var first = try ShapleyEstimator(players: 10, properties: 3, sampling: sampling, seed: 11, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let firstLog = EvaluationLog()
        _ = try runFully(&first, values: &values, game: Self.game, minSamples: 200, log: firstLog)
        #expect(first.state.samples == 200)
        let (state, restoredValues) = try Self.restored(first.state, values)
        var memo = restoredValues
        var second = try ShapleyEstimator(players: 10, properties: 3, sampling: sampling, seed: 11, resuming: state)
        let secondLog = EvaluationLog()
        let resumed = try runFully(&second, values: &memo, game: Self.game, minSamples: 400, log: secondLog)
        #expect(resumed == expected)
        #expect(second.state == reference.state)
        #expect(second.state.samples == 400)
        #expect(firstLog.count + secondLog.count == whole.count)
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func interruptedRunsResumeBitIdentically(sampling: ShapleySampling) throws {
        let whole = EvaluationLog()
        let (_, expected) = try Self.straight(sampling, samples: 60, log: whole)
        var estimator = try ShapleyEstimator(players: 10, properties: 3, sampling: sampling, seed: 11, resuming: nil)
        var values = CoalitionValues(properties: 3)
        var calls = 0
        var interruptions = 0
        // Alternate a budget that runs out and a caller that stops mid-sample, restoring each time.
        while estimator.state.samples < 60 {
            let log = EvaluationLog()
            let stopAt = interruptions % 2 == 0 ? 9 : nil
            _ = try estimator.run(values: &values, target: .absolute(.infinity), minSamples: 60,
                                  maxNewEvaluations: interruptions % 2 == 1 ? 13 : nil,
                                  evaluate: log.evaluate(Self.game),
                                  afterEvaluation: { $0.newEvaluations == stopAt ? .stop : .proceed })
            #expect(stopAt == nil || log.count <= 9)
            #expect(log.count <= 13 || stopAt != nil)
            calls += log.count
            interruptions += 1
            let (state, memo) = try Self.restored(estimator.state, values)
            estimator = try ShapleyEstimator(players: 10, properties: 3, sampling: sampling, seed: 11, resuming: state)
            values = memo
        }
        #expect(interruptions > 4)
        #expect(estimator.estimates(values: values) == expected)
        #expect(calls == whole.count)
    }

    @Test func aStateFromAnotherGameIsRefused() throws {
        let state = try ShapleyEstimator(players: 10, properties: 3, sampling: .kernel, seed: 11, resuming: nil).state
        let others: [(players: Int, properties: Int, sampling: ShapleySampling, seed: UInt64)] =
            [(10, 3, .kernel, 12), (9, 3, .kernel, 11), (10, 2, .kernel, 11), (10, 3, .permutation, 11)]
        for other in others {
            let error = thrown {
                _ = try ShapleyEstimator(players: other.players, properties: other.properties, sampling: other.sampling, seed: other.seed,
                                         resuming: state)
            }
            #expect(caseName(error) == "resumeMismatch")
        }
        #expect(throws: Never.self) { try ShapleyEstimator(players: 10, properties: 3, sampling: .kernel, seed: 11, resuming: state) }
    }
}
