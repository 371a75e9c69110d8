/// A stored gradient block, read in place: the ids of its rows and their values.
///
/// The buffers point into the map (or into a scratch copy, see ``placement``) and are valid
/// only while the closure that received the view runs.
public struct GradientBlockView {
    /// The block's checkpoint, shard and index.
    public let key: GradientBlockKey
    /// The number of rows (examples).
    public let rows: Int
    /// The number of values per row.
    public let dimension: Int
    /// The values' element type.
    public let dtype: GradientDType
    /// The example id of each row.
    public let ids: UnsafeBufferPointer<Int64>
    /// `rows × dimension` elements of ``dtype``, row-major, starting 16-byte aligned.
    public let values: UnsafeRawBufferPointer
    /// Whether the buffers are the map itself or an aligned copy of a misaligned value.
    public let placement: BlockPlacement

    /// Views a stored value, copying it into `scratch` when its start is not 16-byte aligned.
    init(key: GradientBlockKey, value: UnsafeRawBufferPointer, scratch: AlignedScratch) throws(AttributionStoreError) {
        let layout = try GradientBlockLayout(decoding: value)
        let aligned = GradientBlockLayout.isAligned(value.baseAddress)
        let bytes = aligned ? value : scratch.copy(of: value)
        self.key = key
        rows = layout.rows
        dimension = layout.dimension
        dtype = layout.dtype
        ids = UnsafeRawBufferPointer(rebasing: bytes[layout.idsRange]).bindMemory(to: Int64.self)
        values = UnsafeRawBufferPointer(rebasing: bytes[layout.valuesRange])
        placement = aligned ? .inPlace : .alignedCopy
    }

    /// Row `index`'s values converted to `Float` (a copy, for inspection and tests; hot paths
    /// read ``values`` directly).
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < rows, "row \(index) out of 0..<\(rows)")
        let start = index * dimension * dtype.byteWidth
        let bytes = UnsafeRawBufferPointer(rebasing: values[start..<start + dimension * dtype.byteWidth])
        return [Float](unsafeUninitializedCapacity: dimension) { buffer, initialized in
            switch dtype {
            case .float32:
                UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            case .float16:
                Float16Conversion.decode(bytes, into: buffer)
            }
            initialized = dimension
        }
    }
}
