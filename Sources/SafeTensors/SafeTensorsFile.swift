import Foundation

/// A validated safetensors file: 8-byte little-endian header length, JSON header, data section.
///
/// The whole header is checked when the file is opened (see `SafeTensorsError`), so element
/// accessors only check the requested type. Files opened from a URL are memory-mapped, so
/// opening a large checkpoint to read a few tensors does not copy the rest.
public struct SafeTensorsFile: Sendable {
    /// Largest header accepted, the reference implementation's limit.
    public static let maximumHeaderLength = 100_000_000

    /// Free-form string metadata from `__metadata__` (empty when absent).
    public let metadata: [String: String]
    /// Tensor names in header order.
    public let names: [String]
    private let entries: [String: TensorEntry]
    private let bytes: Data
    private let dataStart: Int

    /// Validates a file held in memory.
    public init(bytes: [UInt8]) throws(SafeTensorsError) {
        try self.init(data: Data(bytes))
    }

    /// Memory-maps and validates the file at `url`.
    public init(contentsOf url: URL) throws(SafeTensorsError) {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw .io(operation: "read", path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    private init(data bytes: Data) throws(SafeTensorsError) {
        guard bytes.count >= 8 else { throw .fileTooShort(byteCount: bytes.count) }
        let declared = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard declared <= UInt64(Self.maximumHeaderLength) else {
            throw .headerTooLarge(declaredLength: declared, limit: Self.maximumHeaderLength)
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw .headerBeyondFile(declaredLength: declared, availableBytes: bytes.count - 8)
        }
        // Offsets are taken within the raw buffer, so they are zero-based whatever `Data` indices are.
        let headerBytes = bytes.withUnsafeBytes { [UInt8]($0[8..<8 + headerLength]) }
        let header = try Header(jsonBytes: headerBytes, dataLength: bytes.count - 8 - headerLength)
        self.metadata = header.metadata
        self.names = header.names
        self.entries = header.entries
        self.bytes = bytes
        self.dataStart = 8 + headerLength
    }

    /// The description of the tensor called `name`, if the file has one.
    public func entry(_ name: String) -> TensorEntry? {
        entries[name]
    }

    /// The elements of a floating-point tensor (F32, F16, BF16 exactly; F64 rounded to nearest).
    public func floats(_ name: String) throws(SafeTensorsError) -> [Float] {
        let entry = try requireEntry(name)
        return try withElementBytes(of: entry) { raw throws(SafeTensorsError) in
            switch entry.dtype {
            case .float32: raw.decodeFloat32s()
            case .float16: raw.decode(UInt16.self) { HalfPrecision.float(fromFloat16Bits: $0) }
            case .bfloat16: raw.decode(UInt16.self) { HalfPrecision.float(fromBFloat16Bits: $0) }
            case .float64: raw.decode(UInt64.self) { Float(Double(bitPattern: $0)) }
            default: throw .dtypeMismatch(tensor: name, dtype: entry.dtype, requested: "floats")
            }
        }
    }

    /// The elements of an integer tensor of any width and signedness, widened to `Int64`.
    /// U64 elements above `Int64.max` are an error.
    public func int64s(_ name: String) throws(SafeTensorsError) -> [Int64] {
        let entry = try requireEntry(name)
        return try withElementBytes(of: entry) { raw throws(SafeTensorsError) in
            switch entry.dtype {
            case .int8: return raw.decode(UInt8.self) { Int64(Int8(bitPattern: $0)) }
            case .uint8: return raw.decode(UInt8.self) { Int64($0) }
            case .int16: return raw.decode(UInt16.self) { Int64(Int16(bitPattern: $0)) }
            case .uint16: return raw.decode(UInt16.self) { Int64($0) }
            case .int32: return raw.decode(UInt32.self) { Int64(Int32(bitPattern: $0)) }
            case .uint32: return raw.decode(UInt32.self) { Int64($0) }
            case .int64: return raw.decode(UInt64.self) { Int64(bitPattern: $0) }
            case .uint64:
                let values = raw.decode(UInt64.self) { $0 }
                if let index = values.firstIndex(where: { $0 > UInt64(Int64.max) }) {
                    throw .valueOutOfRange(tensor: name, index: index)
                }
                return values.map { Int64($0) }
            default: throw .dtypeMismatch(tensor: name, dtype: entry.dtype, requested: "64-bit integers")
            }
        }
    }

    /// The elements of a U8 tensor.
    public func uint8s(_ name: String) throws(SafeTensorsError) -> [UInt8] {
        let entry = try requireEntry(name)
        guard entry.dtype == .uint8 else { throw .dtypeMismatch(tensor: name, dtype: entry.dtype, requested: "bytes (U8)") }
        return try withElementBytes(of: entry) { [UInt8]($0) }
    }

    private func requireEntry(_ name: String) throws(SafeTensorsError) -> TensorEntry {
        guard let entry = entries[name] else { throw .tensorNotFound(name) }
        return entry
    }

    /// Calls `body` with the tensor's bytes; the range was validated against the file on open.
    private func withElementBytes<Result>(
        of entry: TensorEntry, _ body: (UnsafeRawBufferPointer) throws(SafeTensorsError) -> Result
    ) throws(SafeTensorsError) -> Result {
        let range = (dataStart + entry.dataRange.lowerBound)..<(dataStart + entry.dataRange.upperBound)
        let result: Swift.Result<Result, SafeTensorsError> = bytes.withUnsafeBytes { file in
            do throws(SafeTensorsError) {
                return .success(try body(UnsafeRawBufferPointer(rebasing: file[range])))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
