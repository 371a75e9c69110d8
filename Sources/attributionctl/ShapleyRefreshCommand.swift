import ArgumentParser
import AttributionClient
import AttributionProtocol
import Foundation

/// `attributionctl shapley refresh`: queues a refresh of the Shapley values, optionally waiting
/// for it.
struct ShapleyRefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Queue a refresh of the contributors' Shapley values; with --wait, follow it and print the values.",
        discussion: """
            Options left out take the daemon's configured defaults. An equal request already queued or running is \
            joined instead of queued twice. With --wait, progress goes to standard error every time it changes, and \
            the command ends with the refreshed properties' tables (with --json: {"job": ..., "valuations": [...]}); \
            it exits 1 when the job fails or --timeout-wait passes first (the job itself goes on in the daemon).
            """
    )

    /// Time between `status` polls while waiting.
    static let pollInterval: Duration = .seconds(2)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("property"), help: ArgumentHelp(
        "A property to credit: held_out_loss, class_diversity or kernel_distance (repeatable; default: the daemon's).", valueName: "name"))
    var properties: [String] = []

    @Option(help: "How coalition values are obtained: sparsified_fine_tuning, retraining or influence.", transform: ShapleyArguments.estimator)
    var estimator: ShapleyEstimatorKind?

    @Option(help: "How coalitions are chosen: auto, exact, kernel or permutation.", transform: ShapleyArguments.sampling)
    var sampling: ShapleySamplingKind?

    @Option(name: .customLong("target-se"), help: ArgumentHelp(
        "Stop once every standard error is at most this fraction of |F(all) − F(∅)|, in (0, 1].", valueName: "fraction"))
    var targetStandardError: Double?

    @Option(help: "Evaluate at most this many new coalitions (reused ones are free).")
    var maxCoalitions: Int?

    @Flag(help: "Wait until the job is over, showing its progress, then print its values.")
    var wait = false

    @Option(name: .customLong("timeout-wait"), help: ArgumentHelp("With --wait: give up after this many seconds.", valueName: "seconds"))
    var timeoutWait: Double?

    func validate() throws {
        if properties.contains(where: \.isEmpty) { throw ValidationError("--property must not be empty.") }
        if Set(properties).count != properties.count { throw ValidationError("each --property may be given once.") }
        if let targetStandardError, !(targetStandardError > 0 && targetStandardError <= 1) {
            throw ValidationError("--target-se must be a fraction in (0, 1].")
        }
        if let maxCoalitions, maxCoalitions < 1 { throw ValidationError("--max-coalitions must be at least 1.") }
        if let timeoutWait {
            guard wait else { throw ValidationError("--timeout-wait needs --wait.") }
            guard timeoutWait > 0, timeoutWait <= 1e9 else { throw ValidationError("--timeout-wait must be a number of seconds in (0, 1e9].") }
        }
    }

    func run() throws {
        // Written unbuffered, so the job line comes before the progress lines on standard error
        // even when standard output is a file.
        try perform(pollInterval: Self.pollInterval, output: { FileHandle.standardOutput.write(Data("\($0)\n".utf8)) },
                    progress: { FileHandle.standardError.write(Data("\($0)\n".utf8)) })
    }

    /// Queues the refresh and, with `--wait`, follows it: results and tables go to `output`,
    /// progress lines to `progress`.
    func perform(pollInterval: Duration, output: (String) -> Void, progress: (String) -> Void) throws {
        let params = ShapleyRefreshParams(properties: properties.isEmpty ? nil : properties, estimator: estimator, sampling: sampling,
                                          targetStandardError: targetStandardError, maxCoalitions: maxCoalitions)
        let job = try call { client throws(ClientError) in try client.call(.shapleyRefresh, params, as: ShapleyRefreshResult.self) }
        guard wait else {
            output(global.json ? try ShapleyReport.json(job) : ShapleyReport.job(job))
            return
        }
        if global.json { progress(ShapleyReport.job(job)) } else { output(ShapleyReport.job(job)) }
        let limit = timeoutWait.map { Duration.milliseconds(Int64(($0 * 1000).rounded(.up))) }
        try ShapleyRefreshWait(job: job.job, pollInterval: pollInterval, limit: limit, connect: global.connect).run(report: progress)
        let valuations = try call { client throws(ClientError) in
            var valuations: [ShapleyValuation] = []
            for property in job.properties {
                let params = ShapleyGetParams(property: property, estimator: job.estimator)
                valuations += try client.call(.shapleyGet, params, as: ShapleyGetResult.self).valuations
            }
            return valuations
        }
        output(global.json ? try ShapleyReport.json(ShapleyRefreshOutcome(job: job, valuations: valuations)) : "\n" + ShapleyReport.render(valuations))
    }

    /// `body` on a fresh connection, closed afterwards.
    private func call<Value>(_ body: (AttributionClient) throws(ClientError) -> Value) throws(ClientError) -> Value {
        let client = try global.connect()
        defer { client.close() }
        return try body(client)
    }
}

/// What `shapley refresh --wait --json` prints: the job, then the refreshed properties' values.
struct ShapleyRefreshOutcome: Codable, Equatable {
    /// The job that ran, as `shapley_refresh` answered.
    var job: ShapleyRefreshResult
    /// The newest valuation of each refreshed property by the job's estimator.
    var valuations: [ShapleyValuation]
}
