/// The curvature evidence of one layer at one checkpoint: named numeric arrays (Kronecker
/// factors, eigenvectors, corrections, …) plus the counts they were accumulated over.
///
/// The store does not interpret the arrays; the engine names and shapes them.
public struct FactorRecord: Sendable, Hashable {
    /// The checkpoint's training step.
    public var step: UInt64
    /// The layer's index in the engine's layer order.
    public var layer: UInt32
    /// The number of samples accumulated.
    public var sampleCount: UInt64
    /// The number of rows (samples × positions) accumulated.
    public var rowCount: UInt64
    /// The arrays, in the order the engine wrote them.
    public var arrays: [FactorArray]

    /// A factor record.
    public init(step: UInt64, layer: UInt32, sampleCount: UInt64, rowCount: UInt64, arrays: [FactorArray]) {
        self.step = step
        self.layer = layer
        self.sampleCount = sampleCount
        self.rowCount = rowCount
        self.arrays = arrays
    }

    /// The first array called `name`.
    public func array(named name: String) -> NumericArray? {
        arrays.first { $0.name == name }?.values
    }
}

/// A named array of a ``FactorRecord``.
public struct FactorArray: Sendable, Hashable {
    /// The array's name, chosen by the engine.
    public var name: String
    /// The numbers.
    public var values: NumericArray

    /// A named array.
    public init(name: String, values: NumericArray) {
        self.name = name
        self.values = values
    }
}

/// Numbers of one precision.
public enum NumericArray: Sendable, Hashable {
    /// Single precision.
    case float32([Float])
    /// Double precision.
    case float64([Double])

    /// The number of elements.
    public var count: Int {
        switch self {
        case .float32(let values): values.count
        case .float64(let values): values.count
        }
    }

    /// The elements as doubles (exact for both precisions).
    public var doubles: [Double] {
        switch self {
        case .float32(let values): values.map(Double.init)
        case .float64(let values): values
        }
    }
}

extension FactorRecord: StoredRecord {
    static let recordName = "factor"
    static let currentVersion: UInt8 = 1

    var key: [UInt8] { StoreKey.step(step, layer) }

    func encodeFields(into writer: inout RecordWriter) {
        writer.appendLittleEndian(sampleCount)
        writer.appendLittleEndian(rowCount)
        writer.appendLittleEndian(UInt32(arrays.count))
        for array in arrays {
            writer.append(array.name)
            switch array.values {
            case .float32(let values):
                writer.appendLittleEndian(UInt8(4))
                writer.appendLittleEndian(UInt64(values.count))
                writer.append(values)
            case .float64(let values):
                writer.appendLittleEndian(UInt8(8))
                writer.appendLittleEndian(UInt64(values.count))
                writer.append(values)
            }
        }
    }

    init(key: inout RecordReader, fields: inout RecordReader) throws(AttributionStoreError) {
        step = try key.readBigEndian()
        layer = try key.readBigEndian()
        sampleCount = try fields.readLittleEndian()
        rowCount = try fields.readLittleEndian()
        let count = try fields.readLittleEndian(UInt32.self)
        // Each array takes at least 13 bytes, so a corrupt count cannot make us reserve much.
        guard UInt64(count) * 13 <= UInt64(fields.remaining) else {
            throw fields.corrupt("\(count) arrays cannot fit in \(fields.remaining) bytes")
        }
        var arrays: [FactorArray] = []
        arrays.reserveCapacity(Int(count))
        for _ in 0..<count {
            let name = try fields.readString()
            let width = try fields.readLittleEndian(UInt8.self)
            let elements = try fields.readLittleEndian(UInt64.self)
            switch width {
            case 4: arrays.append(FactorArray(name: name, values: .float32(try fields.readFloats(elements))))
            case 8: arrays.append(FactorArray(name: name, values: .float64(try fields.readDoubles(elements))))
            default: throw fields.corrupt("array \"\(name)\" has element width \(width)")
            }
        }
        self.arrays = arrays
    }
}
