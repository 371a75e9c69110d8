@testable import AttributionStore
import Testing

/// Every record round-trips, and every damaged encoding is refused with a typed error.
@Suite struct RecordCodecTests {
    static let time = Timestamp(nanosecondsSinceEpoch: 1_763_000_000_123_456_789)

    static let checkpoints: [CheckpointRecord] = [
        CheckpointRecord(step: 0, path: "/ckpt/0", status: .registered, registeredAt: time),
        CheckpointRecord(step: 500, path: "/ckpt/500", status: .indexing, registeredAt: time),
        CheckpointRecord(step: 1000, path: "/ckpt/1000", status: .indexed, registeredAt: time,
                         indexedAt: Timestamp(nanosecondsSinceEpoch: -5)),
        CheckpointRecord(step: .max, path: "ü/ckpt", status: .failed(reason: "NaN in layer 3"), registeredAt: time),
        CheckpointRecord(step: 7, path: "/ckpt/7", status: .retired, registeredAt: time, indexedAt: time),
    ]
    static let shards: [ShardRecord] = [
        ShardRecord(ordinal: 0, fileName: "shard-000.safetensors", byteSize: 123_456, modifiedAt: time,
                    contentHash: 0xDEAD_BEEF_0123_4567, exampleCount: 64, isHeldOut: false, status: .accepted),
        ShardRecord(ordinal: .max, fileName: "held.safetensors", byteSize: 0, modifiedAt: time, contentHash: 0,
                    exampleCount: 0, isHeldOut: true, status: .rejected(reason: "duplicate id 7")),
    ]
    static let factors = [
        FactorRecord(step: 9, layer: 3, sampleCount: 10, rowCount: 640, arrays: [
            FactorArray(name: "A", values: .float64([1, -2.5, .pi, .greatestFiniteMagnitude])),
            FactorArray(name: "S", values: .float32([0.5, -0, .infinity])),
            FactorArray(name: "empty", values: .float64([])),
        ]),
        FactorRecord(step: 0, layer: 0, sampleCount: 0, rowCount: 0, arrays: []),
    ]
    static let jobs = [
        JobRecord(sequence: 1, kind: .indexShard, step: 500, shard: 3, state: .pending, attempts: 0, lastError: nil),
        JobRecord(sequence: 2, kind: .finishCheckpoint, step: 500, shard: nil, state: .failed, attempts: 3,
                  lastError: "out of memory"),
    ]

    /// One sample record's encoding, with its type's decoder.
    struct Encoding {
        let name: String
        let key: [UInt8]
        let value: [UInt8]
        let decode: ([UInt8], [UInt8]) throws -> Void
        let roundTrips: () throws -> Bool
    }

    static var encodings: [Encoding] {
        func entry<R: StoredRecord & Equatable>(_ record: R) -> Encoding {
            Encoding(
                name: R.recordName, key: record.key, value: record.encodedValue(),
                decode: { _ = try R.decode(key: $0, value: $1) },
                roundTrips: { try R.decode(key: record.key, value: record.encodedValue()) == record }
            )
        }
        return checkpoints.map(entry) + shards.map(entry) + factors.map(entry) + jobs.map(entry) + [
            entry(ExampleRecord(id: -42, shard: 7, row: 3, contributor: .min)),
            entry(ContributorRecord(id: 11, name: "Ada Lovelace")),
            entry(ProgressRecord(step: 5, shard: 2, gradientsDone: true, factorsDone: false, examplesIndexed: 99)),
            entry(SelfInfluenceRecord(step: 5, example: .max, value: -1.25)),
        ]
    }

    @Test func everyRecordRoundTrips() throws {
        for encoding in Self.encodings {
            #expect(try encoding.roundTrips(), "\(encoding.name)")
        }
    }

    @Test func everyTruncationOfEveryRecordIsATypedError() throws {
        for encoding in Self.encodings {
            for length in 0..<encoding.value.count {
                let truncated = Array(encoding.value.prefix(length))
                #expect(throws: AttributionStoreError.self, "\(encoding.name) value cut at \(length)") {
                    try encoding.decode(encoding.key, truncated)
                }
            }
            for length in 0..<encoding.key.count {
                #expect(throws: AttributionStoreError.self, "\(encoding.name) key cut at \(length)") {
                    try encoding.decode(Array(encoding.key.prefix(length)), encoding.value)
                }
            }
        }
    }

    @Test func trailingBytesAndUnknownVersionsAreRefused() throws {
        for encoding in Self.encodings {
            let trailing = #expect(throws: AttributionStoreError.self) {
                try encoding.decode(encoding.key, encoding.value + [0])
            }
            guard case .corruptRecord = trailing else { Issue.record("\(encoding.name): \(String(describing: trailing))"); continue }
            var newer = encoding.value
            newer[0] = 2
            let version = #expect(throws: AttributionStoreError.self) {
                try encoding.decode(encoding.key, newer)
            }
            #expect(version == .unsupportedRecordVersion(record: encoding.name, version: 2, newestSupported: 1))
        }
    }

    @Test func corruptFieldsAreNamed() throws {
        let checkpoint = Self.checkpoints[0]
        var badStatus = checkpoint.encodedValue()
        badStatus[1 + 4 + checkpoint.path.utf8.count] = 9
        let statusError = #expect(throws: AttributionStoreError.self) {
            try CheckpointRecord.decode(key: checkpoint.key, value: badStatus)
        }
        #expect(statusError?.description.contains("unknown checkpoint status 9") == true)

        var badUTF8 = checkpoint.encodedValue()
        badUTF8[1 + 4] = 0xFF
        let utf8Error = #expect(throws: AttributionStoreError.self) {
            try CheckpointRecord.decode(key: checkpoint.key, value: badUTF8)
        }
        #expect(utf8Error?.description.contains("UTF-8") == true)

        let progress = ProgressRecord(step: 1, shard: 1, gradientsDone: true, factorsDone: true, examplesIndexed: 1)
        var badBool = progress.encodedValue()
        badBool[1] = 2
        #expect(throws: AttributionStoreError.self) { try ProgressRecord.decode(key: progress.key, value: badBool) }

        let job = Self.jobs[0]
        var badKind = job.encodedValue()
        badKind[1] = 77
        #expect(throws: AttributionStoreError.self) { try JobRecord.decode(key: job.key, value: badKind) }
    }

    /// Statuses keep their bytes (0 registered … 3 failed, 4 retired), so records written before
    /// `retired` existed still decode.
    @Test func checkpointStatusBytesAreStable() throws {
        let path = Array("/c".utf8)
        func value(status: [UInt8]) -> [UInt8] {
            var bytes: [UInt8] = [1, UInt8(path.count), 0, 0, 0] + path + status
            withUnsafeBytes(of: Self.time.nanosecondsSinceEpoch.littleEndian) { bytes += $0 }
            return bytes + [0]  // no indexedAt
        }
        let key = [UInt8](repeating: 0, count: 7) + [9]
        let failed = try CheckpointRecord.decode(key: key, value: value(status: [3, 2, 0, 0, 0] + Array("no".utf8)))
        #expect(failed == CheckpointRecord(step: 9, path: "/c", status: .failed(reason: "no"), registeredAt: Self.time))
        let statuses: [(UInt8, CheckpointRecord.Status)] = [(0, .registered), (1, .indexing), (2, .indexed), (4, .retired)]
        for (byte, status) in statuses {
            #expect(try CheckpointRecord.decode(key: key, value: value(status: [byte])).status == status)
            let record = CheckpointRecord(step: 9, path: "/c", status: status, registeredAt: Self.time)
            #expect(record.encodedValue() == value(status: [byte]))
        }
    }

    @Test func hugeDeclaredLengthsAreRefusedBeforeAllocating() throws {
        let factor = Self.factors[0]
        var hugeCount = factor.encodedValue()
        // The first array's element count follows version, two counts, array count, name, width.
        let countOffset = 1 + 8 + 8 + 4 + 4 + 1 + 1
        for index in 0..<8 { hugeCount[countOffset + index] = 0xFF }
        #expect(throws: AttributionStoreError.self) { try FactorRecord.decode(key: factor.key, value: hugeCount) }
        var hugeArrays = factor.encodedValue()
        for index in 0..<4 { hugeArrays[17 + index] = 0xFF }
        #expect(throws: AttributionStoreError.self) { try FactorRecord.decode(key: factor.key, value: hugeArrays) }
    }

    @Test func signedKeysSortNumerically() {
        let ids: [Int64] = [.min, -1_000_000, -1, 0, 1, 42, .max]
        let keys = ids.map(StoreKey.identifier)
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
