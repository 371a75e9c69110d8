import AttributionClient
import AttributionProtocol
import Foundation
import Testing

extension DaemonProcesses {
    /// Every malformed request gets its JSON-RPC error, with the request's id when it could be
    /// read, and the connection goes on serving.
    @Suite struct BadRequests {
        /// A request line and the error code it must get.
        struct Case {
            let what: String
            let line: String
            let code: Int
        }

        /// `attribute` with these `samples` members.
        static func attribute(data: String, shape: [Int], extra: String = "") -> String {
            #"{"jsonrpc":"2.0","id":1,"method":"attribute","params":{"samples":{"data":"\#(data)","shape":\#(shape)}\#(extra)}}"#
        }

        /// Base64 of little-endian float32 `values`.
        static func base64(_ values: [Float]) -> String {
            SampleTensor(values: values, shape: [values.count]).data
        }

        static let image = TinyRun.inlineSamples(count: 1)
        static let cases: [Case] = [
            Case(what: "not JSON", line: #"{"jsonrpc":"2.0","id":1,"method":"status""#, code: -32700),
            Case(what: "binary garbage", line: "\u{1}\u{2}\u{7F}garbage", code: -32700),
            Case(what: "a batch", line: #"[{"jsonrpc":"2.0","id":1,"method":"status"}]"#, code: -32600),
            Case(what: "JSON-RPC 1.0", line: #"{"jsonrpc":"1.0","id":1,"method":"status"}"#, code: -32600),
            Case(what: "no method", line: #"{"jsonrpc":"2.0","id":1}"#, code: -32600),
            Case(what: "a number", line: "42", code: -32600),
            Case(what: "unknown method", line: #"{"jsonrpc":"2.0","id":1,"method":"launch"}"#, code: -32601),
            Case(what: "params not an object", line: #"{"jsonrpc":"2.0","id":1,"method":"attribute","params":"x"}"#, code: -32602),
            Case(what: "neither samples nor paths", line: #"{"jsonrpc":"2.0","id":1,"method":"attribute","params":{}}"#, code: -32602),
            Case(what: "bad base64", line: attribute(data: "!!not base64!!", shape: [1, 3, 8, 8]), code: -32602),
            Case(what: "float16-sized data (wrong dtype)", line: attribute(data: Data(count: 384).base64EncodedString(), shape: [1, 3, 8, 8]),
                 code: -32602),
            Case(what: "data not a string", line: #"{"jsonrpc":"2.0","id":1,"method":"attribute","params":{"samples":{"data":[1,2],"shape":[1,3,8,8]}}}"#,
                 code: -32602),
            Case(what: "rank 2 shape", line: attribute(data: base64(image), shape: [24, 8]), code: -32602),
            Case(what: "negative size", line: attribute(data: base64(image), shape: [1, -3, 8, 8]), code: -32602),
            Case(what: "huge shape", line: attribute(data: base64(image), shape: [1 << 20, 1 << 20, 1 << 20, 1 << 20]), code: -32602),
            Case(what: "NaN", line: attribute(data: base64([.nan] + image.dropFirst()), shape: [1, 3, 8, 8]), code: -32602),
            Case(what: "infinity", line: attribute(data: base64([.infinity] + image.dropFirst()), shape: [1, 3, 8, 8]), code: -32602),
            Case(what: "value outside [-1, 1]", line: attribute(data: base64([7] + image.dropFirst()), shape: [1, 3, 8, 8]), code: -32602),
            Case(what: "channels the model does not have", line: attribute(data: base64(Array(image.prefix(64))), shape: [1, 1, 8, 8]),
                 code: -32602),
            Case(what: "top_k a string", line: attribute(data: base64(image), shape: [1, 3, 8, 8], extra: #","top_k":"ten""#), code: -32602),
            Case(what: "top_k zero", line: attribute(data: base64(image), shape: [1, 3, 8, 8], extra: #","top_k":0"#), code: -32602),
            Case(what: "unknown selector", line: attribute(data: base64(image), shape: [1, 3, 8, 8], extra: #","checkpoints":"newest""#),
                 code: -32602),
            Case(what: "a step not indexed", line: attribute(data: base64(image), shape: [1, 3, 8, 8], extra: #","checkpoints":[99]"#),
                 code: -32002),
            Case(what: "example id not a number", line: #"{"jsonrpc":"2.0","id":1,"method":"example","params":{"id":"abc"}}"#, code: -32602),
            Case(what: "no such example", line: #"{"jsonrpc":"2.0","id":1,"method":"example","params":{"id":424242}}"#, code: -32005),
            Case(what: "no such probe", line: #"{"jsonrpc":"2.0","id":1,"method":"probes.history","params":{"name":"none"}}"#, code: -32005),
        ]

        @Test(.timeLimit(.minutes(5)))
        func eachMalformedRequestGetsItsErrorOnAConnectionThatStaysUsable() throws {
            let fixture = try DaemonFixture()
            let ids = try fixture.run.addShard(0)
            try fixture.run.addCheckpoint(step: 1)
            try fixture.startServing()
            try fixture.waitForIndexed(step: 1, examples: ids.count)

            let connection = try fixture.rawSocket()
            for badCase in Self.cases {
                let response = try connection.exchange(rawLine: badCase.line)
                #expect(response.error?.code == badCase.code, "\(badCase.what): \(String(describing: response.error))")
                #expect(response.result == nil, "\(badCase.what) got a result")
                let expectedID: JSONRPCID = badCase.code == -32700 ? .null : .number(1)
                if badCase.code != -32600 { #expect(response.id == expectedID, "\(badCase.what): id \(response.id)") }
            }
            // The same connection still answers well-formed requests.
            #expect(try connection.exchange(rawLine: #"{"jsonrpc":"2.0","id":"last","method":"status"}"#).error == nil)
        }

        @Test(.timeLimit(.minutes(3)))
        func notificationsGetNoAnswerAndPipelinedRequestsAreAnsweredInOrder() throws {
            let fixture = try DaemonFixture()
            try fixture.startServing()
            let connection = try fixture.rawSocket()
            let lines = [
                #"{"jsonrpc":"2.0","method":"status"}"#,
                #"{"jsonrpc":"2.0","id":1,"method":"status"}"#,
                #"{"jsonrpc":"2.0","method":"no_such_method"}"#,
                #"{"jsonrpc":"2.0","id":"two","method":"no_such_method"}"#,
                #"{"jsonrpc":"2.0","id":3,"method":"checkpoints"}"#,
                #"{"jsonrpc":"2.0","id":null,"method":"status"}"#,
            ]
            try connection.send(Array(lines.joined(separator: "\n").utf8) + [UInt8(ascii: "\n")])
            let responses = try (0..<4).map { _ in try LineSocket.decode(try connection.readLine()) }
            #expect(responses.map(\.id) == [.number(1), .string("two"), .number(3), .null])
            #expect(responses.map { $0.error?.code } == [nil, -32601, nil, nil])
        }
    }
}
