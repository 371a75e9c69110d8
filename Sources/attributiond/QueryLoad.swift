import AttributionClient
import AttributionProtocol
import Foundation
import Synchronization

/// Concurrent clients sending `attribute` queries, one connection each, recording latencies.
struct QueryLoad {
    let socket: String
    let clients: Int
    let topK: Int
    let images: [SampleTensor]

    /// Runs until every client has sent `queriesPerClient` queries, or, when `until` is given,
    /// until it returns true (each client finishes its query in flight). Returns the latencies.
    func run(queriesPerClient: Int, until: (@Sendable () -> Bool)? = nil) throws -> [Duration] {
        let latencies = Mutex<[Duration]>([])
        let failure = Mutex<String?>(nil)
        let group = DispatchGroup()
        for client in 0..<clients {
            let thread = Thread { [self] in
                defer { group.leave() }
                do {
                    let connection = try AttributionClient(socketPath: socket, timeout: .seconds(3600))
                    defer { connection.close() }
                    var sent = 0
                    while until.map({ !$0() }) ?? (sent < queriesPerClient) {
                        let params = AttributeParams(samples: images[(client + sent * clients) % images.count], topK: topK)
                        let start = ContinuousClock.now
                        _ = try connection.call(.attribute, params, as: AttributeResult.self)
                        let elapsed = ContinuousClock.now - start
                        latencies.withLock { $0.append(elapsed) }
                        sent += 1
                    }
                } catch {
                    failure.withLock { $0 = $0 ?? "\(error)" }
                }
            }
            group.enter()
            thread.start()
        }
        group.wait()
        if let message = failure.withLock({ $0 }) { throw DaemonBenchmarkError.queryFailed(message) }
        return latencies.withLock { $0 }
    }
}

/// Order statistics of latencies.
struct LatencySummary: Codable {
    let count: Int
    let p50Seconds: Double
    let p99Seconds: Double
    let maxSeconds: Double
    let queriesPerSecond: Double

    /// The summary of `latencies` measured over `wall` seconds.
    init(_ latencies: [Duration], wall: Duration) {
        let seconds = latencies.map { $0 / .seconds(1) }.sorted()
        func quantile(_ q: Double) -> Double {
            // Nearest rank: the smallest value with at least q of the sample at or below it.
            seconds.isEmpty ? .nan : seconds[max(0, Int((q * Double(seconds.count)).rounded(.up)) - 1)]
        }
        count = seconds.count
        p50Seconds = quantile(0.5)
        p99Seconds = quantile(0.99)
        maxSeconds = seconds.last ?? .nan
        queriesPerSecond = Double(seconds.count) / max(wall / .seconds(1), 1e-9)
    }
}
