/// A monitoring probe: images re-attributed whenever a checkpoint finishes indexing, keyed by
/// its name.
///
/// The store keeps the images as they were given (float32 `[Q, C, H, W]`); what they mean to the
/// engine is the daemon's business.
public struct ProbeRecord: Sendable, Hashable {
    /// The probe's name, its key (non-empty).
    public var name: String
    /// The images' shape, `[Q, C, H, W]`.
    public var shape: [Int]
    /// The images' values, row-major; `shape`'s product of them.
    public var values: [Float]
    /// Examples kept per image at each checkpoint.
    public var topK: Int
    /// When the probe was added.
    public var addedAt: Timestamp

    /// A probe record; `values` must fill `shape`.
    public init(name: String, shape: [Int], values: [Float], topK: Int, addedAt: Timestamp) {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values do not fill the shape \(shape)")
        self.name = name
        self.shape = shape
        self.values = values
        self.topK = topK
        self.addedAt = addedAt
    }
}

extension ProbeRecord: StoredRecord {
    static let recordName = "probe"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.probe(name) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.appendLittleEndian(UInt8(shape.count))
        for size in shape { writer.appendLittleEndian(UInt64(size)) }
        writer.append(values)
        writer.appendLittleEndian(UInt32(topK))
        writer.append(addedAt)
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        let nameBytes = try key.readBytes(key.remaining)
        guard let name = String(validating: nameBytes, as: UTF8.self) else { throw key.corrupt("the probe name is not valid UTF-8") }
        self.name = name
        let rank = try fields.readLittleEndian(UInt8.self)
        var shape: [Int] = []
        var count: UInt64 = 1
        for _ in 0..<rank {
            let size = try fields.readLittleEndian(UInt64.self)
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, size <= UInt64(Int.max) else { throw fields.corrupt("the probe shape overflows") }
            shape.append(Int(size))
            count = product
        }
        self.shape = shape
        values = try fields.readFloats(count)
        topK = Int(try fields.readLittleEndian(UInt32.self))
        addedAt = try fields.readTimestamp()
    }
}

extension StoreKey {
    /// A probe's name (UTF-8), the key of its ``ProbeRecord``.
    static func probe(_ name: String) -> [UInt8] {
        Array(name.utf8)
    }

    /// The prefix of every history key of probe `name`: the name's UTF-8 length (big-endian
    /// `UInt32`), then the name, so no probe's prefix is another's.
    static func probeHistoryPrefix(_ name: String) -> [UInt8] {
        var writer = RecordWriter()
        let utf8 = Array(name.utf8)
        writer.appendBigEndian(UInt32(utf8.count))
        return writer.bytes + utf8
    }

    /// The key of probe `name`'s history entry at checkpoint `step`.
    static func probeHistory(_ name: String, step: UInt64) -> [UInt8] {
        probeHistoryPrefix(name) + Self.step(step)
    }
}
