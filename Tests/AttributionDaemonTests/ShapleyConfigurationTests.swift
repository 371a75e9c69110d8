import AttributionDaemon
import AttributionProtocol
import Testing

/// The `[shapley]` section: defaults, every key read, and errors naming the key.
@Suite struct ShapleyConfigurationTests {
    private static let run = "[run]\ndirectory = \"/data/run\"\n"

    @Test func defaultsAreTheDocumentedValues() {
        let shapley = DaemonConfiguration().shapley
        #expect(shapley.properties == ["held_out_loss", "class_diversity", "kernel_distance"])
        #expect(shapley.estimator == .sparsifiedFineTuning && shapley.sampling == .auto)
        #expect(shapley.targetStandardError == 0.05 && shapley.maxCoalitions == 128)
        #expect(shapley.sparsity == 0.7 && shapley.recoverySteps == 100 && shapley.coalitionSteps == 20)
        #expect(shapley.batchSize == 32 && shapley.learningRate == 1e-3 && shapley.retrainingSteps == 300)
        #expect(shapley.generatedSamples == 64 && shapley.samplingSteps == 50 && shapley.heldOutImages == 256)
        #expect(shapley.lossDraws == 4 && shapley.seed == 0)
    }

    @Test func everyKeyIsRead() throws {
        let toml = Self.run + """
            [shapley]
            properties = ["kernel_distance", "held_out_loss"]
            estimator = "retraining"
            sampling = "permutation"
            target_standard_error = 1
            max_coalitions = 7
            sparsity = 0
            recovery_steps = 0
            coalition_steps = 3
            batch_size = 5
            learning_rate = 0.5
            retraining_steps = 9
            generated_samples = 2
            sampling_steps = 11
            held_out_images = 12
            loss_draws = 13
            seed = 14
            """
        let shapley = try DaemonConfiguration.parse(toml: toml, source: "shapley.toml").shapley
        var expected = DaemonConfiguration.Shapley()
        expected.properties = ["held_out_loss", "kernel_distance"]  // canonical order
        expected.estimator = .retraining
        expected.sampling = .permutation
        expected.targetStandardError = 1
        expected.maxCoalitions = 7
        expected.sparsity = 0
        expected.recoverySteps = 0
        expected.coalitionSteps = 3
        expected.batchSize = 5
        expected.learningRate = 0.5
        expected.retrainingSteps = 9
        expected.generatedSamples = 2
        expected.samplingSteps = 11
        expected.heldOutImages = 12
        expected.lossDraws = 13
        expected.seed = 14
        #expect(shapley == expected)
    }

    @Test(arguments: [
        ("properties = [\"held_out_loss\", \"diversity\"]",
         ["shapley.properties[1] = \"diversity\" is not accepted; use one of: held_out_loss, class_diversity, kernel_distance"]),
        ("properties = []", ["shapley.properties = [] is out of range; allowed: at least one of: held_out_loss"]),
        ("properties = [\"held_out_loss\", \"held_out_loss\"]", ["shapley.properties[1]", "each word once"]),
        ("properties = \"held_out_loss\"", ["shapley.properties must be an array of strings"]),
        ("estimator = \"shapley\"", ["shapley.estimator = \"shapley\" is not accepted; use one of: sparsified_fine_tuning, retraining, influence"]),
        ("sampling = \"random\"", ["shapley.sampling", "auto, exact, kernel, permutation"]),
        ("target_standard_error = 0", ["shapley.target_standard_error = 0 is out of range; allowed: greater than 0, at most 1"]),
        ("target_standard_error = 1.5", ["shapley.target_standard_error = 1.5 is out of range"]),
        ("target_standard_error = nan", ["shapley.target_standard_error = nan is out of range"]),
        ("target_standard_error = \"5%\"", ["shapley.target_standard_error must be a number, found a string"]),
        ("max_coalitions = 0", ["shapley.max_coalitions = 0 is out of range; allowed: 1 to 1000000"]),
        ("sparsity = 1", ["shapley.sparsity = 1 is out of range; allowed: 0 to 0.99"]),
        ("coalition_steps = 0", ["shapley.coalition_steps = 0 is out of range"]),
        ("learning_rate = 0", ["shapley.learning_rate = 0 is out of range; allowed: greater than 0, at most 1"]),
        ("generated_samples = 1", ["shapley.generated_samples = 1 is out of range; allowed: 2 to 4096"]),
        ("held_out_images = 1", ["shapley.held_out_images = 1 is out of range"]),
        ("seed = -1", ["shapley.seed = -1 is out of range"]),
        ("max_coalition = 5", ["unknown key shapley.max_coalition; did you mean shapley.max_coalitions?"]),
        ("sampling_step = 5", ["did you mean shapley.sampling_steps?"]),
    ])
    func badValuesNameTheKey(line: String, fragments: [String]) throws {
        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.parse(toml: Self.run + "[shapley]\n" + line + "\n", source: "bad.toml")
        }
        let message = try #require(error).description
        for fragment in fragments { #expect(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"") }
    }

    @Test func misspeltSectionSuggestsShapley() {
        let error = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.parse(toml: Self.run + "[shapely]\nseed = 1\n", source: "bad.toml")
        }
        #expect(error?.description.contains("did you mean [shapley]?") == true)
    }
}
