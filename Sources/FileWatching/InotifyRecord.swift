import Glibc
import SystemPackage

/// One `struct inotify_event` read from an inotify descriptor, with its name decoded.
struct InotifyRecord: Equatable {
    /// The watch descriptor the event belongs to (-1 for a queue overflow).
    let watch: Int32
    /// The `IN_*` bits.
    let mask: InotifyMask
    /// The entry inside the watched directory, or `nil` when the event concerns the watched
    /// directory itself (`IN_DELETE_SELF`, `IN_IGNORED`, ...).
    let name: FilePath.Component?

    /// The size of the fixed part of a record; a name of `len` bytes (NUL-padded) follows it.
    static let headerSize = MemoryLayout<inotify_event>.size
    // Offsets of the header's fields; `offset(of:)` is only nil for computed properties, and
    // these are the C struct's stored fields.
    private static let watchOffset = MemoryLayout<inotify_event>.offset(of: \.wd)!
    private static let maskOffset = MemoryLayout<inotify_event>.offset(of: \.mask)!
    private static let lengthOffset = MemoryLayout<inotify_event>.offset(of: \.len)!

    /// Decodes the records in `bytes`, as filled by one `read(2)`.
    ///
    /// The kernel only returns whole records, but the parser does not rely on it: a record whose
    /// header or name would run past the end stops the parse, and a record whose name is not a
    /// single path component (which the kernel never sends) is skipped.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> [InotifyRecord] {
        var records: [InotifyRecord] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let watch = bytes.loadUnaligned(fromByteOffset: offset + watchOffset, as: Int32.self)
            let mask = bytes.loadUnaligned(fromByteOffset: offset + maskOffset, as: UInt32.self)
            let nameLength = Int(bytes.loadUnaligned(fromByteOffset: offset + lengthOffset, as: UInt32.self))
            let nameStart = offset + headerSize
            guard nameLength <= bytes.count - nameStart else { break }
            offset = nameStart + nameLength
            let name: FilePath.Component?
            if nameLength == 0 {
                name = nil
            } else {
                let nameBytes = UnsafeRawBufferPointer(rebasing: bytes[nameStart..<(nameStart + nameLength)])
                guard let component = FilePath.Component(entryName: nameBytes) else { continue }
                name = component
            }
            records.append(InotifyRecord(watch: watch, mask: InotifyMask(rawValue: mask), name: name))
        }
        return records
    }
}
