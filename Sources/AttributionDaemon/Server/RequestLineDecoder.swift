import Glibc
import NIOCore

/// What a connection's reader hands to its serving loop.
enum RequestFrame: Sendable, Equatable {
    /// One request line, without its line end.
    case line([UInt8])
    /// A line longer than the limit began; the connection must be answered and closed.
    case oversized
}

/// Splits a byte stream into request lines at `\n` (a `\r` before it is dropped too), skipping
/// blank lines, without ever holding more than one line's limit: as soon as a line is known to
/// exceed `maxLineBytes` it emits ``RequestFrame/oversized`` and discards everything after.
struct RequestLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = RequestFrame

    private let maxLineBytes: Int
    /// Bytes at the front of the buffer already searched without finding a newline, so that a
    /// line arriving in many reads is scanned once, not once per read.
    private var scannedBytes = 0
    private var discarding = false

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if discarding {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        // A line of `maxLineBytes` plus "\r\n" has its newline within this many bytes.
        let searchLength = min(buffer.readableBytes, maxLineBytes + 2)
        guard let newline = firstNewline(in: buffer, from: scannedBytes, to: searchLength) else {
            if buffer.readableBytes >= maxLineBytes + 2 {
                emitOversized(context: context, buffer: &buffer)
            } else {
                scannedBytes = searchLength
            }
            return .needMoreData
        }
        scannedBytes = 0
        guard var line = buffer.readBytes(length: newline) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.count > maxLineBytes {
            emitOversized(context: context, buffer: &buffer)
            return .needMoreData
        }
        if !Self.isBlank(line) {
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        return .continue
    }

    /// At end of input, a last line without a newline still counts (a client may send one
    /// request and shut down its sending side).
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        guard !discarding, buffer.readableBytes > 0 else {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        var line = Array(buffer.readableBytesView)
        buffer.moveReaderIndex(to: buffer.writerIndex)
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if !Self.isBlank(line) {
            context.fireChannelRead(wrapInboundOut(.line(line)))
        }
        return .needMoreData
    }

    private mutating func emitOversized(context: ChannelHandlerContext, buffer: inout ByteBuffer) {
        discarding = true
        buffer.moveReaderIndex(to: buffer.writerIndex)
        context.fireChannelRead(wrapInboundOut(.oversized))
    }

    /// The offset of the first `\n` among the readable bytes `start..<end` (memchr: requests can
    /// be megabytes long).
    private func firstNewline(in buffer: ByteBuffer, from start: Int, to end: Int) -> Int? {
        guard start < end else { return nil }
        return buffer.withUnsafeReadableBytes { bytes in
            guard let base = bytes.baseAddress, let found = memchr(base + start, CInt(UInt8(ascii: "\n")), end - start) else {
                return nil
            }
            return base.distance(to: UnsafeRawPointer(found))
        }
    }

    /// Only JSON whitespace: nothing to answer.
    private static func isBlank(_ line: [UInt8]) -> Bool {
        line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }
}
