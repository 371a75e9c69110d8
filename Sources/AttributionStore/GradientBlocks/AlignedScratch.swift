/// A reusable 16-byte aligned buffer for gradient blocks LMDB placed at misaligned addresses.
final class AlignedScratch {
    private var storage: UnsafeMutableRawPointer?
    private var capacity = 0

    deinit {
        storage?.deallocate()
    }

    /// An aligned buffer of `count` bytes, valid until the next call.
    func buffer(count: Int) -> UnsafeMutableRawBufferPointer {
        if count > capacity {
            storage?.deallocate()
            capacity = max(count, capacity * 2)
            storage = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: GradientBlockLayout.alignment)
        }
        return UnsafeMutableRawBufferPointer(start: storage, count: count)
    }

    /// An aligned copy of `bytes`, valid until the next call.
    func copy(of bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let destination = buffer(count: bytes.count)
        destination.copyMemory(from: bytes)
        return UnsafeRawBufferPointer(destination)
    }
}
