import AttributionProtocol
import Foundation

/// Turns request lines into response lines: reads the envelope, dispatches on the method,
/// decodes and validates its parameters, runs it (queries on the query thread, the rest inline;
/// a Shapley refresh is only queued for the valuation thread), and encodes the answer.
///
/// Never fails: every problem becomes a JSON-RPC error line. Notifications run and get no line.
public struct RequestRouter: RequestHandling {
    /// The run, store, limits and other services' state.
    public let context: RouterContext
    /// The query thread.
    public let queries: QueryService
    /// The probes.
    public let probes: ProbeMonitor
    /// The Shapley valuation service; without one, `shapley_refresh` and `shapley_get` answer
    /// -32601 (a router serving attribution only).
    public let valuation: ValuationService?
    private let policy: SamplePathPolicy

    /// A router answering with `queries`, `probes` and `valuation`.
    public init(context: RouterContext, queries: QueryService, probes: ProbeMonitor, valuation: ValuationService? = nil) {
        self.context = context
        self.queries = queries
        self.probes = probes
        self.valuation = valuation
        policy = SamplePathPolicy(allowedDirectories: context.limits.allowedSampleDirectories)
    }

    /// The response line to request `line`, or nil for a notification.
    public func respond(to line: [UInt8]) async -> [UInt8]? {
        let header: JSONRPCRequestHeader
        do { header = try ProtocolCoding.decodeHeader(line) } catch {
            // An invalid request echoes its id when one can be read (a parse error cannot).
            guard error.knownCode == .invalidRequest, case .request(let id) = RequestIDProbe.probe(line) else {
                return ProtocolCoding.errorLine(id: .null, error: error)
            }
            return ProtocolCoding.errorLine(id: id, error: error)
        }
        let id = header.id ?? .null
        let response: [UInt8]
        do {
            guard let method = RPCMethod(rawValue: header.method) else {
                throw JSONRPCError(.methodNotFound, reason: "no method \"\(header.method)\"; the methods are "
                                   + RPCMethod.allCases.map(\.rawValue).joined(separator: ", "))
            }
            response = try await answer(method, line: line, id: id)
        } catch {
            response = ProtocolCoding.errorLine(id: id, error: RPCErrorMapping.rpcError(for: error))
        }
        return header.isNotification ? nil : response
    }

    /// Runs `method` and encodes its result.
    private func answer(_ method: RPCMethod, line: [UInt8], id: JSONRPCID) async throws -> [UInt8] {
        switch method {
        case .status:
            return try encode(id, StatusReport.make(context: context, shapley: valuation?.status()))
        case .attribute:
            return try encode(id, await attribute(ProtocolCoding.decodeParams(AttributeParams.self, from: line)))
        case .attributeContributors:
            let result = try await attribute(ProtocolCoding.decodeParams(AttributeParams.self, from: line))
            return try encode(id, AttributeContributorsResult(
                checkpoints: result.checkpoints, examplesScored: result.examplesScored,
                samples: result.samples.map { SampleContributors(contributors: $0.contributors) }))
        case .checkpoints:
            return try encode(id, CheckpointListing.list(store: context.store))
        case .example:
            let params = try ProtocolCoding.decodeParams(ExampleParams.self, from: line)
            return try encode(id, ExampleLookup.describe(params, run: context.run, store: context.store))
        case .probesAdd:
            return try encode(id, await probes.add(ProtocolCoding.decodeParams(ProbeAddParams.self, from: line)))
        case .probesList:
            return try encode(id, probes.list())
        case .probesHistory:
            return try encode(id, probes.history(named: ProtocolCoding.decodeParams(ProbeNameParams.self, from: line).name))
        case .probesRemove:
            return try encode(id, probes.remove(named: ProtocolCoding.decodeParams(ProbeNameParams.self, from: line).name))
        case .shapleyRefresh:
            return try encode(id, requireValuation(method).refresh(ProtocolCoding.decodeParams(ShapleyRefreshParams.self, from: line)))
        case .shapleyGet:
            return try encode(id, requireValuation(method).valuations(ProtocolCoding.decodeParams(ShapleyGetParams.self, from: line)))
        }
    }

    /// The valuation service, or the error of a router without one.
    private func requireValuation(_ method: RPCMethod) throws(JSONRPCError) -> ValuationService {
        guard let valuation else {
            throw JSONRPCError(.methodNotFound, reason: "\(method.rawValue) is not served here: this daemon runs no valuation service")
        }
        return valuation
    }

    /// Validates `params`, then reads the samples and attributes them on the query thread.
    private func attribute(_ params: AttributeParams) async throws -> AttributeResult {
        let request = try AttributeRequest(params, limits: context.limits, policy: policy)
        let (maxSamples, draws) = (context.limits.maxSamples, context.limits.queryDraws)
        return try await queries.perform { attributor in
            try attributor.attribute(request.query(samples: try request.input.load(maxSamples: maxSamples), draws: draws))
        }
    }

    /// The success line for `result`.
    private func encode<Result: Codable & Sendable>(_ id: JSONRPCID, _ result: Result) throws -> [UInt8] {
        do { return try ProtocolCoding.encodeLine(JSONRPCResponse(id: id, result: result)) } catch {
            throw JSONRPCError(.internalError, reason: "the answer could not be encoded: \(error)")
        }
    }
}
