import AttributionStore
import LMDB
import Testing

@Suite struct TableTests {
    static let time = Timestamp(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)

    static func shard(_ ordinal: UInt32, _ name: String, status: ShardRecord.Status = .accepted) -> ShardRecord {
        ShardRecord(ordinal: ordinal, fileName: name, byteSize: 10, modifiedAt: time, contentHash: FNV1a64.hash(Array(name.utf8)),
                    exampleCount: 2, isHeldOut: false, status: status)
    }

    @Test func checkpointsComeBackInStepOrder() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for step: UInt64 in [1000, 5, 300] {
                    try store.putCheckpoint(CheckpointRecord(step: step, path: "/c/\(step)", status: .registered,
                                                             registeredAt: Self.time), in: transaction)
                }
                var updated = try #require(try store.checkpoint(step: 300, in: transaction))
                updated.status = .indexed
                updated.indexedAt = Self.time
                try store.putCheckpoint(updated, in: transaction)
            }
            let checkpoints = try store.read { try store.checkpoints(in: $0) }
            #expect(checkpoints.map(\.step) == [5, 300, 1000])
            #expect(checkpoints[1].status == .indexed && checkpoints[1].indexedAt == Self.time)
        }
    }

    @Test func shardsAreFoundByOrdinalAndNameAndNamesStayUnique() throws {
        try StoreFixture.withStore { store in
            #expect(try store.read { try store.nextShardOrdinal(in: $0) } == 0)
            try store.write { transaction in
                try store.putShard(Self.shard(0, "a.safetensors"), in: transaction)
                try store.putShard(Self.shard(1, "b.safetensors", status: .rejected(reason: "duplicate ids")), in: transaction)
            }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.nextShardOrdinal(in: transaction) == 2)
                #expect(try store.shard(named: "b.safetensors", in: transaction)?.ordinal == 1)
                #expect(try store.shard(ordinal: 0, in: transaction)?.fileName == "a.safetensors")
                #expect(try store.shard(named: "c.safetensors", in: transaction) == nil)
            }
            let duplicate = #expect(throws: AttributionStoreError.self) {
                try store.write { try store.putShard(Self.shard(2, "a.safetensors"), in: $0) }
            }
            #expect(duplicate == .duplicateShardName(name: "a.safetensors", existingOrdinal: 0))
            try store.write { try store.putShard(Self.shard(0, "renamed.safetensors"), in: $0) }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                #expect(try store.shard(named: "a.safetensors", in: transaction) == nil)
                #expect(try store.shard(named: "renamed.safetensors", in: transaction)?.ordinal == 0)
                #expect(try store.shards(in: transaction).map(\.ordinal) == [0, 1])
            }
        }
    }

    @Test func examplesContributorsAndDuplicateIdDetection() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for (row, id) in [Int64(-3), 7, 0].enumerated() {
                    try store.putExample(ExampleRecord(id: id, shard: 0, row: UInt32(row), contributor: 1), in: transaction)
                }
                try store.putExample(ExampleRecord(id: 9, shard: 1, row: 0, contributor: 2), in: transaction)
                try store.putContributor(ContributorRecord(id: 2, name: "Grace"), in: transaction)
                try store.putContributor(ContributorRecord(id: -1, name: "anonymous"), in: transaction)
            }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                // A shard about to be registered checks each id first.
                #expect(try store.example(id: 7, in: transaction)?.shard == 0)
                #expect(try store.example(id: 8, in: transaction) == nil)
                #expect(try store.examples(inShard: 0, in: transaction).map(\.id) == [-3, 0, 7])
                #expect(try store.contributors(in: transaction).map(\.name) == ["anonymous", "Grace"])
                #expect(try store.contributor(id: 2, in: transaction)?.name == "Grace")
            }
            #expect(try store.write { try store.removeExample(id: 9, in: $0) })
            #expect(try store.read { try store.summary(in: $0) }.examples == 3)
        }
    }

    @Test func factorsAndSelfInfluenceArePerCheckpoint() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                for step: UInt64 in [1, 2] {
                    for layer: UInt32 in [2, 0, 1] {
                        try store.putFactor(FactorRecord(step: step, layer: layer, sampleCount: 1, rowCount: 1,
                                                         arrays: [FactorArray(name: "S", values: .float32([Float(layer)]))]), in: transaction)
                    }
                    for example: Int64 in [5, -5] {
                        try store.putSelfInfluence(SelfInfluenceRecord(step: step, example: example, value: Float(example) * Float(step)),
                                                   in: transaction)
                    }
                }
            }
            try store.read { (transaction: borrowing ReadTransaction) throws in
                let layers = try store.factors(step: 2, in: transaction)
                #expect(layers.map(\.layer) == [0, 1, 2])
                #expect(layers[2].array(named: "S")?.doubles == [2])
                #expect(try store.selfInfluence(step: 2, example: -5, in: transaction) == -10)
                #expect(try store.selfInfluences(step: 1, in: transaction).map(\.example) == [-5, 5])
            }
        }
    }

    @Test func summaryCountsEverything() throws {
        try StoreFixture.withStore { store in
            try store.write { transaction in
                try store.putCheckpoint(CheckpointRecord(step: 1, path: "/1", status: .indexed, registeredAt: Self.time), in: transaction)
                try store.putCheckpoint(CheckpointRecord(step: 2, path: "/2", status: .failed(reason: "x"), registeredAt: Self.time),
                                        in: transaction)
                try store.putShard(Self.shard(0, "a"), in: transaction)
                try store.putShard(Self.shard(1, "b", status: .rejected(reason: "unreadable")), in: transaction)
                try store.putExample(ExampleRecord(id: 1, shard: 0, row: 0, contributor: 4), in: transaction)
                try store.putContributor(ContributorRecord(id: 4, name: "Alan"), in: transaction)
                try store.enqueueJob(.finishCheckpoint, step: 2, in: transaction)
            }
            let summary = try store.read { try store.summary(in: $0) }
            #expect(summary == StoreSummary(checkpoints: 2, indexedCheckpoints: 1, shards: 2, acceptedShards: 1, examples: 1,
                                            contributors: 1, openJobs: 1, failedJobs: 0))
        }
    }
}
