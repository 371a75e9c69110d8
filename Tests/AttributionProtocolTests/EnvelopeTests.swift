import AttributionProtocol
import Foundation
import Testing

@Suite struct EnvelopeTests {
    private func header(_ text: String) throws(JSONRPCError) -> JSONRPCRequestHeader {
        try ProtocolCoding.decodeHeader(Array(text.utf8))
    }

    private func code(of text: String) -> Int? {
        do {
            _ = try header(text)
            return nil
        } catch { return error.code }
    }

    @Test func readsIdsOfEveryKind() throws {
        #expect(try header(#"{"jsonrpc":"2.0","method":"status","id":7}"#).id == .number(7))
        #expect(try header(#"{"jsonrpc":"2.0","method":"status","id":"a"}"#).id == .string("a"))
        #expect(try header(#"{"jsonrpc":"2.0","method":"status","id":null}"#).id == .null)
        let notification = try header(#"{"jsonrpc":"2.0","method":"status"}"#)
        #expect(notification.isNotification)
    }

    @Test func refusesWhatIsNotARequest() {
        #expect(code(of: "{not json") == JSONRPCErrorCode.parseError.rawValue)
        #expect(code(of: "") == JSONRPCErrorCode.parseError.rawValue)
        #expect(code(of: #"[{"jsonrpc":"2.0","method":"status","id":1}]"#) == JSONRPCErrorCode.invalidRequest.rawValue)
        #expect(code(of: "42") == JSONRPCErrorCode.invalidRequest.rawValue)
        #expect(code(of: #"{"jsonrpc":"1.0","method":"status","id":1}"#) == JSONRPCErrorCode.invalidRequest.rawValue)
        #expect(code(of: #"{"jsonrpc":"2.0","id":1}"#) == JSONRPCErrorCode.invalidRequest.rawValue)
        #expect(code(of: #"{"jsonrpc":"2.0","method":5,"id":1}"#) == JSONRPCErrorCode.invalidRequest.rawValue)
        #expect(code(of: #"{"jsonrpc":"2.0","method":"status","id":1.5}"#) == JSONRPCErrorCode.invalidRequest.rawValue)
        #expect(code(of: #"{"jsonrpc":"2.0","method":"status","id":{}}"#) == JSONRPCErrorCode.invalidRequest.rawValue)
    }

    @Test func decodesParamsAndNamesTheMemberAtFault() throws {
        let good = #"{"jsonrpc":"2.0","method":"attribute","id":1,"params":{"top_k":5,"checkpoints":[400,800],"paths":["/a.png"]}}"#
        let params = try ProtocolCoding.decodeParams(AttributeParams.self, from: Array(good.utf8))
        #expect(params.topK == 5)
        #expect(params.checkpoints == .steps([400, 800]))
        #expect(params.paths == ["/a.png"])

        let wrongType = #"{"jsonrpc":"2.0","method":"attribute","id":1,"params":{"top_k":"five"}}"#
        let error = #expect(throws: JSONRPCError.self) {
            try ProtocolCoding.decodeParams(AttributeParams.self, from: Array(wrongType.utf8))
        }
        #expect(error?.code == JSONRPCErrorCode.invalidParams.rawValue)
        #expect(error?.data?.reason.contains("top_k") == true)

        let missing = #"{"jsonrpc":"2.0","method":"example","id":1,"params":{}}"#
        let missingError = #expect(throws: JSONRPCError.self) {
            try ProtocolCoding.decodeParams(ExampleParams.self, from: Array(missing.utf8))
        }
        #expect(missingError?.data?.reason == "missing id")

        let selector = #"{"jsonrpc":"2.0","method":"attribute","id":1,"params":{"checkpoints":"newest"}}"#
        #expect(throws: JSONRPCError.self) { try ProtocolCoding.decodeParams(AttributeParams.self, from: Array(selector.utf8)) }
    }

    @Test func methodsWithoutParamsAcceptAbsentOrEmptyParams() throws {
        for text in [#"{"jsonrpc":"2.0","method":"status","id":1}"#, #"{"jsonrpc":"2.0","method":"status","id":1,"params":{}}"#] {
            #expect(try ProtocolCoding.decodeParams(NoParams.self, from: Array(text.utf8)) == NoParams())
        }
    }

    @Test func responsesAlwaysCarryTheirIdAndSnakeCaseKeys() throws {
        let line = try ProtocolCoding.encodeLine(JSONRPCResponse(id: .number(3), result: ProbeRemoveResult(removed: true)))
        #expect(String(decoding: line, as: UTF8.self) == #"{"id":3,"jsonrpc":"2.0","result":{"removed":true}}"#)
        let error = ProtocolCoding.errorLine(id: .null, error: JSONRPCError(.parseError, reason: "the line is not valid JSON"))
        let text = String(decoding: error, as: UTF8.self)
        #expect(text == #"{"error":{"code":-32700,"data":{"reason":"the line is not valid JSON"},"message":"parse error"},"id":null,"jsonrpc":"2.0"}"#)
        #expect(!text.contains("\n"))

        let decoded = try ProtocolCoding.makeDecoder().decode(JSONRPCResponse<NoParams>.self, from: Data(error))
        #expect(decoded.id == .null)
        #expect(decoded.error?.knownCode == .parseError)
    }

    @Test func resultsRoundTrip() throws {
        let result = AttributeResult(checkpoints: [400], examplesScored: 2, samples: [SampleRanking(
            top: [ScoredExample(id: 9, score: 1.5, shard: "shard-00000.safetensors", row: 3, contributor: 2, contributorName: "studio-b")],
            bottom: [], contributors: [ContributorTotal(contributor: 2, name: "studio-b", score: 1.5, examples: 1)])])
        let line = try ProtocolCoding.encodeLine(JSONRPCResponse(id: .string("q"), result: result))
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.contains(#""examples_scored":2"#))
        #expect(text.contains(#""contributor_name":"studio-b""#))
        let decoded = try ProtocolCoding.makeDecoder().decode(JSONRPCResponse<AttributeResult>.self, from: Data(line))
        #expect(decoded.result == result)
    }
}
