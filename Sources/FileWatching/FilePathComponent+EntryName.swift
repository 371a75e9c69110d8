import SystemPackage

extension FilePath.Component {
    /// The directory entry name spelled by `bytes` up to their first NUL (inotify pads names with
    /// NULs), or `nil` when that is empty, `.`, `..`, or contains a separator.
    init?(entryName bytes: UnsafeRawBufferPointer) {
        let length = bytes.firstIndex(of: 0) ?? bytes.count
        var terminated = bytes.prefix(length).map { CChar(bitPattern: $0) }
        terminated.append(0)
        let parsed = terminated.withUnsafeBufferPointer { pointer in
            pointer.baseAddress.flatMap { FilePath.Component(platformString: $0) }
        }
        guard let parsed, parsed.kind == .regular else { return nil }
        self = parsed
    }
}
