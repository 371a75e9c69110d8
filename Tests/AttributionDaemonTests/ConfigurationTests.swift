import AttributionDaemon
import Foundation
import Logging
import Testing

@Suite struct ConfigurationTests {
    @Test func defaultsMatchTheDocumentedValues() {
        let configuration = DaemonConfiguration()
        #expect(configuration.run.directory == "")
        #expect(configuration.store.directory == "")
        #expect(configuration.store.projection == 8)
        #expect(configuration.store.draws == 4)
        #expect(configuration.store.precision == "float16")
        #expect(configuration.store.seed == 0)
        #expect(configuration.ingest.retainCheckpoints == 3)
        #expect(configuration.ingest.jobAttempts == 3)
        #expect(configuration.ingest.rescanSeconds == 60)
        #expect(configuration.ingest.settleSeconds == 5)
        #expect(configuration.socket.path == "/run/attributiond/attributiond.sock")
        #expect(configuration.socket.mode == 0o660)
        #expect(configuration.socket.maxConnections == 128)
        #expect(configuration.socket.maxRequestBytes == 16_777_216)
        #expect(configuration.socket.idleTimeoutSeconds == 60)
        #expect(configuration.socket.requestTimeoutSeconds == 300)
        #expect(configuration.query.defaultTopK == 10)
        #expect(configuration.query.maxTopK == 1000)
        #expect(configuration.query.maxSamples == 64)
        #expect(configuration.query.maxQueued == 32)
        #expect(configuration.query.queryDraws == 64)
        #expect(configuration.query.allowedSampleDirectories == [])
        #expect(configuration.probes.maxProbes == 64)
        #expect(configuration.probes.topK == 10)
        #expect(configuration.logging.level == .info)
    }

    @Test func onlyTheRunDirectoryIsRequired() throws {
        let configuration = try DaemonConfiguration.parse(toml: "[run]\ndirectory = \"/data/run\"\n", source: "minimal.toml")
        var expected = DaemonConfiguration()
        expected.run.directory = "/data/run"
        #expect(configuration == expected)
    }

    /// The shipped example documents every key with its default; parsing it must give exactly the
    /// defaults (apart from the example run directory), so the documentation cannot drift from the code.
    @Test func shippedExampleFileEqualsTheDefaults() throws {
        let repositoryRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let examplePath = repositoryRoot.appendingPathComponent("Config/attributiond.toml").path
        let configuration = try DaemonConfiguration.load(contentsOf: examplePath)
        var expected = DaemonConfiguration()
        expected.run.directory = "/srv/training/run"
        #expect(configuration == expected)

        // Every accepted key is written out in the example, not merely defaulted by omission. The
        // parser's own list of keys is the one it prints for an unknown key above every section.
        let probeError = #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.parse(toml: "not_a_key = 1", source: "probe.toml")
        }
        guard case .unknownKey(_, _, _, let knownKeys) = probeError else {
            Issue.record("expected an unknown-key error, got \(String(describing: probeError))")
            return
        }
        #expect(try Self.dottedKeys(inTOML: String(contentsOfFile: examplePath, encoding: .utf8)) == knownKeys)
    }

    /// The `section.key` names assigned in a TOML text, in file order (comments skipped).
    static func dottedKeys(inTOML text: String) -> [String] {
        var section = ""
        var keys: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") {
                section = trimmed.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            } else if !trimmed.hasPrefix("#"), let equals = trimmed.firstIndex(of: "=") {
                keys.append(section + "." + trimmed[..<equals].trimmingCharacters(in: .whitespaces))
            }
        }
        return keys
    }

    @Test func fullFileSetsEveryField() throws {
        let toml = """
            [run]
            directory = "/data/run"
            [store]
            directory = "/var/lib/store"
            projection = 0
            draws = 16
            precision = "float32"
            seed = 42
            [ingest]
            retain_checkpoints = 0
            job_attempts = 5
            rescan_seconds = 2.5
            settle_seconds = 0
            [socket]
            path = "/tmp/a.sock"
            mode = "0600"
            max_connections = 4
            max_request_bytes = 1024
            idle_timeout_seconds = 0.5
            request_timeout_seconds = 30
            [query]
            default_top_k = 5
            max_top_k = 50
            max_samples = 2
            max_queued = 1
            query_draws = 8
            allowed_sample_directories = ["/srv/samples", "/home/a/gen"]
            [probes]
            max_probes = 0
            top_k = 50
            [logging]
            level = "DEBUG"
            """
        let configuration = try DaemonConfiguration.parse(toml: toml, source: "full.toml")
        var expected = DaemonConfiguration()
        expected.run.directory = "/data/run"
        expected.store.directory = "/var/lib/store"
        expected.store.projection = 0
        expected.store.draws = 16
        expected.store.precision = "float32"
        expected.store.seed = 42
        expected.ingest.retainCheckpoints = 0
        expected.ingest.jobAttempts = 5
        expected.ingest.rescanSeconds = 2.5
        expected.ingest.settleSeconds = 0
        expected.socket.path = "/tmp/a.sock"
        expected.socket.mode = 0o600
        expected.socket.maxConnections = 4
        expected.socket.maxRequestBytes = 1024
        expected.socket.idleTimeoutSeconds = 0.5
        expected.socket.requestTimeoutSeconds = 30
        expected.query.defaultTopK = 5
        expected.query.maxTopK = 50
        expected.query.maxSamples = 2
        expected.query.maxQueued = 1
        expected.query.queryDraws = 8
        expected.query.allowedSampleDirectories = ["/srv/samples", "/home/a/gen"]
        expected.probes.maxProbes = 0
        expected.probes.topK = 50
        expected.logging.level = .debug
        #expect(configuration == expected)
    }

    @Test func storeDirectoryPrefersTheConfiguredFolderThenStateDirectoryThenTheRun() {
        var configuration = DaemonConfiguration()
        configuration.run.directory = "/data/run/"
        #expect(configuration.storeDirectory(environment: [:]) == "/data/run/attribution-store")
        #expect(configuration.storeDirectory(environment: ["STATE_DIRECTORY": ""]) == "/data/run/attribution-store")
        #expect(configuration.storeDirectory(environment: ["STATE_DIRECTORY": "/var/lib/attributiond"]) == "/var/lib/attributiond/store")
        #expect(configuration.storeDirectory(environment: ["STATE_DIRECTORY": "/var/lib/a:/var/lib/b"]) == "/var/lib/a/store")
        configuration.store.directory = "/srv/store"
        #expect(configuration.storeDirectory(environment: ["STATE_DIRECTORY": "/var/lib/attributiond"]) == "/srv/store")
    }

}
