import AttributionStore
import Logging
import Shapley

/// Plays one stored game with the Shapley estimator: starts from the coalition values and
/// sampler state stored for the game's fingerprint, writes every new coalition value to the
/// store as soon as it is evaluated (one small transaction), and stops at the target, the
/// budget, or a stop request.
struct CoalitionGamePlay {
    let store: AttributionStore
    /// The game as it is stored, or as it will be stored when new.
    let game: ShapleyGameRecord
    let sampling: ShapleySampling
    let seed: UInt64
    let logger: Logger

    /// What a play left behind.
    struct Outcome {
        let estimates: ShapleyEstimates
        /// The game with the sampler's new state.
        let game: ShapleyGameRecord
        /// Coalition values stored for the game now.
        let coalitions: Int
        /// Of those, how many were stored before this play.
        let reused: Int
        /// Whether a stop request ended the play.
        let stopped: Bool
    }

    /// The stored game of `fingerprint`, stored now (without coalitions) when new; a game kept
    /// from an earlier checkpoint (retraining does not depend on it) is moved to `step`.
    static func open(store: AttributionStore, fingerprint: String, estimator: String, step: Int, players: [Int64],
                     properties: [String]) throws(ShapleyRefreshError) -> ShapleyGameRecord {
        do {
            return try store.write { transaction in
                let now = Timestamp.now()
                var game = try store.shapleyGame(fingerprint: fingerprint, in: transaction)
                    ?? ShapleyGameRecord(fingerprint: fingerprint, estimator: estimator, step: UInt64(step), players: players,
                                         properties: properties, createdAt: now, updatedAt: now, samplerStates: [])
                game.step = UInt64(step)
                try store.putShapleyGame(game, in: transaction)
                return game
            }
        } catch {
            throw .store("opening game \(fingerprint): \(error)")
        }
    }

    /// Evaluates coalitions with `evaluate` (player indices → one value per property) until every
    /// standard error is at most `target` × |F(all) − F(∅)|, at most `maxCoalitions` of them.
    func play(target: Double, maxCoalitions: Int, evaluate: ([Int]) throws -> [Double], progress: RefreshProgress,
              control: RefreshControl) throws(ShapleyRefreshError) -> Outcome {
        let properties = game.properties.count, players = game.players.count
        var values = try storedValues()
        let reused = values.count
        var estimator: ShapleyEstimator
        do {
            estimator = try ShapleyEstimator(players: players, properties: properties, sampling: sampling, seed: seed,
                                             resuming: savedState(players: players, properties: properties))
        } catch {
            throw .estimator("\(error)")
        }
        var persistenceFailure: (any Error)?
        progress.report(.evaluating, sampling: sampling.kind, reused: reused)
        let estimates: ShapleyEstimates
        do {
            estimates = try estimator.run(
                values: &values, target: .relative(target), minSamples: 2, maxNewEvaluations: maxCoalitions,
                evaluate: { coalition in try evaluate(coalition.members) },
                afterEvaluation: { report in
                    do {
                        try store.write { transaction in
                            try store.putShapleyCoalitionValue(fingerprint: game.fingerprint, bits: report.coalition.bits,
                                                               values: report.values, in: transaction)
                        }
                    } catch {
                        persistenceFailure = error
                        return .stop
                    }
                    progress.report(.evaluating, sampling: sampling.kind, evaluated: report.newEvaluations, reused: reused,
                                    maxStandardError: Self.relative(report.estimates))
                    control.coalitionEvaluated(report.newEvaluations)
                    return control.shouldStop() ? .stop : .proceed
                })
        } catch {
            if case .evaluationFailed(let coalition, let cause) = error { throw .game("coalition \(coalition.members): \(cause)") }
            throw .estimator("\(error)")
        }
        if let persistenceFailure { throw .store("saving a coalition value: \(persistenceFailure)") }
        return Outcome(estimates: estimates, game: updated(with: estimator.state), coalitions: values.count, reused: reused,
                       stopped: control.shouldStop())
    }

    /// The largest standard error as a fraction of its own property's |F(all) − F(∅)| (what the
    /// relative target compares), `nil` while some standard error is unknown or infinite.
    static func relative(_ estimates: ShapleyEstimates) -> Double? {
        let ratios = estimates.standardErrors.indices.map { property in
            (estimates.standardErrors[property].max() ?? 0) / abs(estimates.grandValue[property] - estimates.emptyValue[property])
        }
        guard let largest = ratios.max(), largest.isFinite else { return nil }
        return largest
    }

    /// The coalition values stored for the game.
    private func storedValues() throws(ShapleyRefreshError) -> CoalitionValues {
        let stored: [(bits: UInt64, values: [Double])]
        do { stored = try store.read { try store.shapleyCoalitionValues(fingerprint: game.fingerprint, in: $0) } } catch {
            throw .store("\(error)")
        }
        do {
            return try CoalitionValues(properties: game.properties.count,
                                       entries: stored.map { (coalition: Coalition(bits: $0.bits), values: $0.values) })
        } catch {
            throw .estimator("the stored coalition values of game \(game.fingerprint) are unusable: \(error)")
        }
    }

    /// The sampler state stored for this sampling and seed, if any and usable.
    private func savedState(players: Int, properties: Int) -> ShapleySamplerState? {
        guard let saved = game.samplerStates.first(where: { $0.sampling == sampling.rawValue && $0.seed == seed }) else { return nil }
        do {
            return try ShapleySamplerState(sampling: sampling, players: players, properties: properties, seed: seed,
                                           samples: saved.samples, sums: saved.sums, squareSums: saved.squareSums)
        } catch {
            logger.warning("stored Shapley sampler state unusable; sampling starts over (the coalition values are kept)",
                           metadata: ["game": "\(game.fingerprint)", "error": "\(error)"])
            return nil
        }
    }

    /// The game with `state` in place of the saved state of its sampling and seed.
    private func updated(with state: ShapleySamplerState) -> ShapleyGameRecord {
        var updated = game
        updated.samplerStates.removeAll { $0.sampling == sampling.rawValue && $0.seed == seed }
        updated.samplerStates.append(ShapleySamplerRecord(sampling: sampling.rawValue, seed: seed, samples: state.samples,
                                                          sums: state.sums, squareSums: state.squareSums))
        updated.updatedAt = .now()
        return updated
    }
}
