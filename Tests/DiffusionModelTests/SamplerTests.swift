import DiffusionModel
import Foundation
import Numerics
import Testing

/// Ancestral sampling: deterministic for a seed, independent of count and batching, in range.
@Suite struct SamplerTests {
    private static func sampler() throws -> AncestralSampler {
        AncestralSampler(
            model: UNet2DModel(config: try TrainingTestSupport.tinyModelConfig(), seed: 4),
            schedulerConfig: DDPMSchedulerConfig(numTrainTimesteps: 100, betaSchedule: .linear))
    }

    @Test func theSameSeedGivesTheSameImages() throws {
        let sampler = try Self.sampler()
        let first = try sampler.sample(count: 3, size: 4, steps: 5, seed: 11)
        let second = try sampler.sample(count: 3, size: 4, steps: 5, seed: 11)
        let other = try sampler.sample(count: 3, size: 4, steps: 5, seed: 12)
        #expect(first.shape == [3, 1, 4, 4])
        #expect(first == second)
        #expect(first != other)
        #expect(first.scalars.allSatisfy { $0 >= -1 && $0 <= 1 })
        #expect(Set(first.scalars).count > 10)  // not collapsed to the clamp bounds
    }

    @Test func anImageDoesNotDependOnCountOrBatching() throws {
        let sampler = try Self.sampler()
        var steps: [Int] = []
        let together = try sampler.sample(count: 3, size: 4, steps: 4, seed: 2, batchSize: 3)
        let apart = try sampler.sample(count: 2, size: 4, steps: 4, seed: 2, batchSize: 1) { _, step, total in
            steps.append(step)
            #expect(total == 4)
        }
        #expect(steps == [0, 1, 2, 3, 0, 1, 2, 3])
        let firstTwo = Array(together.scalars.prefix(apart.count))
        let difference = zip(firstTwo, apart.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(difference <= 1e-5)
    }

    @Test func moreStepsThanTheScheduleHasAreRefused() throws {
        #expect(throws: DDPMSchedulerError.invalidInferenceStepCount(requested: 101, trainTimesteps: 100)) {
            try Self.sampler().sample(count: 1, size: 4, steps: 101, seed: 0)
        }
    }
}
