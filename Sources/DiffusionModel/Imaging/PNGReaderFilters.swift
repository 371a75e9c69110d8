/// Undoes PNG's per-row filters (specification §9): each row starts with a filter-type byte,
/// and types 1–4 store each byte as a difference from a prediction based on the bytes to the
/// left, above, and above-left (already reconstructed), all arithmetic modulo 256.
enum PNGReaderFilters {
    /// The raw rows of a (sub-)image whose filtered rows start at `start` in `data`.
    ///
    /// - Parameters:
    ///   - rowBytes: bytes per row after the filter-type byte.
    ///   - stride: bytes per complete pixel, at least 1: the distance to "the byte to the left".
    /// - Returns: `rows * rowBytes` bytes, filter-type bytes removed.
    static func unfilter(_ data: [UInt8], start: Int, rows: Int, rowBytes: Int, stride: Int) throws(PNGReadError) -> [UInt8] {
        var raw = [UInt8](repeating: 0, count: rows * rowBytes)
        for row in 0..<rows {
            let source = start + row * (rowBytes + 1)
            let filterType = Int(data[source])
            guard filterType <= 4 else { throw .invalidFilterType(type: filterType, row: row) }
            let line = row * rowBytes, previous = line - rowBytes
            for column in 0..<rowBytes {
                let value = data[source + 1 + column]
                let left = column >= stride ? raw[line + column - stride] : 0
                let above = row > 0 ? raw[previous + column] : 0
                let aboveLeft = row > 0 && column >= stride ? raw[previous + column - stride] : 0
                let prediction: UInt8
                switch filterType {
                case 0: prediction = 0
                case 1: prediction = left
                case 2: prediction = above
                case 3: prediction = UInt8((Int(left) + Int(above)) / 2)
                default: prediction = paeth(left: left, above: above, aboveLeft: aboveLeft)
                }
                raw[line + column] = value &+ prediction
            }
        }
        return raw
    }

    /// Whichever of the three neighbours is closest to `left + above − aboveLeft`, ties going
    /// to left, then above.
    private static func paeth(left: UInt8, above: UInt8, aboveLeft: UInt8) -> UInt8 {
        let estimate = Int(left) + Int(above) - Int(aboveLeft)
        let toLeft = abs(estimate - Int(left)), toAbove = abs(estimate - Int(above))
        let toAboveLeft = abs(estimate - Int(aboveLeft))
        if toLeft <= toAbove && toLeft <= toAboveLeft { return left }
        return toAbove <= toAboveLeft ? above : aboveLeft
    }
}
