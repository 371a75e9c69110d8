/// One chunk of a PNG file, its CRC already checked.
struct PNGChunk {
    /// Four ASCII letters, e.g. `IHDR`.
    let type: String
    let data: ArraySlice<UInt8>

    /// Critical chunks have an upper-case first letter: a decoder that does not know one cannot
    /// display the image correctly, so it must not skip it.
    var isCritical: Bool { type.utf8.first.map { $0 & 0x20 == 0 } ?? false }

    /// The chunks after the signature, up to and including IEND; bytes after IEND are ignored.
    static func chunks(in file: [UInt8]) throws(PNGReadError) -> [PNGChunk] {
        guard file.count >= 8, Array(file[0..<8]) == PNGWriter.signature else { throw .notPNG }
        var chunks: [PNGChunk] = []
        var offset = 8
        while chunks.last?.type != "IEND" {
            guard offset < file.count else { throw .missingChunk(type: "IEND") }
            guard file.count - offset >= 8 else { throw .truncatedChunk(offset: offset) }
            let length = Int(file[offset..<offset + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
            let typeBytes = file[offset + 4..<offset + 8]
            guard typeBytes.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw .invalidChunkType(offset: offset)
            }
            let type = String(decoding: typeBytes, as: UTF8.self)
            guard length <= Int(Int32.max) else { throw .chunkTooLong(type: type, length: length) }
            guard file.count - offset - 12 >= length else { throw .truncatedChunk(offset: offset) }
            let data = file[offset + 8..<offset + 8 + length]
            let crcStart = offset + 8 + length
            let stored = file[crcStart..<crcStart + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let computed = Checksums.crc32(data, continuing: Checksums.crc32(typeBytes))
            guard stored == computed else { throw .chunkChecksumMismatch(type: type, stored: stored, computed: computed) }
            chunks.append(PNGChunk(type: type, data: data))
            offset = crcStart + 4
        }
        return chunks
    }
}
