/// Decoding of little-endian element arrays from (possibly unaligned) file bytes.
extension UnsafeRawBufferPointer {
    /// Every `Word`-sized little-endian element, transformed.
    func decode<Word: FixedWidthInteger, Element>(_: Word.Type, _ transform: (Word) -> Element) -> [Element] {
        let stride = MemoryLayout<Word>.size
        return (0..<count / stride).map { index in
            transform(Word(littleEndian: loadUnaligned(fromByteOffset: index * stride, as: Word.self)))
        }
    }

    /// The bytes as little-endian `Float`s; a plain copy on little-endian machines, because
    /// checkpoints hold hundreds of megabytes of F32 and element-wise decoding is slow unoptimised.
    func decodeFloat32s() -> [Float] {
        #if _endian(little)
        let count = self.count / MemoryLayout<Float>.size
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let source = baseAddress, let destination = buffer.baseAddress {
                UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * MemoryLayout<Float>.size)
            }
            initialized = count
        }
        #else
        return decode(UInt32.self) { Float(bitPattern: $0) }
        #endif
    }
}
