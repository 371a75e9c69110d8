/// The element type of a gradient block's values.
public enum GradientDType: UInt8, Sendable, Hashable, CaseIterable {
    /// IEEE 754 binary32.
    case float32 = 1
    /// IEEE 754 binary16, stored as its bit pattern (see ``Float16Conversion``).
    case float16 = 2

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .float32: 4
        case .float16: 2
        }
    }
}

/// Where a gradient block's bytes were handed over: in the map itself, or in an aligned copy
/// because LMDB placed the value at an address not aligned to 16 bytes.
public enum BlockPlacement: Sendable, Hashable {
    /// The caller read or wrote the map directly.
    case inPlace
    /// The caller read or wrote a 16-byte aligned scratch copy.
    case alignedCopy
}
