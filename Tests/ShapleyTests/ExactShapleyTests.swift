@testable import Shapley
import Testing

@Suite struct ExactShapleyTests {
    @Test func exactEnumerationEqualsTheDefinition() throws {
        let game = TestGame.mixed(players: 6)
        let estimates = try exactEstimates(game)
        let reference = game.shapleyByPermutations()
        for property in 0..<game.properties {
            for player in 0..<game.players {
                #expect(abs(estimates.values[property][player] - reference[property][player]) < 1e-12)
            }
        }
        #expect(estimates.standardErrors.joined().allSatisfy { $0 == 0 })
        #expect(estimates.samples == 64)
        #expect(estimates.maxStandardError == 0)
    }

    @Test func gloveGameHasItsKnownValues() throws {
        // One left glove (player 0), two right gloves: the left glove earns 2/3.
        let game = TestGame(players: 3, properties: 1) { coalition in
            [coalition.contains(0) && (coalition.contains(1) || coalition.contains(2)) ? 1 : 0]
        }
        let values = try exactEstimates(game).values[0]
        #expect(abs(values[0] - 2.0 / 3) < 1e-15 && abs(values[1] - 1.0 / 6) < 1e-15 && abs(values[2] - 1.0 / 6) < 1e-15)
    }

    @Test func additiveGameRecoversTheWeights() throws {
        let weights = [0.5, -1.25, 3, 0, 2.5]
        let values = try exactEstimates(.additive(weights)).values[0]
        for player in weights.indices { #expect(abs(values[player] - weights[player]) < 1e-12) }
    }

    @Test func symmetricPlayersGetEqualValuesAndNullPlayersZero() throws {
        let weights = [2.0, 2, 1, 1, 3, 0]
        let game = TestGame(players: 6, properties: 1) { coalition in
            [coalition.members.reduce(0) { $0 + weights[$1] } >= 5 ? 1 : 0]
        }
        let values = try exactEstimates(game).values[0]
        #expect(abs(values[0] - values[1]) < 1e-15)
        #expect(abs(values[2] - values[3]) < 1e-15)
        #expect(values[0] != values[2])
        #expect(abs(values[5]) < 1e-15)
        #expect(abs(try exactEstimates(.mixed(players: 5, null: [3])).values.map { $0[3] }.map(abs).max()!) < 1e-12)
    }

    @Test func valuesAreEfficient() throws {
        let estimates = try exactEstimates(.mixed(players: 7))
        for property in 0..<3 {
            let total = estimates.grandValue[property] - estimates.emptyValue[property]
            #expect(abs(estimates.values[property].reduce(0, +) - total) < 1e-12 * max(1, abs(total)))
        }
    }

    @Test func moreThanSixteenPlayersAreRefused() throws {
        #expect(caseName(thrown { _ = try ShapleyEstimator(players: 17, properties: 1, sampling: .exact, seed: 0, resuming: nil) })
            == "tooManyPlayersForExact")
        #expect(throws: Never.self) { try ShapleyEstimator(players: 16, properties: 1, sampling: .exact, seed: 0, resuming: nil) }
        #expect(throws: Never.self) { try ShapleyEstimator(players: 64, properties: 1, sampling: .kernel, seed: 0, resuming: nil) }
        #expect(caseName(thrown { _ = try ShapleyEstimator(players: 65, properties: 1, sampling: .kernel, seed: 0, resuming: nil) })
            == "invalidPlayers")
    }

    @Test func aBudgetLeavesTheRestOfTheEnumerationForLater() throws {
        let game = TestGame.mixed(players: 5)
        var estimator = try ShapleyEstimator(players: 5, properties: 3, sampling: .exact, seed: 0, resuming: nil)
        var values = CoalitionValues(properties: 3)
        let first = EvaluationLog()
        let partial = try estimator.run(values: &values, target: .absolute(0), minSamples: 0, maxNewEvaluations: 10,
                                        evaluate: first.evaluate(game), afterEvaluation: { _ in .proceed })
        #expect(first.count == 10 && values.count == 10)
        #expect(Array(first.calls.prefix(2)) == [.empty, .grand(players: 5)])
        #expect(partial.samples == 0 && partial.maxStandardError == .infinity)
        #expect(partial.values.allSatisfy { row in row.allSatisfy { $0 == row[0] } })
        let rest = EvaluationLog()
        let complete = try runFully(&estimator, values: &values, game: game, log: rest)
        #expect(rest.count == 22 && Set(rest.calls).isDisjoint(with: first.calls))
        #expect(complete == (try exactEstimates(game)))
        let again = EvaluationLog()
        #expect(try runFully(&estimator, values: &values, game: game, log: again) == complete)
        #expect(again.count == 0)
    }

    @Test func onePlayerGetsTheWholeTotal() throws {
        let game = TestGame(players: 1, properties: 2) { $0.count == 1 ? [3, -1] : [1, 1] }
        for sampling in ShapleySampling.allCases {
            var estimator = try ShapleyEstimator(players: 1, properties: 2, sampling: sampling, seed: 9, resuming: nil)
            var values = CoalitionValues(properties: 2)
            let log = EvaluationLog()
            let estimates = try runFully(&estimator, values: &values, game: game, target: .relative(0.01), minSamples: 5, log: log)
            #expect(estimates.values == [[2], [-2]])
            #expect(estimates.maxStandardError == 0)
            #expect(log.count == 2)
        }
    }
}
