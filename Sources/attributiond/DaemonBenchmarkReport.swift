import Foundation
import Synchronization

/// What `benchmark-daemon` measured at one store size.
struct SizeResult: Codable {
    let examples: Int
    let clients: Int
    let ingestAloneExamplesPerSecond: Double
    let ingestWhileServingExamplesPerSecond: Double
    let latency: LatencySummary
    let latencyDuringIngest: LatencySummary
    /// Seconds one float16 scan of every stored vector takes at the measured single-thread bandwidth.
    let scanSecondsAtBandwidth: Double

    var report: String {
        String(format: """
            %d examples, %d clients:
              query latency     p50 %.3f s, p99 %.3f s, max %.3f s, %.2f queries/s (%d queries)
              during ingest     p50 %.3f s, p99 %.3f s, %.2f queries/s (%d queries)
              ingest            %.1f examples/s alone, %.1f examples/s while serving queries
              scan floor        %.4f s per query at the measured bandwidth (%.1f%% of the p50)
            """, examples, clients, latency.p50Seconds, latency.p99Seconds, latency.maxSeconds, latency.queriesPerSecond, latency.count,
            latencyDuringIngest.p50Seconds, latencyDuringIngest.p99Seconds, latencyDuringIngest.queriesPerSecond, latencyDuringIngest.count,
            ingestAloneExamplesPerSecond, ingestWhileServingExamplesPerSecond, scanSecondsAtBandwidth,
            100 * scanSecondsAtBandwidth / latency.p50Seconds)
    }
}

/// The whole benchmark's results, as written to daemon-benchmark.json.
struct Report: Codable {
    let sgemmGflops: Double
    let bandwidthGBs: Double
    let dimension: Int
    let sizes: [SizeResult]
}

/// A one-way signal from the measuring thread to the load thread, and the load's latencies back.
final class IngestDoneSignal: Sendable {
    private let state = Mutex<(set: Bool, latencies: [Duration]?)>((false, nil))
    private let done = DispatchSemaphore(value: 0)

    var isSet: Bool { state.withLock { $0.set } }
    func set() { state.withLock { $0.set = true } }

    func store(latencies: [Duration]) {
        state.withLock { $0.latencies = latencies }
        done.signal()
    }

    func waitForLatencies() -> [Duration] {
        done.wait()
        return state.withLock { $0.latencies ?? [] }
    }
}
