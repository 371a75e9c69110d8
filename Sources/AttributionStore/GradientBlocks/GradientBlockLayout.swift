/// The byte layout of a gradient block value (version 1):
///
///     offset 0   version     UInt8
///            1   dtype       UInt8  (1 = float32, 2 = float16)
///            2   reserved    2 bytes, zero
///            4   rows        UInt32 little-endian
///            8   dimension   UInt32 little-endian
///           12   reserved    4 bytes, zero
///           16   ids         rows × Int64 little-endian
///                padding     zero bytes up to the next multiple of 16
///     valuesOffset values    rows × dimension elements, row-major, little-endian
///
/// Everything is aligned relative to the value's start (ids to 8, values to 16), so a value
/// that starts 16-byte aligned can be read in place.
struct GradientBlockLayout: Equatable {
    static let recordName = "gradientBlock"
    static let currentVersion: UInt8 = 1
    static let headerSize = 16
    static let alignment = 16

    let rows: Int
    let dimension: Int
    let dtype: GradientDType
    let valuesOffset: Int
    let valuesByteCount: Int

    /// The layout of a block to be written; sizes are the caller's responsibility.
    init(rows: Int, dimension: Int, dtype: GradientDType) {
        precondition(rows >= 0 && rows <= Int(UInt32.max), "rows \(rows) out of range")
        precondition(dimension >= 0 && dimension <= Int(UInt32.max), "dimension \(dimension) out of range")
        self.rows = rows
        self.dimension = dimension
        self.dtype = dtype
        valuesOffset = Self.roundedUp(Self.headerSize + rows * MemoryLayout<Int64>.size)
        valuesByteCount = rows * dimension * dtype.byteWidth
    }

    /// Reads and checks the header of a stored value: known version and dtype, zero reserved
    /// bytes, and a total size that matches the value exactly.
    init(decoding value: UnsafeRawBufferPointer) throws(AttributionStoreError) {
        var reader = RecordReader(value, record: Self.recordName, part: "value")
        let version = try reader.readLittleEndian(UInt8.self)
        guard version == Self.currentVersion else {
            throw .unsupportedRecordVersion(record: Self.recordName, version: version, newestSupported: Self.currentVersion)
        }
        let dtypeByte = try reader.readLittleEndian(UInt8.self)
        guard let dtype = GradientDType(rawValue: dtypeByte) else { throw reader.corrupt("unknown dtype \(dtypeByte)") }
        let reservedLow = try reader.readLittleEndian(UInt16.self)
        let rows = UInt64(try reader.readLittleEndian(UInt32.self))
        let dimension = UInt64(try reader.readLittleEndian(UInt32.self))
        let reservedHigh = try reader.readLittleEndian(UInt32.self)
        guard reservedLow == 0, reservedHigh == 0 else { throw reader.corrupt("reserved header bytes are not zero") }
        // rows < 2³², so the header and ids cannot overflow; the values might.
        let valuesOffset = UInt64(Self.roundedUp(Self.headerSize + Int(rows) * MemoryLayout<Int64>.size))
        let (elements, elementsOverflow) = rows.multipliedReportingOverflow(by: dimension)
        let (valueBytes, bytesOverflow) = elements.multipliedReportingOverflow(by: UInt64(dtype.byteWidth))
        let (total, totalOverflow) = valuesOffset.addingReportingOverflow(valueBytes)
        guard !elementsOverflow, !bytesOverflow, !totalOverflow, total == UInt64(value.count) else {
            throw reader.corrupt("\(rows) rows × \(dimension) \(dtype) values do not match the \(value.count)-byte value")
        }
        self.rows = Int(rows)
        self.dimension = Int(dimension)
        self.dtype = dtype
        self.valuesOffset = Int(valuesOffset)
        self.valuesByteCount = Int(valueBytes)
    }

    /// The value's total size in bytes.
    var totalSize: Int { valuesOffset + valuesByteCount }

    /// The byte range of the ids.
    var idsRange: Range<Int> { Self.headerSize..<Self.headerSize + rows * MemoryLayout<Int64>.size }

    /// The byte range of the values.
    var valuesRange: Range<Int> { valuesOffset..<totalSize }

    /// Writes the header and zero padding into a `totalSize`-byte buffer, then hands the id and
    /// value regions to `fill`. The buffer must be 16-byte aligned.
    func initialize(
        _ buffer: UnsafeMutableRawBufferPointer,
        fill: (UnsafeMutableBufferPointer<Int64>, UnsafeMutableRawBufferPointer) throws -> Void
    ) rethrows {
        precondition(buffer.count == totalSize && Self.isAligned(UnsafeRawPointer(buffer.baseAddress)))
        buffer.storeBytes(of: Self.currentVersion, toByteOffset: 0, as: UInt8.self)
        buffer.storeBytes(of: dtype.rawValue, toByteOffset: 1, as: UInt8.self)
        buffer.storeBytes(of: UInt16(0), toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: UInt32(rows).littleEndian, toByteOffset: 4, as: UInt32.self)
        buffer.storeBytes(of: UInt32(dimension).littleEndian, toByteOffset: 8, as: UInt32.self)
        buffer.storeBytes(of: UInt32(0), toByteOffset: 12, as: UInt32.self)
        let padding = UnsafeMutableRawBufferPointer(rebasing: buffer[idsRange.upperBound..<valuesOffset])
        padding.initializeMemory(as: UInt8.self, repeating: 0)
        let ids = UnsafeMutableRawBufferPointer(rebasing: buffer[idsRange]).bindMemory(to: Int64.self)
        try fill(ids, UnsafeMutableRawBufferPointer(rebasing: buffer[valuesRange]))
    }

    /// Whether `pointer` is 16-byte aligned (a nil pointer, for an empty buffer, counts as
    /// aligned).
    static func isAligned(_ pointer: UnsafeRawPointer?) -> Bool {
        Int(bitPattern: pointer) % alignment == 0
    }

    private static func roundedUp(_ offset: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }
}
