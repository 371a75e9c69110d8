/// A cooperative game whose coalition values are being gathered, keyed by its fingerprint;
/// its coalitions' values are kept one entry each beside it (see
/// ``AttributionStore/putShapleyCoalitionValue(fingerprint:bits:values:in:)``).
///
/// The fingerprint is the daemon's: it names everything a coalition's value depends on, so a
/// game whose fingerprint is still current can reuse every value evaluated for it.
public struct ShapleyGameRecord: Sendable, Hashable {
    /// What the game's values depend on, its key.
    public var fingerprint: String
    /// How coalition values are obtained (the estimator's name).
    public var estimator: String
    /// The checkpoint the game is played on.
    public var step: UInt64
    /// The players' contributor ids; bit `i` of a coalition is `players[i]` (at most 64).
    public var players: [Int64]
    /// The properties measured; every coalition has one value per property, in this order.
    public var properties: [String]
    /// When the game was first stored.
    public var createdAt: Timestamp
    /// When the game was last stored.
    public var updatedAt: Timestamp
    /// The samplers' states, one per sampling used so far.
    public var samplerStates: [ShapleySamplerRecord]

    /// A game record; a coalition's bits index `players`, so there are at most 64.
    public init(
        fingerprint: String, estimator: String, step: UInt64, players: [Int64], properties: [String],
        createdAt: Timestamp, updatedAt: Timestamp, samplerStates: [ShapleySamplerRecord]
    ) {
        precondition(players.count <= UInt64.bitWidth, "a game has at most \(UInt64.bitWidth) players, not \(players.count)")
        self.fingerprint = fingerprint
        self.estimator = estimator
        self.step = step
        self.players = players
        self.properties = properties
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.samplerStates = samplerStates
    }
}

extension ShapleyGameRecord: StoredRecord {
    static let recordName = "shapleyGame"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.shapleyGame(fingerprint) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(estimator)
        writer.appendLittleEndian(step)
        writer.appendLittleEndian(UInt64(players.count))
        for player in players { writer.appendLittleEndian(player) }
        writer.append(strings: properties)
        writer.append(createdAt)
        writer.append(updatedAt)
        writer.appendLittleEndian(UInt64(samplerStates.count))
        for sampler in samplerStates { writer.append(sampler) }
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        fingerprint = try key.readLengthPrefixedString()
        estimator = try fields.readString()
        step = try fields.readLittleEndian()
        let playerCount = try fields.readCount(minimumItemSize: MemoryLayout<Int64>.size, of: "players")
        guard playerCount <= UInt64.bitWidth else { throw fields.corrupt("\(playerCount) players; a game has at most 64") }
        var players: [Int64] = []
        for _ in 0..<playerCount { players.append(try fields.readLittleEndian()) }
        self.players = players
        properties = try fields.readStrings(of: "properties")
        createdAt = try fields.readTimestamp()
        updatedAt = try fields.readTimestamp()
        let samplerCount = try fields.readCount(minimumItemSize: RecordReader.minimumSamplerSize, of: "sampler states")
        var samplerStates: [ShapleySamplerRecord] = []
        samplerStates.reserveCapacity(samplerCount)
        for _ in 0..<samplerCount { samplerStates.append(try fields.readSampler()) }
        self.samplerStates = samplerStates
    }
}
