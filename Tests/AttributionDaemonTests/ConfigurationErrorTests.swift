import AttributionDaemon
import Foundation
import Testing

/// A valid `[run]` section, so each case below fails only for the reason it shows.
private let run = "[run]\ndirectory = \"/data/run\"\n"

/// Each way a configuration can be wrong gives a message naming the file, the key and the cause.
@Suite struct ConfigurationErrorTests {
    /// The message of the error `toml` is refused with, or nil (recorded as a failure) if it is accepted.
    static func message(_ toml: String) -> String? {
        #expect(throws: ConfigurationError.self) {
            try DaemonConfiguration.parse(toml: toml, source: "bad.toml")
        }?.description
    }

    static func expectMessage(_ toml: String, contains fragments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let message = message(toml) else { return }
        for fragment in fragments {
            #expect(message.contains(fragment), "\"\(message)\" lacks \"\(fragment)\"", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: [
        ("[run\ndirectory = \"/x\"", ["bad.toml:1:", "TOML syntax error"]),
        (run + "[store]\nprojection = = 3\n", ["bad.toml:4:", "TOML syntax error"]),
        (run + "[store]\nseed = 1\nseed = 2\n", ["bad.toml:5:", "TOML syntax error"]),
        (run + "[store]\n\u{0}", ["bad.toml:4:1:", "NUL characters are not allowed"]),
        (run + "[socket]\nmode = 0660\n", ["bad.toml:4:", "leading zero"]),
    ])
    func syntaxErrorsGiveTheLine(toml: String, fragments: [String]) {
        Self.expectMessage(toml, contains: fragments)
    }

    @Test(arguments: [
        (run + "[sockets]\npath = \"/x.sock\"\n", ["bad.toml: unknown section [sockets]; did you mean [socket]?"]),
        (run + "[frobnicate]\nx = 1\n", ["unknown section [frobnicate]", "known sections: [run], [store], [ingest]"]),
        (run + "[socket]\nmax_request_byte = 2048\n", ["bad.toml: unknown key socket.max_request_byte; did you mean socket.max_request_bytes?"]),
        (run + "[query]\ndefault-top-k = 3\n", ["unknown key query.default-top-k; did you mean query.default_top_k?"]),
        (run + "[store]\nretain_checkpoints = 2\n", ["unknown key store.retain_checkpoints; did you mean ingest.retain_checkpoints?"]),
        ("directory = \"/data/run\"\n", ["unknown key directory; did you mean run.directory?"]),
        (run + "[socket]\nbacklog = 5\n", ["unknown key socket.backlog; known keys: socket.path, socket.mode, socket.max_connections"]),
        (run + "[store.extra]\nx = 1\n", ["unknown key store.extra"]),
    ])
    func unknownNamesSuggestTheClosestKnownOne(toml: String, fragments: [String]) {
        Self.expectMessage(toml, contains: fragments)
    }

    @Test(arguments: [
        (run + "[store]\nprojection = \"8\"\n", ["bad.toml: store.projection must be an integer, found a string (\"8\")"]),
        (run + "[store]\ndraws = 4.0\n", ["store.draws must be an integer, found a floating-point number (4.0)"]),
        (run + "[ingest]\nrescan_seconds = \"60\"\n", ["ingest.rescan_seconds must be a number of seconds, found a string"]),
        (run + "[ingest]\nsettle_seconds = true\n", ["ingest.settle_seconds must be a number of seconds, found a bool (true)"]),
        (run + "[socket]\nmode = 660\n", ["socket.mode must be an octal string such as \"0660\", found an integer (660)"]),
        (run + "[query]\nallowed_sample_directories = \"/srv\"\n", ["query.allowed_sample_directories must be an array of absolute paths"]),
        (run + "[logging]\nlevel = 3\n", ["logging.level must be a string, found an integer (3)"]),
        ("run = \"/data/run\"\n", ["run must be a table (a [run] section), found a string"]),
        (run + "[[store]]\nseed = 1\n", ["store must be a table (a [store] section), found an array"]),
    ])
    func wrongTypesSayWhatWasExpectedAndFound(toml: String, fragments: [String]) {
        Self.expectMessage(toml, contains: fragments)
    }

    @Test(arguments: [
        (run + "[store]\ndraws = 0\n", ["bad.toml: store.draws = 0 is out of range; allowed: 1 to 256"]),
        (run + "[store]\nprojection = 4097\n", ["store.projection = 4097 is out of range; allowed: 0 to 4096"]),
        (run + "[store]\nseed = -1\n", ["store.seed = -1 is out of range; allowed: at least 0"]),
        (run + "[ingest]\nretain_checkpoints = -1\n", ["ingest.retain_checkpoints = -1 is out of range; allowed: at least 0"]),
        (run + "[ingest]\njob_attempts = 101\n", ["ingest.job_attempts = 101 is out of range; allowed: 1 to 100"]),
        (run + "[socket]\nmax_request_bytes = 100\n", ["socket.max_request_bytes = 100 is out of range; allowed: 1024 to 1073741824"]),
        (run + "[socket]\nmax_connections = 0\n", ["socket.max_connections = 0 is out of range; allowed: 1 to 65536"]),
        (run + "[socket]\nidle_timeout_seconds = 0\n", ["socket.idle_timeout_seconds = 0 is out of range; allowed: 0.001 to 1000000 seconds"]),
        (run + "[socket]\nrequest_timeout_seconds = nan\n", ["socket.request_timeout_seconds = nan is out of range"]),
        (run + "[ingest]\nrescan_seconds = 1e7\n", ["ingest.rescan_seconds = 10000000.0 is out of range; allowed: 0.001 to 1000000 seconds"]),
        (run + "[ingest]\nsettle_seconds = -1\n", ["ingest.settle_seconds = -1 is out of range; allowed: 0 to 3600 seconds"]),
        (run + "[ingest]\nsettle_seconds = 3600.5\n", ["ingest.settle_seconds = 3600.5 is out of range; allowed: 0 to 3600 seconds"]),
        (run + "[socket]\nmode = \"4755\"\n", ["socket.mode = \"4755\" is out of range; allowed: \"0000\" to \"0777\""]),
        (run + "[socket]\npath = \"/\(String(repeating: "s", count: 120))\"\n", ["socket.path = a path of 121 bytes is out of range"]),
        (run + "[query]\nmax_samples = 5000\n", ["query.max_samples = 5000 is out of range; allowed: 1 to 4096"]),
        (run + "[query]\nmax_queued = 0\n", ["query.max_queued = 0 is out of range; allowed: 1 to 100000"]),
        (run + "[query]\nquery_draws = 0\n", ["query.query_draws = 0 is out of range; allowed: 1 to 4096"]),
        (run + "[query]\ndefault_top_k = 20\nmax_top_k = 10\n", ["query.default_top_k = 20 is out of range; allowed: 1 to 10 (query.max_top_k)"]),
        (run + "[probes]\ntop_k = 2000\n", ["probes.top_k = 2000 is out of range; allowed: 1 to 1000 (query.max_top_k)"]),
        (run + "[probes]\nmax_probes = -3\n", ["probes.max_probes = -3 is out of range; allowed: 0 to 4096"]),
    ])
    func valuesOutOfRangeGiveTheAllowedRange(toml: String, fragments: [String]) {
        Self.expectMessage(toml, contains: fragments)
    }

    @Test(arguments: [
        ("", ["bad.toml: missing required key run.directory (the training directory to watch)"]),
        ("[store]\nprojection = 8\n", ["missing required key run.directory"]),
        ("[run]\ndirectory = \"runs/a\"\n", ["bad.toml: run.directory must be an absolute path (starting with /), found \"runs/a\""]),
        ("[run]\ndirectory = \"\"\n", ["run.directory must be an absolute path"]),
        (run + "[store]\ndirectory = \"store\"\n", ["store.directory must be an absolute path (starting with /), found \"store\""]),
        (run + "[socket]\npath = \"a.sock\"\n", ["socket.path must be an absolute path"]),
        (run + "[query]\nallowed_sample_directories = [\"/ok\", \"rel\"]\n", ["query.allowed_sample_directories[1] must be an absolute path"]),
        (run + "[query]\nallowed_sample_directories = [\"/ok\", 3]\n", ["query.allowed_sample_directories[1] must be a string, found an integer (3)"]),
    ])
    func missingAndRelativePathsAreRefused(toml: String, fragments: [String]) {
        Self.expectMessage(toml, contains: fragments)
    }

    @Test(arguments: [
        (run + "[socket]\nmode = \"rw-rw----\"\n", ["bad.toml: socket.mode = \"rw-rw----\" is not an octal file mode; write it like \"0660\""]),
        (run + "[socket]\nmode = \"0689\"\n", ["socket.mode = \"0689\" is not an octal file mode"]),
        (run + "[socket]\nmode = \"\"\n", ["socket.mode = \"\" is not an octal file mode"]),
        (run + "[logging]\nlevel = \"verbose\"\n", [
            "bad.toml: logging.level = \"verbose\" is not accepted; use one of: trace, debug, info, notice, warning, error, critical",
        ]),
        (run + "[store]\nprecision = \"float64\"\n", ["store.precision = \"float64\" is not accepted; use one of: float16, float32"]),
    ])
    func badModesLevelsAndPrecisionsAreRefused(toml: String, fragments: [String]) {
        Self.expectMessage(toml, contains: fragments)
    }

    @Test func unreadableFilesNameThePathAndTheReason() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("configuration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let missing = folder.appendingPathComponent("missing.toml").path
        #expect(throws: ConfigurationError.unreadableFile(path: missing, reason: "No such file or directory")) {
            try DaemonConfiguration.load(contentsOf: missing)
        }
        #expect(throws: ConfigurationError.unreadableFile(path: folder.path, reason: "Is a directory")) {
            try DaemonConfiguration.load(contentsOf: folder.path)
        }

        let latin1 = folder.appendingPathComponent("latin1.toml")
        try Data([0x23, 0x20, 0xE9, 0x0A]).write(to: latin1)
        let notUTF8 = #expect(throws: ConfigurationError.self) { try DaemonConfiguration.load(contentsOf: latin1.path) }
        #expect(notUTF8?.description == "cannot read configuration file \(latin1.path): not UTF-8 text")

        let huge = folder.appendingPathComponent("huge.toml")
        try Data(repeating: 0x23, count: (1 << 20) + 1).write(to: huge)
        let tooLarge = #expect(throws: ConfigurationError.self) { try DaemonConfiguration.load(contentsOf: huge.path) }
        #expect(tooLarge?.description.contains("larger than 1048576 bytes") == true)
    }

    @Test func loadedFilesAreNamedByTheirPathInErrors() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("configuration-\(UUID().uuidString).toml")
        try Data((run + "[store]\ndraws = 0\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(throws: ConfigurationError.outOfRange(source: file.path, key: "store.draws", value: "0", allowed: "1 to 256")) {
            try DaemonConfiguration.load(contentsOf: file.path)
        }
    }
}
