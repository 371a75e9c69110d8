/// Bytes received but not yet consumed, cut into `\n`-terminated lines.
///
/// Each byte is searched for the newline once, however many reads a line arrives in, so a
/// response of many megabytes received in small pieces costs linear time.
struct LineBuffer {
    private var bytes: [UInt8] = []
    /// How many leading bytes are known to hold no newline.
    private var scanned = 0

    /// Bytes held, a partial line included.
    var count: Int { bytes.count }

    /// Adds received bytes.
    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
    }

    /// Removes and returns the first complete line without its newline, or nil if the buffer
    /// holds no newline yet.
    mutating func takeLine() -> [UInt8]? {
        guard let newline = bytes[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanned = bytes.count
            return nil
        }
        let line = Array(bytes[..<newline])
        bytes.removeSubrange(...newline)
        scanned = 0
        return line
    }
}
