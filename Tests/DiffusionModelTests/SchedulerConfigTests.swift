import DiffusionModel
import Foundation
import Testing

/// `scheduler_config.json` is read and written with diffusers' keys and defaults, and what is
/// not implemented is refused by name.
@Suite struct SchedulerConfigTests {
    private static func decode(_ json: String) throws -> DDPMSchedulerConfig {
        try JSONDecoder().decode(DDPMSchedulerConfig.self, from: Data(json.utf8))
    }

    @Test func readsTheFileDiffusersWrote() throws {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let url = folder.appendingPathComponent("unet-attn-scaleshift/scheduler/scheduler_config.json")
        let config = try JSONDecoder().decode(DDPMSchedulerConfig.self, from: Data(contentsOf: url))
        #expect(config == DDPMSchedulerConfig())
    }

    @Test func absentKeysTakeDiffusersDefaults() throws {
        let config = try Self.decode(#"{"beta_schedule": "squaredcos_cap_v2", "some_future_key": 3}"#)
        var expected = DDPMSchedulerConfig()
        expected.betaSchedule = .squaredcosCapV2
        #expect(config == expected)
        #expect(expected.numTrainTimesteps == 1000 && expected.betaStart == 0.0001 && expected.betaEnd == 0.02)
        #expect(expected.clipSample && expected.predictionType == .epsilon && expected.varianceType == .fixedSmall)
        #expect(expected.timestepSpacing == .leading && expected.stepsOffset == 0)
    }

    @Test func writesEveryKeyAndReadsItBack() throws {
        var config = DDPMSchedulerConfig(numTrainTimesteps: 500, betaSchedule: .scaledLinear)
        config.predictionType = .vPrediction
        config.clipSampleRange = 2
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(config)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == [
            "_class_name", "_diffusers_version", "beta_end", "beta_schedule", "beta_start", "clip_sample",
            "clip_sample_range", "dynamic_thresholding_ratio", "num_train_timesteps", "prediction_type",
            "rescale_betas_zero_snr", "sample_max_value", "steps_offset", "thresholding", "timestep_spacing",
            "trained_betas", "variance_type",
        ])
        #expect(object["_class_name"] as? String == "DDPMScheduler")
        #expect(object["trained_betas"] is NSNull)
        #expect(object["prediction_type"] as? String == "v_prediction")
        #expect(try JSONDecoder().decode(DDPMSchedulerConfig.self, from: data) == config)
    }

    @Test func refusesUnsupportedChoicesNamingKeyAndValue() {
        let cases: [(String, DDPMSchedulerError)] = [
            (#"{"beta_schedule": "sigmoid"}"#, .unsupportedValue(
                key: "beta_schedule", value: "\"sigmoid\"", supported: ["linear", "scaled_linear", "squaredcos_cap_v2"])),
            (#"{"variance_type": "learned_range"}"#, .unsupportedValue(
                key: "variance_type", value: "\"learned_range\"", supported: ["fixed_small", "fixed_small_log", "fixed_large"])),
            (#"{"thresholding": true}"#, .unsupportedValue(key: "thresholding", value: "true", supported: ["false"])),
            (#"{"rescale_betas_zero_snr": true}"#, .unsupportedValue(key: "rescale_betas_zero_snr", value: "true", supported: ["false"])),
        ]
        for (json, error) in cases {
            #expect(throws: error) { try Self.decode(json) }
        }
        #expect(DDPMSchedulerError.unsupportedValue(key: "thresholding", value: "true", supported: ["false"])
            .description.contains("\"thresholding\": true"))
    }

    @Test func refusesInvalidNumbers() {
        for json in [#"{"num_train_timesteps": 0}"#, #"{"beta_end": 1.5}"#, #"{"clip_sample_range": 0}"#,
                     #"{"steps_offset": -1}"#, #"{"num_train_timesteps": 3, "trained_betas": [0.1, 0.2]}"#] {
            #expect(throws: DDPMSchedulerError.self, "\(json)") { try Self.decode(json) }
        }
        var config = DDPMSchedulerConfig()
        config.thresholding = true
        #expect(throws: DDPMSchedulerError.self) { try DDPMScheduler(config: config) }
    }

    @Test func trainedBetasOverrideTheSchedule() throws {
        let config = try Self.decode(#"{"num_train_timesteps": 3, "trained_betas": [0.1, 0.2, 0.5]}"#)
        let scheduler = try DDPMScheduler(config: config)
        #expect(scheduler.betas == [0.1, 0.2, 0.5])
        #expect(abs(scheduler.alphasCumprod[2] - 0.9 * 0.8 * 0.5) < 1e-7)
    }
}
