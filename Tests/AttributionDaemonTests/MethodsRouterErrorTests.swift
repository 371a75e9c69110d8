@testable import AttributionDaemon
import AttributionProtocol
import Foundation
import Indexing
import Numerics
import Testing

/// Every malformed or unanswerable request gets its JSON-RPC error, with the id echoed.
@Suite struct MethodsRouterErrorTests {
    /// The error of the router's answer to `line`, which must be an error.
    static func error(_ services: MethodsServices, _ line: String) async throws -> (id: JSONRPCID, error: JSONRPCError) {
        let response = try await services.call(line)
        #expect(response.result == nil)
        return (response.id, try #require(response.error, "no error for \(line)"))
    }

    /// A base64 payload of `count` float32 values.
    static func base64(_ values: [Float]) -> String {
        SampleTensor(values: values, shape: [values.count]).data
    }

    @Test func envelopeProblems() async throws {
        try await MethodsServices.withShared { services, _ in
            let parse = try await Self.error(services, #"{"jsonrpc": "2.0", "method": "status", "id": 1"#)
            #expect(parse.error.knownCode == .parseError && parse.id == .null)
            let batch = try await Self.error(services, #"[{"jsonrpc": "2.0", "method": "status", "id": 1}]"#)
            #expect(batch.error.knownCode == .invalidRequest)
            let noMethod = try await Self.error(services, #"{"jsonrpc": "2.0", "id": 7}"#)
            #expect(noMethod.error.knownCode == .invalidRequest && noMethod.id == .number(7))
            let oldVersion = try await Self.error(services, #"{"jsonrpc": "1.0", "method": "status", "id": "a"}"#)
            #expect(oldVersion.error.knownCode == .invalidRequest && oldVersion.id == .string("a"))
            let unknown = try await Self.error(services, #"{"jsonrpc": "2.0", "method": "attribute_everything", "id": 2}"#)
            #expect(unknown.error.knownCode == .methodNotFound && unknown.id == .number(2))
            #expect(unknown.error.data?.reason.contains("attribute_contributors") == true)
        }
    }

    @Test func notificationsRunButGetNoAnswer() async throws {
        try await MethodsServices.withShared { services, _ in
            #expect(await services.router.respond(to: Array(#"{"jsonrpc": "2.0", "method": "status"}"#.utf8)) == nil)
            #expect(await services.router.respond(to: Array(#"{"jsonrpc": "2.0", "method": "no_such_method"}"#.utf8)) == nil)
            let nullID = try await services.call(#"{"jsonrpc": "2.0", "method": "status", "id": null}"#, as: StatusResult.self)
            #expect(nullID.id == .null && nullID.result != nil)
        }
    }

    @Test func mistypedParametersNameTheMember() async throws {
        try await MethodsServices.withShared { services, _ in
            let topK = try await Self.error(
                services, #"{"jsonrpc": "2.0", "method": "attribute", "id": 1, "params": {"top_k": "ten", "paths": ["/x"]}}"#)
            #expect(topK.error.knownCode == .invalidParams && topK.error.data?.reason.contains("top_k") == true)
            let shape = try await Self.error(
                services, #"{"jsonrpc": "2.0", "method": "attribute", "id": 1, "params": {"samples": {"data": "", "shape": "1x8x8"}}}"#)
            #expect(shape.error.knownCode == .invalidParams && shape.error.data?.reason.contains("samples.shape") == true)
            let example = try await Self.error(services, #"{"jsonrpc": "2.0", "method": "example", "id": 1, "params": {"id": "seven"}}"#)
            #expect(example.error.knownCode == .invalidParams && example.error.data?.reason.contains("id") == true)
            let missing = try await Self.error(services, #"{"jsonrpc": "2.0", "method": "probes.history", "id": 1, "params": {}}"#)
            #expect(missing.error.knownCode == .invalidParams && missing.error.data?.reason.contains("name") == true)
        }
    }

    @Test func badSamplesAreInvalidParams() async throws {
        try await MethodsServices.withShared(limits: MethodsServices.limits(maxSamples: 2)) { services, _ in
            func attribute(_ samples: String, extra: String = "") async throws -> JSONRPCError {
                try await Self.error(services, #"{"jsonrpc": "2.0", "method": "attribute", "id": 1, "params": {"samples": "# + samples + extra + "}}")
                    .error
            }
            let cases: [(String, String)] = [
                (#"{"data": "%%%", "shape": [1, 1, 8, 8]}"#, "base64"),
                (#"{"data": "\#(Self.base64(Array(repeating: 0, count: 63)))", "shape": [1, 1, 8, 8]}"#, "bytes"),
                (#"{"data": "\#(Self.base64([.nan] + Array(repeating: 0, count: 63)))", "shape": [1, 1, 8, 8]}"#, "non-finite"),
                (#"{"data": "\#(Self.base64([3] + Array(repeating: 0, count: 63)))", "shape": [1, 1, 8, 8]}"#, "[-1, 1]"),
                (#"{"data": "\#(Self.base64(Array(repeating: 0, count: 192)))", "shape": [3, 1, 8, 8]}"#, "at most 2"),
                (#"{"data": "", "shape": [8, 8]}"#, "[Q, C, H, W]"),
                (#"{"data": "", "shape": [1, 0, 8, 8]}"#, "non-positive"),
            ]
            for (samples, reason) in cases {
                let error = try await attribute(samples)
                #expect(error.knownCode == .invalidParams, "\(samples)")
                #expect(error.data?.reason.contains(reason) == true, "\(error) for \(samples)")
            }
            let both = try await attribute(#"{"data": "", "shape": [1, 1, 8, 8]}"#, extra: #", "paths": ["/a.png"]"#)
            #expect(both.knownCode == .invalidParams && both.data?.reason.contains("not both") == true)
            let neither = try await Self.error(services, #"{"jsonrpc": "2.0", "method": "attribute", "id": 1, "params": {"top_k": 3}}"#)
            #expect(neither.error.knownCode == .invalidParams)
        }
    }

    @Test func indexingErrorsMeetByQueriesKeepTheirCodes() {
        let cases: [(IndexingError, JSONRPCErrorCode, String)] = [
            (.nothingIndexed, .notIndexed, "no checkpoint"),
            (.checkpointNotIndexed(step: 4), .notIndexed, "checkpoint 4"),
            (.unreadableCheckpoint(step: 2, reason: "no unet"), .internalError, "no unet"),
            (.unusableFactors(step: 3, reason: "the second-moment limit is not an integer"), .notIndexed, "second-moment"),
            (.sampleShapeMismatch(step: 1, expected: "[1, 8, 8]", found: [1, 16, 16]), .invalidParams, "[1, 16, 16]"),
            (.unreadableShard(file: "shard-00001.safetensors", reason: "truncated"), .internalError, "truncated"),
        ]
        for (error, code, reason) in cases {
            let mapped = RPCErrorMapping.rpcError(for: error)
            #expect(mapped.knownCode == code, "\(error)")
            #expect(mapped.data?.reason.contains(reason) == true, "\(mapped)")
        }
    }

    @Test func samplesOfTheWrongImageShapeNameExpectedAndGot() async throws {
        try await MethodsServices.withShared { services, _ in
            let samples = Tensor(shape: [1, 3, 8, 8], scalars: Array(repeating: 0.5, count: 192))
            let response = try await services.call(.attribute, AttributeParams(samples))
            let error = try #require(response.error)
            #expect(error.knownCode == .invalidParams)
            #expect(error.data?.reason.contains("[3, 8, 8]") == true && error.data?.reason.contains("[1, 8, 8]") == true)
        }
    }

    @Test func topKAndCheckpointsOutOfRange() async throws {
        try await MethodsServices.withShared { services, _ in
            let samples = MethodsTestRun.samples(count: 1)
            for topK in [0, -1, 51] {
                let error = try #require(try await services.call(.attribute, AttributeParams(samples, topK: topK)).error)
                #expect(error.knownCode == .invalidParams && error.data?.reason.contains("top_k") == true)
            }
            let empty = try #require(try await services.call(.attribute, AttributeParams(samples, checkpoints: .steps([]))).error)
            #expect(empty.knownCode == .invalidParams)
            let twice = try #require(try await services.call(.attribute, AttributeParams(samples, checkpoints: .steps([2, 2]))).error)
            #expect(twice.knownCode == .invalidParams)
            let missing = try #require(try await services.call(.attribute, AttributeParams(samples, checkpoints: .steps([1, 99]))).error)
            #expect(missing.knownCode == .notIndexed && missing.data?.reason.contains("99") == true)
            let selector = try await Self.error(
                services, #"{"jsonrpc": "2.0", "method": "attribute", "id": 1, "params": {"paths": ["/a"], "checkpoints": "newest"}}"#)
            #expect(selector.error.knownCode == .invalidParams && selector.error.data?.reason.contains("checkpoints") == true)
        }
    }

    @Test func unknownExamplesAndProbesAreNotFound() async throws {
        try await MethodsServices.withShared { services, _ in
            let example = try #require(try await services.call(.example, ExampleParams(id: 424_242)).error)
            #expect(example.knownCode == .notFound && example.data?.reason.contains("424242") == true)
            let history = try #require(try await services.call(.probesHistory, ProbeNameParams(name: "never-added")).error)
            #expect(history.knownCode == .notFound)
            let remove = try #require(try await services.call(.probesRemove, ProbeNameParams(name: "never-added")).error)
            #expect(remove.knownCode == .notFound)
        }
    }
}
