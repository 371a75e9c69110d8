import LMDB

/// Everything that can be wrong with a store or with a record read from it.
///
/// Storage failures themselves are ``LMDB/LMDBError``s; this type covers what the schema adds:
/// versions, fingerprints and the contents of records.
public enum AttributionStoreError: Error, Equatable, CustomStringConvertible {
    /// A record's key or value ended before a field: `needed` bytes at `offset`, `available` left.
    case truncatedRecord(record: String, part: String, offset: Int, needed: Int, available: Int)
    /// A record's bytes are not a valid encoding.
    case corruptRecord(record: String, reason: String)
    /// A record was written in a version of its encoding this code does not know.
    case unsupportedRecordVersion(record: String, version: UInt8, newestSupported: UInt8)
    /// The store was written by a newer schema than this code understands.
    case schemaTooNew(found: UInt32, newestSupported: UInt32)
    /// The store's schema is older than any this code can read.
    case schemaTooOld(found: UInt32, oldestSupported: UInt32)
    /// The store was built by a differently configured engine; its contents would not match.
    case fingerprintMismatch(stored: String, requested: String)
    /// A shard file name is already registered under another ordinal.
    case duplicateShardName(name: String, existingOrdinal: UInt32)
    /// No job with this sequence number is in the queue.
    case jobNotFound(sequence: UInt64)
    /// Every shard ordinal is taken.
    case shardOrdinalsExhausted
    /// No Shapley refresh job with this number is in the queue.
    case shapleyJobNotFound(number: UInt64)
    /// No Shapley game with this fingerprint is stored.
    case shapleyGameNotFound(fingerprint: String)
    /// A coalition value or a replacement game does not fit the stored game.
    case shapleyGameMismatch(fingerprint: String, reason: String)

    /// A readable explanation naming the record, versions or fingerprints concerned.
    public var description: String {
        switch self {
        case let .truncatedRecord(record, part, offset, needed, available):
            "\(record) \(part) is truncated: \(needed) bytes needed at offset \(offset), \(available) available"
        case let .corruptRecord(record, reason):
            "\(record) record is corrupt: \(reason)"
        case let .unsupportedRecordVersion(record, version, newest):
            "\(record) record has encoding version \(version); this build reads versions up to \(newest)"
        case let .schemaTooNew(found, newest):
            "the store has schema version \(found), newer than this build's \(newest); upgrade attributiond"
        case let .schemaTooOld(found, oldest):
            "the store has schema version \(found), older than the oldest this build reads (\(oldest))"
        case let .fingerprintMismatch(stored, requested):
            "the store was built with engine fingerprint \"\(stored)\" but this engine's is \"\(requested)\"; "
                + "use a new store (or rebuild this one) for a changed engine configuration"
        case let .duplicateShardName(name, ordinal):
            "a shard named \"\(name)\" is already registered as ordinal \(ordinal)"
        case let .jobNotFound(sequence):
            "no job with sequence number \(sequence) is in the queue"
        case .shardOrdinalsExhausted:
            "every shard ordinal up to \(UInt32.max) is taken"
        case let .shapleyJobNotFound(number):
            "no Shapley refresh job number \(number) is in the queue"
        case let .shapleyGameNotFound(fingerprint):
            "no Shapley game with fingerprint \"\(fingerprint)\" is stored"
        case let .shapleyGameMismatch(fingerprint, reason):
            "Shapley game \"\(fingerprint)\": \(reason)"
        }
    }
}
