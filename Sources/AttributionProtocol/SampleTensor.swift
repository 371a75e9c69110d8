import Foundation

/// Images sent inline: little-endian float32 values in [-1, 1], base64-encoded, with a shape
/// `[Q, C, H, W]` (or `[C, H, W]` for one image).
public struct SampleTensor: Sendable, Equatable, Codable {
    /// Base64 of the little-endian float32 values, row-major.
    public var data: String
    /// The tensor's shape.
    public var shape: [Int]

    /// A tensor from already-encoded base64 `data` (checked only when its values are read).
    public init(data: String, shape: [Int]) {
        self.data = data
        self.shape = shape
    }

    /// Encodes `values` with `shape`.
    public init(values: [Float], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "values do not fill the shape")
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for value in values {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        self.data = Data(bytes).base64EncodedString()
        self.shape = shape
    }

    /// The values, checked against the shape and limits.
    ///
    /// - Parameter maximumElements: The largest number of values accepted.
    /// - Throws: `invalidParams` for a shape of the wrong rank or with non-positive sizes, too
    ///   many values, bad base64, a byte count that does not match the shape, or non-finite values.
    public func values(maximumElements: Int) throws(JSONRPCError) -> [Float] {
        guard shape.count == 3 || shape.count == 4 else {
            throw JSONRPCError(.invalidParams, reason: "samples.shape must be [Q, C, H, W] or [C, H, W], got \(shape)")
        }
        guard shape.allSatisfy({ $0 > 0 }) else { throw JSONRPCError(.invalidParams, reason: "samples.shape has a non-positive size: \(shape)") }
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumElements else {
                throw JSONRPCError(.invalidParams, reason: "samples.shape \(shape) exceeds the limit of \(maximumElements) values")
            }
            count = product
        }
        guard let bytes = Data(base64Encoded: data) else { throw JSONRPCError(.invalidParams, reason: "samples.data is not valid base64") }
        // count ≤ maximumElements, but a caller's limit may be near Int.max: compare without overflow.
        guard bytes.count % 4 == 0, bytes.count / 4 == count else {
            throw JSONRPCError(.invalidParams, reason: "samples.data holds \(bytes.count) bytes; shape \(shape) of float32 needs 4 bytes per value (\(count) values)")
        }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            for index in 0..<count {
                values[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw JSONRPCError(.invalidParams, reason: "samples.data has a non-finite value (\(values[bad])) at index \(bad)")
        }
        return values
    }

    /// The shape as `[Q, C, H, W]` (a single `[C, H, W]` image gets Q = 1).
    public var batchShape: [Int] { shape.count == 3 ? [1] + shape : shape }
}
