import Foundation

/// A file written under its final, visible name in two halves, as writers that do not rename
/// (diffusers' `save_pretrained`, a copy in progress) leave it between their writes: the test
/// starts the file, looks at the daemon while it is half there, then finishes it.
final class InPlaceWrite {
    private let handle: FileHandle
    private let rest: Data

    /// Creates `url` (replacing any file there) and writes the first half of `bytes`.
    init(_ bytes: [UInt8], to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw TestFailure("cannot create \(url.path)") }
        handle = try FileHandle(forWritingTo: url)
        try handle.write(contentsOf: Data(bytes.prefix(bytes.count / 2)))
        rest = Data(bytes.dropFirst(bytes.count / 2))
    }

    /// Writes the second half and closes the file.
    func finish() throws {
        try handle.write(contentsOf: rest)
        try handle.close()
    }
}
