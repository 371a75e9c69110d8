import AttributionProtocol

/// The response lines the server writes on its own, without asking the handler.
enum ServerErrorLines {
    /// The line went over the size limit; the connection is closed after this answer.
    static func requestTooLarge(limit: Int) -> [UInt8] {
        ProtocolCoding.errorLine(
            id: .null, error: JSONRPCError(.requestTooLarge, reason: "a request line may hold at most \(limit) bytes; closing the connection"))
    }

    /// The connection limit is reached; the connection is closed after this answer.
    static func tooManyConnections(limit: Int) -> [UInt8] {
        ProtocolCoding.errorLine(
            id: .null, error: JSONRPCError(.serverBusy, reason: "too many connections (at most \(limit) at once); retry later"))
    }

    /// The handler did not answer in time.
    static func timedOut(id: JSONRPCID, after timeout: Duration) -> [UInt8] {
        ProtocolCoding.errorLine(
            id: id, error: JSONRPCError(.timedOut, reason: "no answer within \(describe(timeout)), the request timeout"))
    }

    /// The server is stopping and takes no new requests.
    static func shuttingDown(id: JSONRPCID) -> [UInt8] {
        ProtocolCoding.errorLine(id: id, error: JSONRPCError(.shuttingDown, reason: "the daemon is stopping; no new requests are taken"))
    }

    /// "300 s", "0.25 s".
    static func describe(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000) s" }
        return "\(Double(milliseconds) / 1000) s"
    }
}
