import Foundation

/// Builds a safetensors file in memory and writes it.
///
/// The layout follows the reference implementation: header keys sorted, data contiguous with
/// tensors ordered by element width (widest first) then name, so every tensor is aligned to its
/// element size, and the header padded with spaces to a multiple of 8 bytes.
public struct SafeTensorsWriter: Sendable {
    private struct Pending: Sendable {
        var dtype: DType
        var shape: [Int]
        var bytes: [UInt8]
    }

    /// Free-form string metadata, written as `__metadata__` when not empty.
    public var metadata: [String: String]
    private var tensors: [String: Pending] = [:]

    /// An empty file with the given metadata.
    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    /// Adds a tensor stored as F32.
    public mutating func add(_ name: String, float32 values: [Float], shape: [Int]) {
        add(name, dtype: .float32, shape: shape, littleEndianBytes: Self.littleEndianBytes(values.map(\.bitPattern)))
    }

    /// Adds a tensor stored as F16, each value rounded to the nearest binary16 (ties to even).
    public mutating func add(_ name: String, float16 values: [Float], shape: [Int]) {
        add(name, dtype: .float16, shape: shape, littleEndianBytes: Self.littleEndianBytes(values.map(HalfPrecision.float16Bits(from:))))
    }

    /// Adds a tensor stored as I64.
    public mutating func add(_ name: String, int64 values: [Int64], shape: [Int]) {
        add(name, dtype: .int64, shape: shape, littleEndianBytes: Self.littleEndianBytes(values))
    }

    /// Adds a tensor stored as U8.
    public mutating func add(_ name: String, uint8 values: [UInt8], shape: [Int]) {
        add(name, dtype: .uint8, shape: shape, littleEndianBytes: values)
    }

    /// Adds a tensor of any dtype from its elements' little-endian bytes, e.g. to copy a tensor
    /// from another file unchanged.
    public mutating func add(_ name: String, dtype: DType, shape: [Int], littleEndianBytes bytes: [UInt8]) {
        precondition(name != Header.metadataKey, "\"\(Header.metadataKey)\" is reserved for metadata")
        precondition(tensors[name] == nil, "tensor \"\(name)\" added twice")
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape) of \"\(name)\"")
        precondition(shape.reduce(dtype.byteWidth, *) == bytes.count,
                     "\(bytes.count) bytes do not fill a \(dtype.rawValue) tensor of shape \(shape) (\"\(name)\")")
        tensors[name] = Pending(dtype: dtype, shape: shape, bytes: bytes)
    }

    /// The complete file.
    public func serialized() -> [UInt8] {
        let dataOrder = tensors.sorted { lhs, rhs in
            let (a, b) = (lhs.value.dtype.byteWidth, rhs.value.dtype.byteWidth)
            return a != b ? a > b : lhs.key.utf8.lexicographicallyPrecedes(rhs.key.utf8)
        }
        var layout: [(name: String, pending: Pending, range: Range<Int>)] = []
        var dataLength = 0
        for (name, pending) in dataOrder {
            layout.append((name, pending, dataLength..<dataLength + pending.bytes.count))
            dataLength += pending.bytes.count
        }
        var header = [UInt8](headerJSON(layout).utf8)
        header.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - header.count % 8) % 8))

        var file = Self.littleEndianBytes([UInt64(header.count)])
        file.reserveCapacity(8 + header.count + dataLength)
        file.append(contentsOf: header)
        for (_, pending) in dataOrder {
            file.append(contentsOf: pending.bytes)
        }
        return file
    }

    /// Writes the file atomically: a temporary file in the same folder, flushed to disk, then
    /// renamed over `url`, so readers never see a partial file.
    public func write(to url: URL) throws(SafeTensorsError) {
        try AtomicFile.write(serialized(), to: url)
    }

    private func headerJSON(_ layout: [(name: String, pending: Pending, range: Range<Int>)]) -> String {
        var members: [(key: String, json: String)] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
                .map { "\(JSONText.quoted($0.key)):\(JSONText.quoted($0.value))" }
            members.append((Header.metadataKey, "{\(pairs.joined(separator: ","))}"))
        }
        for (name, pending, range) in layout {
            let shape = pending.shape.map(String.init).joined(separator: ",")
            let offsets = "[\(range.lowerBound),\(range.upperBound)]"
            members.append((name, "{\"dtype\":\"\(pending.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":\(offsets)}"))
        }
        members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        return "{" + members.map { "\(JSONText.quoted($0.key)):\($0.json)" }.joined(separator: ",") + "}"
    }

    /// The words' little-endian bytes; a plain copy on little-endian machines, because
    /// checkpoints hold hundreds of megabytes and element-wise work is slow unoptimised.
    private static func littleEndianBytes<Word: FixedWidthInteger>(_ words: [Word]) -> [UInt8] {
        #if _endian(little)
        return words.withUnsafeBytes { Array($0) }
        #else
        return words.flatMap { word in withUnsafeBytes(of: word.littleEndian) { Array($0) } }
        #endif
    }
}
