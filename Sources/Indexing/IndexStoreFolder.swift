import AttributionStore
import Foundation

/// A store folder on disk: the LMDB environment plus `settings.json`, the ``IndexSettings`` it
/// was built with, so later commands use the same settings without being told them again.
public enum IndexStoreFolder {
    /// Opens (creating when new) the store in `folder`.
    ///
    /// - Parameter requested: Settings to build a new store with, or to check an existing one
    ///   against; nil opens an existing store with its own settings.
    /// - Throws: ``IndexStoreFolderError`` when the folder holds no store and no settings were
    ///   given, or holds one built with other settings.
    public static func open(_ folder: URL, requested: IndexSettings?) throws -> (store: AttributionStore, settings: IndexSettings) {
        let file = settingsFile(in: folder)
        let settings: IndexSettings
        if FileManager.default.fileExists(atPath: file.path) {
            let stored = try JSONDecoder().decode(IndexSettings.self, from: Data(contentsOf: file))
            if let requested, requested != stored { throw IndexStoreFolderError.settingsDiffer(folder: folder.path) }
            settings = stored
        } else {
            guard let requested else { throw IndexStoreFolderError.noStore(folder: folder.path) }
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(requested).write(to: file, options: .atomic)
            settings = requested
        }
        return (try AttributionStore(path: folder.path, engineFingerprint: settings.storeFingerprint), settings)
    }

    /// Opens the store in `folder` with the settings it was built with, or creates it with
    /// `settingsForNewStore` when the folder holds none yet.
    public static func openOrCreate(_ folder: URL, settingsForNewStore: IndexSettings) throws -> (store: AttributionStore, settings: IndexSettings) {
        let exists = FileManager.default.fileExists(atPath: settingsFile(in: folder).path)
        return try open(folder, requested: exists ? nil : settingsForNewStore)
    }

    private static func settingsFile(in folder: URL) -> URL { folder.appendingPathComponent("settings.json") }
}

/// Why a store folder cannot be opened.
public enum IndexStoreFolderError: Error, CustomStringConvertible {
    /// Nothing has been indexed into the folder yet.
    case noStore(folder: String)
    /// The folder's store was built with other settings than those requested.
    case settingsDiffer(folder: String)

    public var description: String {
        switch self {
        case .noStore(let folder): "no attribution store in \(folder): run `attributiond index` first"
        case .settingsDiffer(let folder):
            "the store in \(folder) was built with other settings (see its settings.json); use another --store or the same settings"
        }
    }
}
