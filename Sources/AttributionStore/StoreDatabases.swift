import LMDB

/// The handles of the store's named databases.
struct StoreDatabases: Sendable {
    /// Schema version and engine fingerprint.
    let meta: Database
    /// step → ``CheckpointRecord``.
    let checkpoints: Database
    /// ordinal → ``ShardRecord``.
    let shards: Database
    /// file name (UTF-8) → ordinal (big-endian `UInt32`).
    let shardNames: Database
    /// example id → ``ExampleRecord``.
    let examples: Database
    /// contributor id → ``ContributorRecord``.
    let contributors: Database
    /// (step, layer) → ``FactorRecord``.
    let factors: Database
    /// (step, shard, block) → gradient block (see `GradientBlockLayout`).
    let gradientBlocks: Database
    /// (step, example id) → ``SelfInfluenceRecord``.
    let selfInfluence: Database
    /// (step, shard) → ``ProgressRecord``.
    let progress: Database
    /// sequence → ``JobRecord``.
    let jobs: Database
    /// probe name (UTF-8) → ``ProbeRecord``.
    let probes: Database
    /// (probe name, step) → ``ProbeHistoryRecord``.
    let probeHistory: Database
    /// (property, estimator, step) → ``ShapleyValuationRecord``.
    let shapleyValuations: Database
    /// game fingerprint → ``ShapleyGameRecord``.
    let shapleyGames: Database
    /// (game fingerprint, coalition bits) → ``ShapleyCoalitionValueRecord``.
    let shapleyCoalitions: Database
    /// job number → ``ShapleyJobRecord``.
    let shapleyJobs: Database

    /// The number of named databases, for the environment's limit.
    static let count = 17

    /// Opens `meta` alone, so a store that fails the schema check is left untouched.
    static func openMeta(in environment: Environment) throws(LMDBError) -> Database {
        try environment.openDatabase(named: "meta")
    }

    /// Opens (creating when missing) the schema's other databases. A store written before a
    /// database existed simply gains it, empty, so additions need no schema version; a read-only
    /// environment cannot create, so it cannot open such a store before a writer has.
    init(meta: Database, environment: Environment) throws(LMDBError) {
        self.meta = meta
        checkpoints = try environment.openDatabase(named: "checkpoints")
        shards = try environment.openDatabase(named: "shards")
        shardNames = try environment.openDatabase(named: "shardNames")
        examples = try environment.openDatabase(named: "examples")
        contributors = try environment.openDatabase(named: "contributors")
        factors = try environment.openDatabase(named: "factors")
        gradientBlocks = try environment.openDatabase(named: "gradientBlocks")
        selfInfluence = try environment.openDatabase(named: "selfInfluence")
        progress = try environment.openDatabase(named: "progress")
        jobs = try environment.openDatabase(named: "jobs")
        probes = try environment.openDatabase(named: "probes")
        probeHistory = try environment.openDatabase(named: "probeHistory")
        shapleyValuations = try environment.openDatabase(named: "shapleyValuations")
        shapleyGames = try environment.openDatabase(named: "shapleyGames")
        shapleyCoalitions = try environment.openDatabase(named: "shapleyCoalitions")
        shapleyJobs = try environment.openDatabase(named: "shapleyJobs")
    }
}
