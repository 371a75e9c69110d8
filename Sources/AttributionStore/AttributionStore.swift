import LMDB

/// The attribution store: checkpoints, shards, examples, curvature factors, gradient blocks,
/// indexing progress, the job queue, probes, and Shapley valuations, games and refresh jobs, in
/// one LMDB environment with a versioned schema.
///
/// Every accessor takes the transaction it works in, so a unit of work is one transaction.
/// Indexing shard `s` at checkpoint `c` is one ``write(_:)``:
///
///     try store.write { transaction in
///         for (index, block) in blocks.enumerated() {
///             try store.putGradientBlock(GradientBlockKey(step: c, shard: s, block: UInt32(index)),
///                                        ids: block.ids, values: block.values, dimension: d,
///                                        dtype: .float16, in: transaction)
///         }
///         try store.putFactor(updatedFactors, in: transaction)
///         try store.putProgress(ProgressRecord(step: c, shard: s, gradientsDone: true,
///                                              factorsDone: true, examplesIndexed: n), in: transaction)
///     }
///
/// A crash or a thrown error at any point leaves all of it or none of it.
///
/// Methods throw ``AttributionStoreError`` for schema and record problems and
/// ``LMDB/LMDBError`` for storage failures.
public final class AttributionStore: Sendable {
    /// The schema version this build writes.
    public static let schemaVersion: UInt32 = 1
    /// The oldest schema version this build reads.
    public static let oldestReadableSchemaVersion: UInt32 = 1

    /// The environment holding the store.
    public let environment: Environment
    /// The engine configuration the store's contents belong to.
    public let engineFingerprint: String
    /// The named databases.
    let databases: StoreDatabases

    /// Opens the store in `environment`, creating its databases when new.
    ///
    /// - Parameters:
    ///   - environment: An environment allowing at least 17 named databases.
    ///   - engineFingerprint: An opaque description of the engine configuration (projection
    ///     seed and dimensions, draws, measurement); a store built with another fails to open.
    /// - Throws: ``AttributionStoreError/schemaTooNew(found:newestSupported:)`` for a store
    ///   written by a newer build, ``AttributionStoreError/fingerprintMismatch(stored:requested:)``
    ///   for another engine configuration, ``LMDB/LMDBError`` for storage failures.
    public init(environment: Environment, engineFingerprint: String) throws {
        let meta = try StoreDatabases.openMeta(in: environment)
        try SchemaCheck.verify(meta: meta, fingerprint: engineFingerprint, environment: environment)
        databases = try StoreDatabases(meta: meta, environment: environment)
        self.environment = environment
        self.engineFingerprint = engineFingerprint
    }

    /// Opens (creating) the environment at `path`, a directory that must exist, and the store
    /// in it.
    /// - Parameters:
    ///   - path: The environment's directory.
    ///   - engineFingerprint: The engine configuration's fingerprint.
    ///   - configuration: Map size policy and flags; at least 17 named databases are allowed.
    public convenience init(
        path: String, engineFingerprint: String, configuration: Environment.Configuration = Environment.Configuration()
    ) throws {
        var configuration = configuration
        configuration.maximumDatabases = max(configuration.maximumDatabases, UInt32(StoreDatabases.count))
        try self.init(environment: Environment(path: path, configuration: configuration), engineFingerprint: engineFingerprint)
    }

    /// Runs `body` in a read transaction (see ``LMDB/Environment/read(_:)``).
    @discardableResult
    public func read<R>(_ body: (borrowing ReadTransaction) throws -> R) throws -> R {
        try environment.read(body)
    }

    /// Runs `body` in a write transaction that commits when it returns and aborts when it
    /// throws; it may run more than once when the map grows (see ``LMDB/Environment/write(_:)``).
    @discardableResult
    public func write<R>(_ body: (borrowing WriteTransaction) throws -> R) throws -> R {
        try environment.write(body)
    }
}
