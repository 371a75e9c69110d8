import SystemPackage

/// Reads a configuration file's text, turning every failure into `ConfigurationError.unreadableFile`.
enum ConfigurationFile {
    /// Larger files are refused: a configuration is a few kilobytes, and a path such as /dev/zero
    /// must not be read forever.
    static let maximumBytes = 1 << 20

    /// The file's text, which must be UTF-8.
    static func readText(at path: String) throws(ConfigurationError) -> String {
        let bytes: [UInt8]?
        do {
            let file = try FileDescriptor.open(FilePath(path), .readOnly)
            bytes = try file.closeAfter { try readUpToLimit(file) }
        } catch {
            let reason = (error as? Errno)?.description ?? String(describing: error)
            throw .unreadableFile(path: path, reason: reason)
        }
        guard let bytes else {
            throw .unreadableFile(path: path, reason: "larger than \(maximumBytes) bytes, not a configuration file")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        return text
    }

    /// The whole file, or nil once it grows past `maximumBytes`.
    private static func readUpToLimit(_ file: FileDescriptor) throws -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try file.read(into: $0) }
            if count == 0 {
                return bytes
            }
            bytes.append(contentsOf: chunk[..<count])
            if bytes.count > maximumBytes {
                return nil
            }
        }
    }
}
