@testable import Shapley
import Testing

@Suite struct ShapleyRunTests {
    static let game = TestGame.mixed(players: 9)

    static func estimator(_ sampling: ShapleySampling) throws -> ShapleyEstimator {
        try ShapleyEstimator(players: 9, properties: 3, sampling: sampling, seed: 5, resuming: nil)
    }

    @Test(arguments: ShapleySampling.allCases) func theMemoPreventsReevaluation(sampling: ShapleySampling) throws {
        var values = CoalitionValues(properties: 3)
        var first = try Self.estimator(sampling)
        let log = EvaluationLog()
        let estimates = try runFully(&first, values: &values, game: Self.game, minSamples: 300, log: log)
        #expect(log.count == log.distinct && log.count == values.count)
        #expect(Array(log.calls.prefix(2)) == [.empty, .grand(players: 9)])
        var second = try Self.estimator(sampling)
        let again = EvaluationLog()
        #expect(try runFully(&second, values: &values, game: Self.game, minSamples: 300, log: again) == estimates)
        #expect(again.count == 0)
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func theBudgetIsHonoured(sampling: ShapleySampling) throws {
        var values = CoalitionValues(properties: 3)
        var estimator = try Self.estimator(sampling)
        let log = EvaluationLog()
        let estimates = try estimator.run(values: &values, target: .absolute(0), minSamples: 0, maxNewEvaluations: 25,
                                          evaluate: log.evaluate(Self.game), afterEvaluation: { _ in .proceed })
        #expect(log.count <= 25 && log.count > 15)
        #expect(estimates.samples == estimator.state.samples && estimates.samples > 0)
        // Every folded sample's coalitions were evaluated; the next sample did not fit in what was left.
        let scheme: any SamplingScheme = sampling == .kernel ? KernelSampling(players: 9) : PermutationSampling(players: 9)
        func needed(_ sample: Int) -> [Coalition] {
            func open<Scheme: SamplingScheme>(_ scheme: Scheme) -> [Coalition] { scheme.coalitions(of: scheme.draw(sample, seed: 5)) }
            return open(scheme)
        }
        #expect((0..<estimates.samples).allSatisfy { needed($0).allSatisfy { values[$0] != nil } })
        #expect(needed(estimates.samples).count { values[$0] == nil } > 25 - log.count)
    }

    @Test(arguments: ShapleySampling.allCases) func stopIsHonouredAndProgressReported(sampling: ShapleySampling) throws {
        var values = CoalitionValues(properties: 3)
        var estimator = try Self.estimator(sampling)
        let log = EvaluationLog()
        var reports: [ShapleyProgress] = []
        _ = try estimator.run(values: &values, target: .absolute(0), minSamples: 0, maxNewEvaluations: nil,
                              evaluate: log.evaluate(Self.game)) { progress in
            reports.append(progress)
            return progress.newEvaluations == 17 ? .stop : .proceed
        }
        #expect(log.count == 17 && reports.count == 17)
        #expect(reports.map(\.newEvaluations) == Array(1...17))
        #expect(reports.map(\.coalition) == log.calls)
        #expect(reports.allSatisfy { values[$0.coalition] == $0.values })
        #expect(zip(reports, reports.dropFirst()).allSatisfy { $0.samples <= $1.samples })
        #expect(reports.allSatisfy { ($0.maxStandardError != nil) == ($0.samples >= 2 && sampling != .exact) })
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func theTargetStopsTheRunAtTheFirstSampleMeetingIt(sampling: ShapleySampling) throws {
        var values = CoalitionValues(properties: 3)
        var estimator = try Self.estimator(sampling)
        let target = ShapleyEstimator.StandardErrorTarget.relative(0.1)
        let estimates = try runFully(&estimator, values: &values, game: Self.game, target: target, minSamples: 10)
        #expect(target.isReached(by: estimates) && estimates.samples > 10 && estimates.sampling == sampling)
        var shorter = try Self.estimator(sampling)
        let previous = try runFully(&shorter, values: &values, game: Self.game, minSamples: estimates.samples - 1)
        #expect(previous.samples == estimates.samples - 1 && !target.isReached(by: previous))
        let thresholds = target.thresholds(for: estimates)
        for property in 0..<3 {
            #expect(thresholds[property] == 0.1 * abs(estimates.grandValue[property] - estimates.emptyValue[property]))
        }
    }

    @Test(arguments: [ShapleySampling.kernel, .permutation]) func aMemoHoldingTheWholeGameGivesTheExactValues(sampling: ShapleySampling) throws {
        // A target of 0 is never met by sampling; with four players every coalition is soon in
        // the memo, and the run ends there with the exact values rather than sampling on.
        let game = TestGame.mixed(players: 4)
        var estimator = try ShapleyEstimator(players: 4, properties: 3, sampling: sampling, seed: 1, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let log = EvaluationLog()
        let estimates = try runFully(&estimator, values: &values, game: game, target: .absolute(0), minSamples: 1000, log: log)
        #expect(log.count == 16 && values.count == 16)
        #expect(estimator.state.samples > 1 && estimator.state.samples < 1000)
        #expect(estimates == (try exactEstimates(game)))
        #expect(estimates.sampling == .exact && estimates.samples == 16 && estimates.maxStandardError == 0)
    }

    @Test func evaluationFailuresAndBadValuesAreReported() throws {
        struct Broken: Error {}
        var values = CoalitionValues(properties: 3)
        var estimator = try Self.estimator(.kernel)
        func run(_ evaluate: (Coalition) throws -> [Double]) -> ShapleyError? {
            thrown { _ = try estimator.run(values: &values, target: .absolute(0.1), minSamples: 0, maxNewEvaluations: nil,
                                           evaluate: evaluate, afterEvaluation: { _ in .proceed }) }
        }
        let failure = run { _ in throw Broken() }
        guard case .evaluationFailed(let coalition, let cause) = failure else { Issue.record("got \(String(describing: failure))"); return }
        #expect(coalition == .empty && cause is Broken)
        #expect(caseName(run { _ in [1, .nan, 2] }) == "nonFiniteValue")
        #expect(caseName(run { _ in [1, 2] }) == "wrongValueCount")
        #expect(values.count == 0)
        #expect(caseName(run { _ in [1, 2, .infinity] }) == "nonFiniteValue")
    }

    @Test func invalidRunSettingsAreRefused() throws {
        var estimator = try Self.estimator(.permutation)
        var values = CoalitionValues(properties: 3)
        var wrongValues = CoalitionValues(properties: 2)
        func attempt(_ values: inout CoalitionValues, _ target: ShapleyEstimator.StandardErrorTarget, _ minSamples: Int,
                     _ budget: Int?) -> String? {
            caseName(thrown { _ = try estimator.run(values: &values, target: target, minSamples: minSamples, maxNewEvaluations: budget,
                                                    evaluate: Self.game.value, afterEvaluation: { _ in .proceed }) })
        }
        #expect(attempt(&values, .absolute(-1), 0, nil) == "invalidTarget")
        #expect(attempt(&values, .relative(.nan), 0, nil) == "invalidTarget")
        #expect(attempt(&values, .relative(0.1), -1, nil) == "invalidRunLimit")
        #expect(attempt(&values, .relative(0.1), 0, -1) == "invalidRunLimit")
        #expect(attempt(&wrongValues, .relative(0.1), 0, nil) == "propertyCountMismatch")
        #expect(values.count == 0)
    }

    @Test func nothingIsKnownBeforeTheEmptyAndGrandCoalitions() throws {
        var estimator = try Self.estimator(.kernel)
        var values = CoalitionValues(properties: 3)
        let estimates = try estimator.run(values: &values, target: .absolute(0), minSamples: 0, maxNewEvaluations: 1,
                                          evaluate: Self.game.value, afterEvaluation: { _ in .proceed })
        #expect(values.count == 1 && values[.empty] != nil)
        #expect(estimates.values.joined().allSatisfy(\.isNaN) && estimates.grandValue.allSatisfy(\.isNaN))
        #expect(estimates.maxStandardError == .infinity && !ShapleyEstimator.StandardErrorTarget.absolute(1).isReached(by: estimates))
    }
}
