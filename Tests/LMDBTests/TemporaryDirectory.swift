import Foundation

/// A fresh directory under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("lmdb-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    /// Runs `body` with a fresh directory and removes it afterwards.
    static func with<R>(_ body: (String) throws -> R) throws -> R {
        let directory = try TemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        return try body(directory.path)
    }
}

/// The bytes of a string, for readable keys and values.
func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A big-endian `UInt32` key, so byte order is numeric order.
func key(_ number: UInt32) -> [UInt8] {
    withUnsafeBytes(of: number.bigEndian) { Array($0) }
}
