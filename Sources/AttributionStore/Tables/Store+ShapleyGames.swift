import LMDB

extension AttributionStore {
    /// Stores `record`, replacing the game of its fingerprint (its coalition values are kept).
    /// - Throws: ``AttributionStoreError/shapleyGameMismatch(fingerprint:reason:)`` when a game
    ///   of this fingerprint is stored with other players or properties, which its coalition
    ///   values would no longer fit.
    public func putShapleyGame(_ record: ShapleyGameRecord, in transaction: borrowing WriteTransaction) throws {
        if let stored = try shapleyGame(fingerprint: record.fingerprint, in: transaction) {
            guard stored.players == record.players, stored.properties == record.properties else {
                throw AttributionStoreError.shapleyGameMismatch(
                    fingerprint: record.fingerprint,
                    reason: "it is stored with players \(stored.players) and properties \(stored.properties), "
                        + "not \(record.players) and \(record.properties)"
                )
            }
        }
        try transaction.put(record, in: databases.shapleyGames)
    }

    /// The game with `fingerprint`.
    public func shapleyGame<A>(fingerprint: String, in transaction: borrowing Transaction<A>) throws -> ShapleyGameRecord? {
        try transaction.record(ShapleyGameRecord.self, key: StoreKey.shapleyGame(fingerprint), in: databases.shapleyGames)
    }

    /// Every game, by fingerprint length, then fingerprint bytes.
    public func shapleyGames<A>(in transaction: borrowing Transaction<A>) throws -> [ShapleyGameRecord] {
        try transaction.records(ShapleyGameRecord.self, in: databases.shapleyGames)
    }

    /// Records one coalition's values in a stored game, replacing earlier values of the same
    /// coalition: one small entry, so each evaluation can be saved as it finishes.
    /// - Parameters:
    ///   - bits: The coalition: bit `i` set when the game's player `i` is in it.
    ///   - values: One value per property of the game, in the game's order.
    /// - Throws: ``AttributionStoreError/shapleyGameNotFound(fingerprint:)``, or
    ///   ``AttributionStoreError/shapleyGameMismatch(fingerprint:reason:)`` when the bits name
    ///   a player the game lacks or the values do not match its properties.
    public func putShapleyCoalitionValue(
        fingerprint: String, bits: UInt64, values: [Double], in transaction: borrowing WriteTransaction
    ) throws {
        guard let game = try shapleyGame(fingerprint: fingerprint, in: transaction) else {
            throw AttributionStoreError.shapleyGameNotFound(fingerprint: fingerprint)
        }
        guard game.players.count == UInt64.bitWidth || bits >> game.players.count == 0 else {
            throw AttributionStoreError.shapleyGameMismatch(
                fingerprint: fingerprint, reason: "coalition bits \(bits) name a player beyond its \(game.players.count)"
            )
        }
        guard values.count == game.properties.count else {
            throw AttributionStoreError.shapleyGameMismatch(
                fingerprint: fingerprint, reason: "\(values.count) values given for its \(game.properties.count) properties"
            )
        }
        let record = ShapleyCoalitionValueRecord(fingerprint: fingerprint, bits: bits, values: values)
        try transaction.put(record, in: databases.shapleyCoalitions)
    }

    /// Every coalition value recorded for game `fingerprint`, by coalition bits.
    public func shapleyCoalitionValues<A>(
        fingerprint: String, in transaction: borrowing Transaction<A>
    ) throws -> [(bits: UInt64, values: [Double])] {
        try transaction.records(
            ShapleyCoalitionValueRecord.self, in: databases.shapleyCoalitions, range: .prefix(StoreKey.shapleyGame(fingerprint))
        ).map { (bits: $0.bits, values: $0.values) }
    }

    /// Deletes every game whose fingerprint is not in `fingerprints`, with its coalition values.
    /// - Returns: The fingerprints deleted, sorted.
    @discardableResult
    public func removeShapleyGames(keeping fingerprints: Set<String>, in transaction: borrowing WriteTransaction) throws -> [String] {
        let stale = try shapleyGames(in: transaction).map(\.fingerprint).filter { !fingerprints.contains($0) }
        for fingerprint in stale {
            let key = StoreKey.shapleyGame(fingerprint)
            try transaction.deleteAll(in: databases.shapleyCoalitions, range: .prefix(key))
            try transaction.delete(forKey: key, in: databases.shapleyGames)
        }
        return stale.sorted()
    }
}
