import AttributionStore
import Foundation
import LMDB

/// A store in a fresh temporary directory, removed when the test's closure returns.
enum StoreFixture {
    static let fingerprint = "projection=identity seed=7 draws=2 measurement=loss"

    /// A fresh directory under the system's temporary directory.
    static func withDirectory<R>(_ body: (String) throws -> R) throws -> R {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("attribution-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try body(url.path)
    }

    /// A new store in a fresh directory.
    static func withStore<R>(_ body: (AttributionStore) throws -> R) throws -> R {
        try withDirectory { path in
            try body(AttributionStore(path: path, engineFingerprint: fingerprint))
        }
    }
}
