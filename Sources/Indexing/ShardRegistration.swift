import AttributionStore
import DiffusionModel
import Foundation
import SafeTensors

/// Registers data shards in the store: each file once, its examples (id → shard, row,
/// contributor) and contributor names in the same transaction. A file that cannot be used is
/// registered as rejected with its reason, so `status` shows it and it is not read again until
/// it changes on disk. A file that may still be being written (see ``FileSettling``) is left
/// alone until it settles, and one that does not parse is refused only once quiet for the settle
/// interval. Examples without a `contributors` entry are registered with contributor -1.
struct ShardRegistration {
    let store: AttributionStore
    let settling: FileSettling

    /// What registering one file did.
    enum Outcome {
        case accepted(ShardRecord)
        case rejected(ShardRecord, IndexingError)
        case alreadyKnown(ShardRecord)
        /// Not read: it may still be being written, and settles at `until` unless written again.
        case settling(until: Date)
    }

    /// Registers `url` unless a record for the same name, size and modification time exists or
    /// the file has not settled; a file that cannot be read or parsed counts as still being
    /// written until quiet for the settle interval.
    func register(_ url: URL, isHeldOut: Bool) throws -> Outcome {
        let name = url.lastPathComponent
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = UInt64((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        let modifiedDate = (attributes?[.modificationDate] as? Date) ?? Date(timeIntervalSince1970: 0)
        let modified = Timestamp(nanosecondsSinceEpoch: Int64(modifiedDate.timeIntervalSince1970 * 1e9))
        let existing = try store.read { try store.shard(named: name, in: $0) }
        if let existing, existing.byteSize == size, existing.modifiedAt == modified { return .alreadyKnown(existing) }
        if let existing, existing.status == .accepted { return .alreadyKnown(existing) }  // accepted data is never replaced
        if case .settling(let until) = settling.readiness(of: url, modified: modifiedDate) { return .settling(until: until) }

        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: url)) } catch {
            if let until = settling.quietUntil(modified: modifiedDate) { return .settling(until: until) }
            return try reject(name, existing, size, modified, 0, isHeldOut, .unreadableShard(file: name, reason: error.localizedDescription))
        }
        let hash = FNV1a64.hash(bytes)
        let shard: DataShard
        do { shard = try DataShard(file: SafeTensorsFile(bytes: bytes)) } catch {
            if let until = settling.quietUntil(modified: modifiedDate) { return .settling(until: until) }
            return try reject(name, existing, size, modified, hash, isHeldOut, .unreadableShard(file: name, reason: "\(error)"))
        }
        return try store.write { transaction in
            var duplicates: [Int64] = []
            var owner: UInt32?
            for id in shard.ids {
                guard let known = try store.example(id: id, in: transaction) else { continue }
                duplicates.append(id)
                owner = owner ?? known.shard
            }
            let ordinal = try existing?.ordinal ?? store.nextShardOrdinal(in: transaction)
            if !duplicates.isEmpty {
                let ownerName = try owner.flatMap { try store.shard(ordinal: $0, in: transaction)?.fileName } ?? "another shard"
                let error = IndexingError.duplicateExampleIDs(file: name, ids: duplicates, firstOwner: ownerName)
                let record = ShardRecord(ordinal: ordinal, fileName: name, byteSize: size, modifiedAt: modified, contentHash: hash,
                                         exampleCount: UInt64(shard.count), isHeldOut: isHeldOut, status: .rejected(reason: "\(error)"))
                try store.putShard(record, in: transaction)
                return .rejected(record, error)
            }
            let record = ShardRecord(ordinal: ordinal, fileName: name, byteSize: size, modifiedAt: modified, contentHash: hash,
                                     exampleCount: UInt64(shard.count), isHeldOut: isHeldOut, status: .accepted)
            try store.putShard(record, in: transaction)
            for (row, id) in shard.ids.enumerated() {
                try store.putExample(ExampleRecord(id: id, shard: ordinal, row: UInt32(row), contributor: shard.contributors?[row] ?? -1),
                                     in: transaction)
            }
            for (id, contributorName) in shard.contributorNames {
                try store.putContributor(ContributorRecord(id: id, name: contributorName), in: transaction)
            }
            return .accepted(record)
        }
    }

    private func reject(
        _ name: String, _ existing: ShardRecord?, _ size: UInt64, _ modified: Timestamp, _ hash: UInt64, _ isHeldOut: Bool,
        _ error: IndexingError
    ) throws -> Outcome {
        try store.write { transaction in
            let ordinal = try existing?.ordinal ?? store.nextShardOrdinal(in: transaction)
            let record = ShardRecord(ordinal: ordinal, fileName: name, byteSize: size, modifiedAt: modified, contentHash: hash,
                                     exampleCount: 0, isHeldOut: isHeldOut, status: .rejected(reason: "\(error)"))
            try store.putShard(record, in: transaction)
            return .rejected(record, error)
        }
    }
}
