import DiffusionModel
import Foundation
import Testing

/// The training configuration file: the demo config is valid, misspelt keys and bad values are refused.
@Suite struct TrainerConfigTests {
    private static func decode(_ json: String) throws -> TrainingConfig {
        try TrainingConfig.decode(fromJSON: Data(json.utf8), path: "test.json")
    }

    private static let model = #""model": {"sample_size": 8, "block_out_channels": [8, 16], "down_block_types": ["DownBlock2D", "DownBlock2D"], "up_block_types": ["UpBlock2D", "UpBlock2D"], "norm_num_groups": 4}"#

    @Test func theDemoConfigIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/demo-train.json")
        let config = try TrainingConfig.load(contentsOf: url)
        #expect(config.imageSize == 16 && config.model.inChannels == 3)
        #expect(config.schedulerConfig == DDPMSchedulerConfig(numTrainTimesteps: 1000, betaSchedule: .linear))
        #expect(config.checkpointEvery <= config.steps)
    }

    @Test func absentKeysTakeTheTrainingScriptDefaults() throws {
        let config = try Self.decode("{\(Self.model)}")
        #expect(config.adam == AdamW.Settings(beta1: 0.95, beta2: 0.999, weightDecay: 1e-6, epsilon: 1e-8))
        #expect(config.ema == ExponentialMovingAverage.Settings(invGamma: 1, power: 0.75, maxDecay: 0.9999))
        #expect(config.learningRate == 1e-4 && config.warmupSteps == 500 && config.maxGradNorm == 1 && config.useEMA)
        let encoded = try JSONEncoder().encode(config)
        #expect(try TrainingConfig.decode(fromJSON: encoded, path: "again.json") == config)
    }

    @Test func refusesUnknownKeysAndBadValues() {
        #expect(throws: TrainingError.unknownConfigKey("learning_rat")) { try Self.decode("{\(Self.model), \"learning_rat\": 1}") }
        #expect(throws: TrainingError.invalidConfig(key: "batch_size", value: "0", reason: "must be at least 1")) {
            try Self.decode("{\(Self.model), \"batch_size\": 0}")
        }
        #expect(throws: TrainingError.scheduler(.unsupportedValue(
            key: "beta_schedule", value: "\"sigmoid\"", supported: ["linear", "scaled_linear", "squaredcos_cap_v2"]))) {
            try Self.decode("{\(Self.model), \"beta_schedule\": \"sigmoid\"}")
        }
        #expect(throws: TrainingError.invalidConfig(
            key: "model.sample_size", value: "5", reason: "must be set, and a multiple of 2 for 2 levels")) {
            try Self.decode("{\(Self.model.replacingOccurrences(of: "\"sample_size\": 8", with: "\"sample_size\": 5"))}")
        }
        #expect(throws: TrainingError.self) { try Self.decode(#"{"model": {"norm_num_groups": 5}}"#) }
        #expect(throws: TrainingError.self) { try Self.decode("{\"steps\": 3}") }
    }
}
