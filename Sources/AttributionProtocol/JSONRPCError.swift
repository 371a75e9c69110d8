/// The `error` member of a JSON-RPC 2.0 response.
public struct JSONRPCError: Error, Sendable, Equatable, Codable, CustomStringConvertible {
    /// Extra detail: why the request failed, in words a user can act on.
    public struct Details: Sendable, Equatable, Codable {
        /// The cause.
        public var reason: String
        /// Detail with a reason.
        public init(reason: String) { self.reason = reason }
    }

    /// The numeric code (see ``JSONRPCErrorCode``; other servers may send others).
    public var code: Int
    /// A short description of the code.
    public var message: String
    /// Why, when there is more to say than the code.
    public var data: Details?

    /// An error with `code`'s standard message and an optional reason.
    public init(_ code: JSONRPCErrorCode, reason: String? = nil) {
        self.code = code.rawValue
        self.message = code.message
        self.data = reason.map(Details.init(reason:))
    }

    /// The code as a known value, if it is one.
    public var knownCode: JSONRPCErrorCode? { JSONRPCErrorCode(rawValue: code) }

    public var description: String {
        if let reason = data?.reason { return "\(message) (\(code)): \(reason)" }
        return "\(message) (\(code))"
    }
}
