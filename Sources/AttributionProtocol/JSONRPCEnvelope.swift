/// The members every request line carries, read before the method's parameters are decoded.
public struct JSONRPCRequestHeader: Sendable, Equatable, Decodable {
    /// Always "2.0".
    public let jsonrpc: String
    /// The method called.
    public let method: String
    /// The id to echo; nil when the member is absent, which makes the request a notification.
    public let id: JSONRPCID?

    private enum CodingKeys: String, CodingKey { case jsonrpc, method, id }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try container.decode(String.self, forKey: .jsonrpc)
        method = try container.decode(String.self, forKey: .method)
        // "id": null is a request answered with id null, not a notification (JSON-RPC 2.0 §4).
        id = container.contains(.id) ? try container.decode(JSONRPCID.self, forKey: .id) : nil
    }

    /// Whether the request expects no response.
    public var isNotification: Bool { id == nil }
}

/// A request line: the envelope with typed parameters.
public struct JSONRPCRequest<Params: Codable & Sendable>: Sendable, Codable {
    /// Always "2.0".
    public var jsonrpc: String
    /// The id; nil for a notification.
    public var id: JSONRPCID?
    /// The method called.
    public var method: String
    /// The parameters, absent when the method takes none.
    public var params: Params?

    /// A request of `method` with `params`.
    public init(id: JSONRPCID?, method: RPCMethod, params: Params?) {
        self.jsonrpc = "2.0"
        self.id = id
        self.method = method.rawValue
        self.params = params
    }
}

/// A response line: the id and either a result or an error.
public struct JSONRPCResponse<Result: Codable & Sendable>: Sendable, Codable {
    /// Always "2.0".
    public var jsonrpc: String
    /// The request's id (null when it could not be read).
    public var id: JSONRPCID
    /// The result, on success.
    public var result: Result?
    /// The error, on failure.
    public var error: JSONRPCError?

    /// A successful response.
    public init(id: JSONRPCID, result: Result) {
        self.jsonrpc = "2.0"
        self.id = id
        self.result = result
        self.error = nil
    }

    /// A failed response.
    public init(id: JSONRPCID, error: JSONRPCError) {
        self.jsonrpc = "2.0"
        self.id = id
        self.result = nil
        self.error = error
    }

    private enum CodingKeys: String, CodingKey { case jsonrpc, id, result, error }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jsonrpc, forKey: .jsonrpc)
        // The id member is required in every response, null included.
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(result, forKey: .result)
        try container.encodeIfPresent(error, forKey: .error)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        jsonrpc = try container.decode(String.self, forKey: .jsonrpc)
        id = try container.decodeIfPresent(JSONRPCID.self, forKey: .id) ?? .null
        result = try container.decodeIfPresent(Result.self, forKey: .result)
        error = try container.decodeIfPresent(JSONRPCError.self, forKey: .error)
    }
}

/// Parameters of a method that takes none (`params` may be absent, `{}` or `[]`).
public struct NoParams: Sendable, Equatable, Codable {
    /// No parameters.
    public init() {}

    public init(from decoder: any Decoder) throws {}
    public func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: NoKeys.self)
    }

    private enum NoKeys: CodingKey {}
}
