@testable import Attribution
import DiffusionModel
import Numerics
import Testing

/// Query measurement gradients and the ELBO weighting.
@Suite("Measurement: query gradients")
struct MeasurementQueryTests {
    typealias Support = GradientsTestSupport

    @Test func lossQueryGradientIsTheLossGradientWithTheQueryDraws() throws {
        let model = try Support.tinyModel()
        let engine = try Support.engine(GradientSettings(projection: .identity, drawSeed: 12, queryDraws: 3), model: model)
        let samples = Support.images(count: 2, seed: 21)
        let vectors = try engine.queryGradients(samples: samples, keys: [100, 200])
        for (index, key) in [UInt64(100), 200].enumerated() {
            let reference = try Support.referenceGradient(model: model, scheduler: engine.scheduler, image: Support.image(samples, index),
                                                          key: key, stream: MonteCarloDraws.Stream.query, draws: 3, drawSeed: 12)
            #expect(Support.relativeError(Support.row(vectors, index), reference) < 1e-5)
        }
    }

    @Test func elboQueryGradientWeightsEachDrawByItsTimestep() throws {
        let model = try Support.tinyModel()
        let settings = GradientSettings(projection: .identity, drawSeed: 12, queryDraws: 3, measurement: .elbo)
        let engine = try Support.engine(settings, model: model)
        let sample = Support.image(Support.images(count: 1, seed: 21), 0)
        let vector = Support.row(try engine.queryGradients(samples: sample, keys: [100]), 0)
        let weights = ELBOTimestepWeights.weights(betas: engine.scheduler.betas)
        let reference = try Support.referenceGradient(model: model, scheduler: engine.scheduler, image: sample, key: 100,
                                                      stream: MonteCarloDraws.Stream.query, draws: 3, drawSeed: 12, weights: weights)
        #expect(Support.relativeError(vector, reference) < 1e-5)
        let unweighted = try Support.referenceGradient(model: model, scheduler: engine.scheduler, image: sample, key: 100,
                                                       stream: MonteCarloDraws.Stream.query, draws: 3, drawSeed: 12)
        #expect(Support.relativeError(vector, unweighted) > 1e-2)
    }

    @Test func elboWeightsFollowTheVariationalBound() throws {
        // Recompute β and ᾱ of the linear schedule in Double and w(t) = β/(2(1−β)(1−ᾱ)), mean 1.
        let scheduler = try Support.scheduler()
        let weights = ELBOTimestepWeights.weights(betas: scheduler.betas)
        var alphaBar = 1.0
        let raw = (0..<1000).map { t -> Double in
            let beta = 0.0001 + (0.02 - 0.0001) * Double(t) / 999
            alphaBar *= 1 - beta
            return beta * beta / (2 * beta * (1 - beta) * (1 - alphaBar))  // β²/(2σ²α(1−ᾱ)) with σ² = β
        }
        let mean = raw.reduce(0, +) / 1000
        #expect(weights.count == 1000)
        for (ours, expected) in zip(weights, raw.map { $0 / mean }) {
            #expect(abs(Double(ours) - expected) <= 1e-5 * expected)
        }
        #expect(abs(weights.reduce(0.0) { $0 + Double($1) } / 1000 - 1) < 1e-5)
        #expect(weights[0] > weights[999])  // the bound stresses the least noisy steps
    }

    @Test func elboWeightsOfANoiselessStartAreFinite() {
        let weights = ELBOTimestepWeights.weights(betas: [0, 0.1, 0.2])
        #expect(weights[0] == 0 && weights.allSatisfy(\.isFinite))
        #expect(ELBOTimestepWeights.weights(betas: [0, 0]) == [1, 1])
    }

    @Test func defaultKeysFollowTheSampleNotItsPosition() throws {
        let engine = try Support.engine(GradientSettings(projection: .fixed(inputs: 3, outputs: 3), queryDraws: 2))
        let samples = Support.images(count: 2, seed: 30)
        let pair = try engine.queryGradients(samples: samples)
        let second = try engine.queryGradients(samples: Support.image(samples, 1))
        #expect(Support.relativeError(Support.row(pair, 1), Support.row(second, 0)) < 1e-5)
        #expect(QueryKeys.contentHashes(samples)[0] != QueryKeys.contentHashes(samples)[1])
        #expect(throws: GradientError.keyCount(keys: 1, images: 2)) { try engine.queryGradients(samples: samples, keys: [1]) }
    }
}
