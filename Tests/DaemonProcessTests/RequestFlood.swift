import AttributionProtocol
import Foundation

/// A burst of requests from many threads, each on its own raw connection: mostly `status` and
/// `checkpoints`, with malformed lines, small queries and 1 MiB lines over the request limit
/// mixed in. Every answer is checked; an oversized line must get `-32000` and its connection
/// closed, after which the thread connects again.
enum RequestFlood {
    /// Sends `requests` requests spread over `threads` threads; throws the first failure.
    static func run(socket: String, requests: Int, threads: Int) throws {
        let failures = FailureLog()
        let finished = DispatchSemaphore(value: 0)
        for thread in 0..<threads {
            Thread.detachNewThread {
                _ = failures.recording("flood thread \(thread)") {
                    try send(count: requests / threads, socket: socket)
                }
                finished.signal()
            }
        }
        for _ in 0..<threads where finished.wait(timeout: .now() + 300) == .timedOut {
            throw TestFailure("a flood thread did not finish within 300 s")
        }
        if let first = failures.all.first { throw TestFailure("\(failures.all.count) flood threads failed; first: \(first)") }
    }

    /// The kinds of request in the mix, by position in a thread's sequence.
    private enum Kind {
        case status, checkpoints, malformed, query, oversized

        init(position: Int) {
            switch position {
            case let index where index % 20 == 19: self = .oversized
            case let index where index % 10 == 4: self = .malformed
            case let index where index % 50 == 7: self = .query
            case let index where index.isMultiple(of: 2): self = .status
            default: self = .checkpoints
            }
        }
    }

    private static let oversizedLine: [UInt8] = Array(#"{"jsonrpc":"2.0","id":9,"method":"status","params":{"pad":""#.utf8)
        + [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20) + Array(#""}}"#.utf8) + [UInt8(ascii: "\n")]

    private static let queryLine: String = {
        let samples = SampleTensor(values: TinyRun.inlineSamples(count: 1), shape: [1] + TinyRun.imageShape)
        let request = JSONRPCRequest(id: .number(3), method: .attribute, params: AttributeParams(samples: samples, topK: 2))
        return (try? ProtocolCoding.encodeLine(request)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }()

    private static func send(count: Int, socket: String) throws {
        var connection = try LineSocket(path: socket)
        for position in 0..<count {
            let kind = Kind(position: position)
            switch kind {
            case .oversized:
                try connection.send(oversizedLine, timeout: 60)
                let lines = try connection.linesUntilClosed(timeout: 60)
                guard lines.count == 1, try LineSocket.decode(lines[0]).error?.code == -32000 else {
                    throw TestFailure("an oversized line got \(lines.count) lines: \(lines.map { String(decoding: $0.prefix(200), as: UTF8.self) })")
                }
                connection = try LineSocket(path: socket)
            case .malformed:
                let response = try connection.exchange(rawLine: #"{"jsonrpc":"2.0","id":4,"method":"#, timeout: 60)
                guard response.error?.code == -32700 else { throw TestFailure("malformed line got \(String(describing: response.error))") }
            case .query:
                let response = try connection.exchange(rawLine: queryLine, timeout: 120)
                // A full query queue answers "server busy", which is a proper answer too.
                guard response.error == nil || response.error?.code == -32001 else {
                    throw TestFailure("query got \(String(describing: response.error))")
                }
            case .status, .checkpoints:
                let method = kind == .status ? "status" : "checkpoints"
                let response = try connection.exchange(rawLine: #"{"jsonrpc":"2.0","id":\#(position),"method":"\#(method)"}"#, timeout: 60)
                guard response.error == nil, response.id == .number(Int64(position)) else {
                    throw TestFailure("\(method) got id \(response.id), error \(String(describing: response.error))")
                }
            }
        }
    }
}
