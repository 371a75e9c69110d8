import AttributionProtocol

extension ConfigurationSchema {
    /// Upper bound of the step counts: far beyond any useful refresh, small enough that a
    /// product of steps and batch sizes cannot overflow.
    static let maximumSteps = 10_000_000

    /// The keys of `[shapley]`.
    static let shapleyKeys: [ConfigurationKey] = [
        ConfigurationKey(section: "shapley", name: "properties") { value, configuration throws(ConfigurationError) in
            configuration.shapley.properties = ShapleyPropertyName.canonical(try value.choices(ShapleyPropertyName.all))
        },
        ConfigurationKey(section: "shapley", name: "estimator") { value, configuration throws(ConfigurationError) in
            configuration.shapley.estimator = try value.choice(of: ShapleyEstimatorKind.self)
        },
        ConfigurationKey(section: "shapley", name: "sampling") { value, configuration throws(ConfigurationError) in
            configuration.shapley.sampling = try value.choice(of: ShapleySamplingKind.self)
        },
        ConfigurationKey(section: "shapley", name: "target_standard_error") { value, configuration throws(ConfigurationError) in
            configuration.shapley.targetStandardError = try value.number(allowed: "greater than 0, at most 1") { $0 > 0 && $0 <= 1 }
        },
        ConfigurationKey(section: "shapley", name: "max_coalitions") { value, configuration throws(ConfigurationError) in
            configuration.shapley.maxCoalitions = try value.integer(in: 1...1_000_000)
        },
        ConfigurationKey(section: "shapley", name: "sparsity") { value, configuration throws(ConfigurationError) in
            configuration.shapley.sparsity = try value.number(allowed: "0 to 0.99") { $0 >= 0 && $0 <= 0.99 }
        },
        ConfigurationKey(section: "shapley", name: "recovery_steps") { value, configuration throws(ConfigurationError) in
            configuration.shapley.recoverySteps = try value.integer(in: 0...maximumSteps)
        },
        ConfigurationKey(section: "shapley", name: "coalition_steps") { value, configuration throws(ConfigurationError) in
            configuration.shapley.coalitionSteps = try value.integer(in: 1...maximumSteps)
        },
        ConfigurationKey(section: "shapley", name: "batch_size") { value, configuration throws(ConfigurationError) in
            configuration.shapley.batchSize = try value.integer(in: 1...4096)
        },
        ConfigurationKey(section: "shapley", name: "learning_rate") { value, configuration throws(ConfigurationError) in
            configuration.shapley.learningRate = try value.number(allowed: "greater than 0, at most 1") { $0 > 0 && $0 <= 1 }
        },
        ConfigurationKey(section: "shapley", name: "retraining_steps") { value, configuration throws(ConfigurationError) in
            configuration.shapley.retrainingSteps = try value.integer(in: 1...maximumSteps)
        },
        ConfigurationKey(section: "shapley", name: "generated_samples") { value, configuration throws(ConfigurationError) in
            // The unbiased kernel distance needs two samples on each side.
            configuration.shapley.generatedSamples = try value.integer(in: 2...4096)
        },
        ConfigurationKey(section: "shapley", name: "sampling_steps") { value, configuration throws(ConfigurationError) in
            configuration.shapley.samplingSteps = try value.integer(in: 1...1000)
        },
        ConfigurationKey(section: "shapley", name: "held_out_images") { value, configuration throws(ConfigurationError) in
            configuration.shapley.heldOutImages = try value.integer(in: 2...100_000)
        },
        ConfigurationKey(section: "shapley", name: "loss_draws") { value, configuration throws(ConfigurationError) in
            configuration.shapley.lossDraws = try value.integer(in: 1...256)
        },
        ConfigurationKey(section: "shapley", name: "seed") { value, configuration throws(ConfigurationError) in
            configuration.shapley.seed = UInt64(try value.integer(in: 0...Int.max))
        },
    ]
}
