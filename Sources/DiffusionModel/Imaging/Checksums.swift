/// The two checksums a PNG file needs: CRC-32 over each chunk, Adler-32 over the zlib payload.
public enum Checksums {
    /// CRC-32 (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320), as PNG chunks use.
    public static func crc32<Bytes: Sequence<UInt8>>(_ bytes: Bytes, continuing previous: UInt32 = 0) -> UInt32 {
        var crc = ~previous
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    /// Adler-32 (RFC 1950), the checksum that ends a zlib stream.
    public static func adler32<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        // 5552 is the most bytes that can be summed before the 32-bit sums could overflow.
        let modulus: UInt32 = 65521, blockLength = 5552
        var (a, b): (UInt32, UInt32) = (1, 0)
        var pending = 0
        for byte in bytes {
            a += UInt32(byte)
            b += a
            pending += 1
            if pending == blockLength {
                (a, b, pending) = (a % modulus, b % modulus, 0)
            }
        }
        return (b % modulus) << 16 | (a % modulus)
    }

    private static let crcTable: [UInt32] = (0..<256).map { (index: UInt32) in
        (0..<8).reduce(index) { crc, _ in crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
    }
}
