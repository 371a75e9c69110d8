import AttributionProtocol
import Foundation
import Synchronization

/// A daemon for the `attributionctl shapley` tests, on a real socket: answers `shapley_refresh`
/// with a fixed job, `status` with scripted Shapley statuses in turn (the last one repeating),
/// and `shapley_get` with the valuations its parameters select, as the protocol describes them;
/// it records every request's parameters.
final class CtlShapleyFakeDaemon: Sendable {
    /// What the daemon was asked, in order.
    struct Requests: Sendable {
        var refresh: [ShapleyRefreshParams] = []
        var get: [ShapleyGetParams] = []
        var statusCalls = 0
    }

    /// What the daemon answers with.
    struct Script: Sendable {
        var refresh: ShapleyRefreshResult?
        var statuses: [ShapleyStatus?]
        var valuations: [ShapleyValuation]
    }

    /// The requests, shared by the connections' threads.
    private final class Recorder: Sendable {
        let requests = Mutex(Requests())
    }

    private let server: ClientTestServer
    private let recorder = Recorder()

    /// The socket's path.
    var path: String { server.path }

    /// Everything asked so far.
    var asked: Requests { recorder.requests.withLock { $0 } }

    init(refresh: ShapleyRefreshResult? = nil, statuses: [ShapleyStatus?] = [], valuations: [ShapleyValuation] = []) throws {
        let script = Script(refresh: refresh, statuses: statuses, valuations: valuations)
        let recorder = recorder
        server = try ClientTestServer { connection in
            while let line = connection.readLine() {
                guard let header = try? ProtocolCoding.decodeHeader(line) else { return }
                Self.answer(line, method: header.method, script: script, recorder: recorder, connection: connection)
            }
        }
    }

    /// Stops listening: later connections fail as with a daemon that went away.
    func stop() { server.stop() }

    private static func answer(_ line: [UInt8], method: String, script: Script, recorder: Recorder, connection: ClientTestConnection) {
        switch method {
        case RPCMethod.shapleyRefresh.rawValue:
            guard let refresh = script.refresh, let params = try? ProtocolCoding.decodeParams(ShapleyRefreshParams.self, from: line) else { break }
            recorder.requests.withLock { $0.refresh.append(params) }
            try? connection.respond(to: line, with: refresh)
            return
        case RPCMethod.shapleyGet.rawValue:
            guard let params = try? ProtocolCoding.decodeParams(ShapleyGetParams.self, from: line) else { break }
            recorder.requests.withLock { $0.get.append(params) }
            try? connection.respond(to: line, with: ShapleyGetResult(valuations: select(script.valuations, params)))
            return
        case RPCMethod.status.rawValue where !script.statuses.isEmpty:
            let served = recorder.requests.withLock { requests in
                defer { requests.statusCalls += 1 }
                return requests.statusCalls
            }
            var status = AttributionClientTests.status
            status.shapley = script.statuses[min(served, script.statuses.count - 1)]
            try? connection.respond(to: line, with: status)
            return
        default:
            break
        }
        connection.writeLine(ProtocolCoding.errorLine(id: (try? ProtocolCoding.decodeHeader(line))?.id ?? .null, error: JSONRPCError(.methodNotFound)))
    }

    /// The valuations `shapley_get` answers `params` with: those of the property, estimator and
    /// step asked for; without a step, the newest of each property and estimator.
    static func select(_ valuations: [ShapleyValuation], _ params: ShapleyGetParams) -> [ShapleyValuation] {
        let matching = valuations.filter { valuation in
            (params.property.map { $0 == valuation.property } ?? true) && (params.estimator.map { $0 == valuation.estimator } ?? true)
                && (params.step.map { $0 == valuation.step } ?? true)
        }
        guard params.step == nil else { return matching }
        return matching.filter { valuation in
            !matching.contains { $0.property == valuation.property && $0.estimator == valuation.estimator && $0.step > valuation.step }
        }
    }
}
