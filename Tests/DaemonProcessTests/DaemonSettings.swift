import Foundation

/// The configuration a test runs the daemon with, written as the TOML file `attributiond run
/// --config` reads. Defaults keep every test fast in a debug build: a projection of 4 per side,
/// one noise draw per example, two per query, float32 storage, every checkpoint kept, and one
/// attempt per job (a bad file fails at once). The periodic rescan (30 s) never comes within a
/// test's time frame, so every file is found through the watcher or the start-up scan.
struct DaemonSettings {
    var runDirectory: String
    var storeDirectory: String
    var socketPath: String
    var socketMode = "0660"
    var maxConnections = 128
    var maxQueued = 64
    var maxRequestBytes = 1 << 20
    var idleTimeoutSeconds: Double = 60
    var requestTimeoutSeconds: Double = 120
    var allowedSampleDirectories: [String] = []
    var retainCheckpoints = 0

    /// Settings for `run`, with a fresh short socket path (a Unix socket address holds at most
    /// 107 bytes, so the socket lives directly in the temporary folder, not in the run's).
    init(run: TinyRun) {
        runDirectory = run.folder.path
        storeDirectory = run.storeFolder.path
        socketPath = Self.shortSocketPath()
    }

    /// A path of about 30 bytes for a socket nobody else uses.
    static func shortSocketPath(suffix: String = "sock") -> String {
        let token = UUID().uuidString.prefix(8).lowercased()
        return FileManager.default.temporaryDirectory.appendingPathComponent("ad-\(token).\(suffix)").path
    }

    /// The configuration file's text.
    var toml: String {
        """
        [run]
        directory = \(quoted(runDirectory))

        [store]
        directory = \(quoted(storeDirectory))
        projection = 4
        draws = 1
        precision = "float32"
        seed = 0

        [ingest]
        retain_checkpoints = \(retainCheckpoints)
        job_attempts = 1
        rescan_seconds = 30

        [socket]
        path = \(quoted(socketPath))
        mode = \(quoted(socketMode))
        max_connections = \(maxConnections)
        max_request_bytes = \(maxRequestBytes)
        idle_timeout_seconds = \(idleTimeoutSeconds)
        request_timeout_seconds = \(requestTimeoutSeconds)

        [query]
        default_top_k = 5
        max_top_k = 1000
        max_samples = 16
        max_queued = \(maxQueued)
        query_draws = 2
        allowed_sample_directories = [\(allowedSampleDirectories.map(quoted).joined(separator: ", "))]

        [logging]
        level = "info"

        """
    }

    /// Writes the file into `folder` and returns its path.
    func write(into folder: URL, name: String = "attributiond.toml") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(toml.utf8).write(to: url)
        return url
    }

    /// A TOML basic string.
    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
