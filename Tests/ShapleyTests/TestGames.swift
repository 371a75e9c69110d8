@testable import Shapley
import Testing

/// A cooperative game for tests: players, properties and the value of every coalition.
struct TestGame: Sendable {
    let players: Int
    let properties: Int
    let value: @Sendable (Coalition) -> [Double]

    func callAsFunction(_ coalition: Coalition) -> [Double] { value(coalition) }

    /// v(S) = Σ_{i∈S} weights[i]: player i's Shapley value is weights[i].
    static func additive(_ weights: [Double]) -> TestGame {
        TestGame(players: weights.count, properties: 1) { coalition in [coalition.members.reduce(0) { $0 + weights[$1] }] }
    }

    /// Three properties, none additive: pairwise synergies plus a smooth saturating term; a
    /// weighted majority vote (1 when the members' weight reaches the quota); a glove game
    /// (matched pairs of left and right gloves). Players listed in `null` never change a value;
    /// the game is meant to be irregular.
    static func mixed(players: Int, null: Set<Int> = []) -> TestGame {
        let active = (0..<players).filter { !null.contains($0) }
        let weights = (0..<players).map { null.contains($0) ? 0 : 1 + 0.5 * Double(max($0, 1) % 4) }
        let quota = 0.5 * active.reduce(0) { $0 + weights[$1] } + 0.25
        let leftGloves = Set(active.enumerated().filter { $0.offset % 3 == 0 }.map(\.element))
        return TestGame(players: players, properties: 3) { coalition in
            let members = coalition.members.filter { !null.contains($0) }
            let weight = members.reduce(0) { $0 + weights[$1] }
            var synergy = 0.0
            for (index, i) in members.enumerated() {
                for j in members[(index + 1)...] { synergy += 0.3 * Double((i + j) % 3) - 0.2 }
            }
            let smooth = 0.7 * weight + synergy + 2 * (1 - 1 / (1 + 0.4 * weight))
            let left = members.filter(leftGloves.contains).count
            return [smooth, weight >= quota ? 1 : 0, Double(min(left, members.count - left))]
        }
    }

    /// Shapley values by their definition as average marginal contributions over all n! orders
    /// (independent of the subset weights used by exact enumeration).
    func shapleyByPermutations() -> [[Double]] {
        var totals = Array(repeating: Array(repeating: 0.0, count: players), count: properties)
        var orders = 0
        func visit(_ order: [Int], _ remaining: [Int]) {
            guard !remaining.isEmpty else {
                orders += 1
                var coalition = Coalition.empty
                var previous = self(coalition)
                for player in order {
                    coalition = coalition.adding(player)
                    let current = self(coalition)
                    for property in 0..<properties { totals[property][player] += current[property] - previous[property] }
                    previous = current
                }
                return
            }
            for (index, player) in remaining.enumerated() {
                var rest = remaining
                rest.remove(at: index)
                visit(order + [player], rest)
            }
        }
        visit([], Array(0..<players))
        return totals.map { $0.map { $0 / Double(orders) } }
    }
}

/// Counts evaluations per coalition.
final class EvaluationLog {
    private(set) var calls: [Coalition] = []
    var count: Int { calls.count }
    var distinct: Int { Set(calls).count }

    func evaluate(_ game: TestGame) -> (Coalition) throws -> [Double] {
        { coalition in
            self.calls.append(coalition)
            return game(coalition)
        }
    }
}

/// The case name of an error, to check which one was thrown.
func caseName(_ error: ShapleyError?) -> String? {
    error.flatMap { Mirror(reflecting: $0).children.first?.label }
}

/// The `ShapleyError` that `body` throws, or `nil` (any other error is recorded as an issue).
func thrown(_ body: () throws -> Void) -> ShapleyError? {
    do { try body() } catch let error as ShapleyError { return error } catch { Issue.record("unexpected error \(error)") }
    return nil
}

/// Runs `estimator` without a budget or progress handling.
func runFully(_ estimator: inout ShapleyEstimator, values: inout CoalitionValues, game: TestGame,
              target: ShapleyEstimator.StandardErrorTarget = .absolute(.infinity), minSamples: Int = 0,
              log: EvaluationLog = EvaluationLog()) throws(ShapleyError) -> ShapleyEstimates {
    try estimator.run(values: &values, target: target, minSamples: minSamples, maxNewEvaluations: nil,
                      evaluate: log.evaluate(game), afterEvaluation: { _ in .proceed })
}

/// Exact values of `game`, by running the exact estimator.
func exactEstimates(_ game: TestGame) throws(ShapleyError) -> ShapleyEstimates {
    var estimator = try ShapleyEstimator(players: game.players, properties: game.properties, sampling: .exact, seed: 0, resuming: nil)
    var values = CoalitionValues(properties: game.properties)
    return try runFully(&estimator, values: &values, game: game)
}
