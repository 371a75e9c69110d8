import Logging

/// One key of the configuration file: where it lives and how its value becomes a field.
struct ConfigurationKey: Sendable {
    /// The `[section]` holding the key.
    let section: String
    /// The key's name inside its section.
    let name: String
    /// Reads the value (checking type and range) and stores it in the configuration.
    let apply: @Sendable (ConfigurationValue, inout DaemonConfiguration) throws(ConfigurationError) -> Void

    /// `section.name`, as errors print it.
    var dottedName: String { "\(section).\(name)" }
}

/// Every key the daemon accepts. The parser applies these in order; a key not listed here is an
/// error, so a typo cannot silently leave a setting at its default.
enum ConfigurationSchema {
    /// Longest Unix socket path: `sun_path` holds 108 bytes on Linux, including the final NUL.
    static let maximumSocketPathBytes = 107

    /// Section names, in file order.
    static let sections = ["run", "store", "ingest", "socket", "query", "probes", "shapley", "logging"]

    /// The keys, section by section.
    static let keys: [ConfigurationKey] = [
        ConfigurationKey(section: "run", name: "directory") { value, configuration throws(ConfigurationError) in
            configuration.run.directory = try value.absolutePath()
        },

        ConfigurationKey(section: "store", name: "directory") { value, configuration throws(ConfigurationError) in
            configuration.store.directory = try value.absolutePath(allowingEmpty: true)
        },
        ConfigurationKey(section: "store", name: "projection") { value, configuration throws(ConfigurationError) in
            configuration.store.projection = try value.integer(in: 0...4096)
        },
        ConfigurationKey(section: "store", name: "draws") { value, configuration throws(ConfigurationError) in
            configuration.store.draws = try value.integer(in: 1...256)
        },
        ConfigurationKey(section: "store", name: "precision") { value, configuration throws(ConfigurationError) in
            configuration.store.precision = try value.choice(["float16", "float32"])
        },
        ConfigurationKey(section: "store", name: "seed") { value, configuration throws(ConfigurationError) in
            configuration.store.seed = UInt64(try value.integer(in: 0...Int.max))
        },

        ConfigurationKey(section: "ingest", name: "retain_checkpoints") { value, configuration throws(ConfigurationError) in
            configuration.ingest.retainCheckpoints = try value.integer(in: 0...Int.max)
        },
        ConfigurationKey(section: "ingest", name: "job_attempts") { value, configuration throws(ConfigurationError) in
            configuration.ingest.jobAttempts = try value.integer(in: 1...100)
        },
        ConfigurationKey(section: "ingest", name: "rescan_seconds") { value, configuration throws(ConfigurationError) in
            configuration.ingest.rescanSeconds = try value.seconds()
        },
        ConfigurationKey(section: "ingest", name: "settle_seconds") { value, configuration throws(ConfigurationError) in
            configuration.ingest.settleSeconds = try value.seconds(in: 0...3600)
        },

        ConfigurationKey(section: "socket", name: "path") { value, configuration throws(ConfigurationError) in
            let path = try value.absolutePath()
            guard path.utf8.count <= maximumSocketPathBytes else {
                throw value.outOfRange(
                    "a path of \(path.utf8.count) bytes",
                    allowed: "at most \(maximumSocketPathBytes) bytes (the Unix socket address limit)"
                )
            }
            configuration.socket.path = path
        },
        ConfigurationKey(section: "socket", name: "mode") { value, configuration throws(ConfigurationError) in
            configuration.socket.mode = try value.fileMode()
        },
        ConfigurationKey(section: "socket", name: "max_connections") { value, configuration throws(ConfigurationError) in
            configuration.socket.maxConnections = try value.integer(in: 1...65536)
        },
        ConfigurationKey(section: "socket", name: "max_request_bytes") { value, configuration throws(ConfigurationError) in
            configuration.socket.maxRequestBytes = try value.integer(in: 1024...(1 << 30))
        },
        ConfigurationKey(section: "socket", name: "idle_timeout_seconds") { value, configuration throws(ConfigurationError) in
            configuration.socket.idleTimeoutSeconds = try value.seconds()
        },
        ConfigurationKey(section: "socket", name: "request_timeout_seconds") { value, configuration throws(ConfigurationError) in
            configuration.socket.requestTimeoutSeconds = try value.seconds()
        },

        // default_top_k and probes.top_k are checked against max_top_k once every key is read,
        // since max_top_k may come later in the file.
        ConfigurationKey(section: "query", name: "default_top_k") { value, configuration throws(ConfigurationError) in
            configuration.query.defaultTopK = try value.integer(in: 1...maximumTopK)
        },
        ConfigurationKey(section: "query", name: "max_top_k") { value, configuration throws(ConfigurationError) in
            configuration.query.maxTopK = try value.integer(in: 1...maximumTopK)
        },
        ConfigurationKey(section: "query", name: "max_samples") { value, configuration throws(ConfigurationError) in
            configuration.query.maxSamples = try value.integer(in: 1...4096)
        },
        ConfigurationKey(section: "query", name: "max_queued") { value, configuration throws(ConfigurationError) in
            configuration.query.maxQueued = try value.integer(in: 1...100_000)
        },
        ConfigurationKey(section: "query", name: "query_draws") { value, configuration throws(ConfigurationError) in
            configuration.query.queryDraws = try value.integer(in: 1...4096)
        },
        ConfigurationKey(section: "query", name: "allowed_sample_directories") { value, configuration throws(ConfigurationError) in
            configuration.query.allowedSampleDirectories = try value.absolutePaths()
        },

        ConfigurationKey(section: "probes", name: "max_probes") { value, configuration throws(ConfigurationError) in
            configuration.probes.maxProbes = try value.integer(in: 0...4096)
        },
        ConfigurationKey(section: "probes", name: "top_k") { value, configuration throws(ConfigurationError) in
            configuration.probes.topK = try value.integer(in: 1...maximumTopK)
        },
    ] + shapleyKeys + [
        ConfigurationKey(section: "logging", name: "level") { value, configuration throws(ConfigurationError) in
            let text = try value.string()
            // Logger.Level's string initialiser ignores case, so "INFO" works too.
            guard let level = Logger.Level(text) else {
                throw value.invalidChoice(text, allowed: Logger.Level.allCases.map(\.rawValue))
            }
            configuration.logging.level = level
        },
    ]

    /// Upper bound of `query.max_top_k`: a response lists at most this many examples per sample.
    static let maximumTopK = 100_000

    /// The keys of one section.
    static func keys(in section: String) -> [ConfigurationKey] {
        keys.filter { $0.section == section }
    }
}
