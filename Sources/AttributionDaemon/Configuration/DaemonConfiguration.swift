import Logging
import SystemPackage

/// Everything the daemon reads from its configuration file, with the documented defaults.
///
/// `Config/attributiond.toml` lists every key with its default; a test parses that file and compares
/// it with `DaemonConfiguration()`, so the two cannot drift apart.
public struct DaemonConfiguration: Sendable, Equatable {
    /// The training run being watched (`[run]`).
    public struct Run: Sendable, Equatable {
        /// Absolute path of the training directory to watch. Required in a loaded file.
        public var directory: String = ""
    }

    /// Where and how the attribution store is kept (`[store]`).
    public struct Store: Sendable, Equatable {
        /// Absolute path of the store folder; empty picks a default (see `storeDirectory(environment:)`).
        public var directory: String = ""
        /// Kronecker projection size per side of each layer's gradient (0 = no projection). 0...4096.
        public var projection: Int = 8
        /// Noise draws per training example when computing its gradient. 1...256.
        public var draws: Int = 4
        /// Element type of stored gradients: "float16" or "float32".
        public var precision: String = "float16"
        /// Seed of the projections and noise draws, so a store can be rebuilt identically.
        public var seed: UInt64 = 0
    }

    /// Background indexing of new shards and checkpoints (`[ingest]`).
    public struct Ingest: Sendable, Equatable {
        /// Newest indexed checkpoints kept in the store; older ones are freed. 0 keeps all.
        public var retainCheckpoints: Int = 3
        /// Tries of one job before it is marked failed. 1...100.
        public var jobAttempts: Int = 3
        /// Seconds between full reconciles of the run directory with the store, events or not.
        public var rescanSeconds: Double = 60
        /// Seconds a file must stay unmodified before it is read, unless its writer was seen
        /// closing it or renaming it into place (files written before start-up have no such
        /// report). 0...3600; 0 reads files as soon as they are seen.
        public var settleSeconds: Double = 5
    }

    /// The Unix socket clients talk to (`[socket]`).
    public struct Socket: Sendable, Equatable {
        /// Absolute path the daemon binds when systemd does not pass it a listening socket.
        public var path: String = "/run/attributiond/attributiond.sock"
        /// File mode of the bound socket (only owner and group may connect by default).
        public var mode: UInt16 = 0o660
        /// Connections open at once; more are refused. 1...65536.
        public var maxConnections: Int = 128
        /// Longest request line in bytes; a longer one gets -32000 and the connection is closed.
        public var maxRequestBytes: Int = 16_777_216
        /// Seconds a connection may stay silent before it is closed.
        public var idleTimeoutSeconds: Double = 60
        /// Seconds a request may wait for its answer before it gets -32007.
        public var requestTimeoutSeconds: Double = 300
    }

    /// Attribution queries (`[query]`).
    public struct Query: Sendable, Equatable {
        /// `top_k` of a request that does not give one.
        public var defaultTopK: Int = 10
        /// Largest `top_k` a request may ask for.
        public var maxTopK: Int = 1000
        /// Samples per request. 1...4096.
        public var maxSamples: Int = 64
        /// Queries waiting for the query thread; one more gets -32001 (server busy).
        public var maxQueued: Int = 32
        /// Noise draws per query sample when computing its gradient. 1...4096.
        public var queryDraws: Int = 64
        /// Absolute directories that requests' `paths` must resolve into; empty refuses every path.
        public var allowedSampleDirectories: [String] = []
    }

    /// Continuous monitoring probes (`[probes]`).
    public struct Probes: Sendable, Equatable {
        /// Probes kept at once; adding one more is refused.
        public var maxProbes: Int = 64
        /// `top_k` of a probe added without one.
        public var topK: Int = 10
    }

    /// Logging (`[logging]`).
    public struct Logging: Sendable, Equatable {
        /// Least severe level written.
        public var level: Logger.Level = .info
    }

    /// The training run being watched.
    public var run: Run
    /// The attribution store.
    public var store: Store
    /// Background indexing.
    public var ingest: Ingest
    /// The client socket.
    public var socket: Socket
    /// Attribution queries.
    public var query: Query
    /// Monitoring probes.
    public var probes: Probes
    /// Shapley values of contributors.
    public var shapley: Shapley
    /// Logging.
    public var logging: Logging

    /// Defaults for everything (run.directory empty: a loaded config must set it).
    public init() {
        run = Run()
        store = Store()
        ingest = Ingest()
        socket = Socket()
        query = Query()
        probes = Probes()
        shapley = Shapley()
        logging = Logging()
    }

    /// The store folder: store.directory, else $STATE_DIRECTORY/store when that variable is set, else <run>/attribution-store.
    ///
    /// systemd sets `STATE_DIRECTORY` from the unit's `StateDirectory=`; with several entries it is a
    /// colon-separated list, and the first one is used. An empty value counts as unset.
    public func storeDirectory(environment: [String: String]) -> String {
        if !store.directory.isEmpty {
            return store.directory
        }
        if let stateDirectory = environment["STATE_DIRECTORY"]?.split(separator: ":").first {
            return FilePath(String(stateDirectory)).appending("store").string
        }
        return FilePath(run.directory).appending("attribution-store").string
    }
}
