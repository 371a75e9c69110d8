import Attribution
import AttributionStore
import Indexing

/// The settings each service takes, derived from the configuration file.
extension DaemonConfiguration {
    /// The settings a new store is built with (an existing store keeps its own).
    var indexSettings: IndexSettings {
        IndexSettings(
            gradients: GradientSettings(
                projection: store.projection == 0 ? .identity : .fixed(inputs: store.projection, outputs: store.projection),
                projectionSeed: store.seed, drawSeed: store.seed, drawsPerExample: store.draws, queryDraws: query.queryDraws),
            precision: store.precision == "float32" ? .float32 : .float16)
    }

    /// The ingest service's policy.
    var ingestPolicy: IngestPolicy {
        IngestPolicy(retainCheckpoints: ingest.retainCheckpoints, jobAttempts: ingest.jobAttempts,
                     rescanInterval: .milliseconds(Int64(ingest.rescanSeconds * 1000)),
                     settleInterval: .milliseconds(Int64(ingest.settleSeconds * 1000)))
    }

    /// The socket server's limits.
    var serverLimits: RPCServerLimits {
        RPCServerLimits(maxConnections: socket.maxConnections, maxRequestBytes: socket.maxRequestBytes,
                        idleTimeout: .milliseconds(Int64(socket.idleTimeoutSeconds * 1000)),
                        requestTimeout: .milliseconds(Int64(socket.requestTimeoutSeconds * 1000)))
    }

    /// The query service's limits.
    var queryLimits: QueryLimits {
        QueryLimits(defaultTopK: query.defaultTopK, maxTopK: query.maxTopK, maxSamples: query.maxSamples, maxQueued: query.maxQueued,
                    queryDraws: query.queryDraws, allowedSampleDirectories: query.allowedSampleDirectories,
                    maxProbes: probes.maxProbes, probeTopK: probes.topK)
    }
}
