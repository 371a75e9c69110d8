/// One training example: where it lives and who contributed it, keyed by its id.
public struct ExampleRecord: Sendable, Hashable {
    /// The example's id, unique across all shards.
    public var id: Int64
    /// The ordinal of the shard holding it.
    public var shard: UInt32
    /// Its row within the shard.
    public var row: UInt32
    /// The id of its contributor.
    public var contributor: Int64

    /// An example record.
    public init(id: Int64, shard: UInt32, row: UInt32, contributor: Int64) {
        self.id = id
        self.shard = shard
        self.row = row
        self.contributor = contributor
    }
}

extension ExampleRecord: StoredRecord {
    static let recordName = "example"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.identifier(id) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.appendLittleEndian(shard)
        writer.appendLittleEndian(row)
        writer.appendLittleEndian(contributor)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        id = try key.readOrdered()
        shard = try fields.readLittleEndian()
        row = try fields.readLittleEndian()
        contributor = try fields.readLittleEndian()
    }
}

/// A contributor of training data: an id and a display name.
public struct ContributorRecord: Sendable, Hashable {
    /// The contributor's id.
    public var id: Int64
    /// The contributor's name.
    public var name: String

    /// A contributor record.
    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

extension ContributorRecord: StoredRecord {
    static let recordName = "contributor"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.identifier(id) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.append(name)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        id = try key.readOrdered()
        name = try fields.readString()
    }
}
