import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// AdamW, gradient clipping, the cosine warm-up schedule and the EMA against five steps of
/// `torch.optim.AdamW`, `clip_grad_norm_`, diffusers' `get_scheduler("cosine")` and `EMAModel`
/// (`Fixtures/adamw-steps.safetensors`).
@Suite struct OptimizerTests {
    private static let names = ["block.weight", "block.bias"]

    private static func fixture() throws -> SafeTensorsFile {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return try SafeTensorsFile(contentsOf: folder.appendingPathComponent("adamw-steps.safetensors"))
    }

    private static func tensors(_ file: SafeTensorsFile, prefix: String) throws -> [String: Tensor] {
        try parameters(file, prefix: prefix).tensors
    }

    private static func parameters(_ file: SafeTensorsFile, prefix: String) throws -> ParameterSet {
        var result = ParameterSet()
        for name in names {
            let entry = try #require(file.entry(prefix + name))
            result[name] = Tensor(shape: entry.shape, scalars: try file.floats(prefix + name))
        }
        return result
    }

    private static func metadataNumbers(_ file: SafeTensorsFile, _ key: String) throws -> [Double] {
        let text = try #require(file.metadata[key])
        return try JSONDecoder().decode([Double].self, from: Data(text.utf8))
    }

    /// max over tensors of max|ours − reference| / max|reference|.
    private static func relativeError(_ ours: [String: Tensor], _ reference: [String: Tensor]) -> Double {
        reference.map { name, expected in
            let scale = expected.scalars.map { abs(Double($0)) }.max() ?? 1
            let difference = zip(ours[name]?.scalars ?? [], expected.scalars).map { abs(Double($0) - Double($1)) }.max() ?? .infinity
            return difference / scale
        }.max() ?? 0
    }

    @Test func cosineScheduleMatchesDiffusers() throws {
        let file = try Self.fixture()
        let schedule = CosineLearningRateSchedule(baseRate: 1e-2, warmupSteps: 2, totalSteps: 6)
        let expected = try Self.metadataNumbers(file, "learning_rates")
        for (step, rate) in expected.enumerated() {
            #expect(abs(schedule.rate(afterSteps: step) - rate) <= 1e-15, "step \(step)")
        }
        #expect(schedule.rate(afterSteps: 6) == 0)
    }

    @Test func adamWithClippingAndEMAMatchesPyTorch() throws {
        let file = try Self.fixture()
        let schedule = CosineLearningRateSchedule(baseRate: 1e-2, warmupSteps: 2, totalSteps: 6)
        var optimizer = AdamW(settings: AdamW.Settings(beta1: 0.95, beta2: 0.999, weightDecay: 0.1, epsilon: 1e-8))
        var parameters = try Self.parameters(file, prefix: "initial.")
        var average = ExponentialMovingAverage(settings: .init(invGamma: 1, power: 0.75, maxDecay: 0.9999), weights: parameters)
        let norms = try Self.metadataNumbers(file, "gradient_norms")
        for step in 0..<5 {
            var gradients = try Self.tensors(file, prefix: "step.\(step).grad.")
            let norm = clipGradientNorm(&gradients, maxNorm: 1)
            #expect(abs(norm - norms[step]) <= 1e-6 * norms[step], "step \(step)")
            optimizer.step(parameters: &parameters, gradients: gradients, learningRate: schedule.rate(afterSteps: step))
            average.update(with: parameters)
            #expect(Self.relativeError(parameters.tensors, try Self.tensors(file, prefix: "step.\(step).param.")) <= 1e-6, "step \(step)")
            #expect(Self.relativeError(average.averages.tensors, try Self.tensors(file, prefix: "step.\(step).ema.")) <= 1e-6, "step \(step)")
        }
        #expect(optimizer.stepCount == 5 && average.updateCount == 5)
        #expect(Self.relativeError(optimizer.firstMoments, try Self.tensors(file, prefix: "final.exp_avg.")) <= 1e-6)
        #expect(Self.relativeError(optimizer.secondMoments, try Self.tensors(file, prefix: "final.exp_avg_sq.")) <= 1e-6)
    }

    @Test func emaDecayFollowsTheWarmUp() {
        let average = ExponentialMovingAverage(settings: .init(invGamma: 1, power: 0.75, maxDecay: 0.9999), weights: ParameterSet())
        #expect(average.decay(forUpdate: 1) == 0)
        #expect(abs(average.decay(forUpdate: 2) - (1 - pow(2.0, -0.75))) < 1e-15)
        #expect(abs(average.decay(forUpdate: 1001) - (1 - pow(1001.0, -0.75))) < 1e-15)
        #expect(average.decay(forUpdate: 100_000_000) == 0.9999)
    }

    @Test func clippingLeavesSmallGradientsAlone() {
        var gradients = ["a": Tensor(shape: [2], scalars: [0.3, 0.4])]
        #expect(abs(clipGradientNorm(&gradients, maxNorm: 1) - 0.5) < 1e-7)
        #expect(gradients["a"]?.scalars == [0.3, 0.4])
        var large = ["a": Tensor(shape: [2], scalars: [3, 4]), "b": Tensor(shape: [1], scalars: [0])]
        #expect(abs(clipGradientNorm(&large, maxNorm: 1) - 5) < 1e-6)
        #expect(abs((large["a"]?.scalars[0] ?? 0) - 0.6) < 1e-6 && abs((large["a"]?.scalars[1] ?? 0) - 0.8) < 1e-6)
    }
}
