/// Hand-built safetensors files for tests.
enum FileBytes {
    /// A file whose header is `json` verbatim, followed by `data`.
    static func file(header json: String, data: [UInt8] = []) -> [UInt8] {
        let header = Array(json.utf8)
        return file(declaredHeaderLength: UInt64(header.count), rest: header + data)
    }

    /// An 8-byte header length that may lie, followed by arbitrary bytes.
    static func file(declaredHeaderLength: UInt64, rest: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: declaredHeaderLength.littleEndian) { Array($0) } + rest
    }

    /// The little-endian bytes of integers.
    static func littleEndian<Word: FixedWidthInteger>(_ words: [Word]) -> [UInt8] {
        words.flatMap { word in withUnsafeBytes(of: word.littleEndian) { Array($0) } }
    }
}
