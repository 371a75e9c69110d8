import AttributionClient
import AttributionProtocol

/// The calls the tests make most, through the product's own client.
extension AttributionClient {
    /// A client of the daemon at `path` whose calls give up after `seconds`.
    static func connect(_ path: String, seconds: Int64 = 120) throws -> AttributionClient {
        try AttributionClient(socketPath: path, timeout: .seconds(seconds))
    }

    /// `status`.
    func status() throws -> StatusResult {
        try call(.status, as: StatusResult.self)
    }

    /// `checkpoints`, by step.
    func checkpoints() throws -> [CheckpointInfo] {
        try call(.checkpoints, as: CheckpointsResult.self).checkpoints.sorted { $0.step < $1.step }
    }

    /// `attribute` with `count` inline samples `[count, 3, 8, 8]`.
    func attribute(samples count: Int, topK: Int, checkpoints: CheckpointSelector = .latest) throws -> AttributeResult {
        let samples = SampleTensor(values: TinyRun.inlineSamples(count: count), shape: [count] + TinyRun.imageShape)
        return try call(.attribute, AttributeParams(samples: samples, topK: topK, checkpoints: checkpoints), as: AttributeResult.self)
    }

    /// `attribute` with sample files the daemon reads itself.
    func attribute(paths: [String], topK: Int) throws -> AttributeResult {
        try call(.attribute, AttributeParams(paths: paths, topK: topK), as: AttributeResult.self)
    }
}

extension ClientError {
    /// The daemon's error code, when the daemon answered with an error.
    var serverCode: Int? {
        if case .server(let error) = self { return error.code }
        return nil
    }
}

/// The daemon's error code for a call expected to fail, or nil if it succeeded.
func code<Value>(of call: () throws -> Value) throws -> Int? {
    do {
        _ = try call()
        return nil
    } catch let error as ClientError {
        guard let code = error.serverCode else { throw error }
        return code
    }
}
