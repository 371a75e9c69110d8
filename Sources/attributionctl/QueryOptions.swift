import ArgumentParser
import AttributionProtocol
import Foundation

/// How a query is scored: `--top-k`, `--checkpoints`, `--measurement`.
struct QueryOptions: ParsableArguments {
    @Option(help: "Examples listed at each end of the ranking (default: the daemon's).")
    var topK: Int?

    @Option(help: "Checkpoints to score at: latest, all, or comma-separated steps (scores summed).")
    var checkpoints: String = "latest"

    @Option(help: "What the query gradient differentiates: loss or elbo.")
    var measurement: String = "loss"

    func validate() throws {
        if let topK, topK < 1 { throw ValidationError("--top-k must be at least 1.") }
        _ = try selector()
        _ = try measurementName()
    }

    /// `--checkpoints` as the protocol's selector.
    func selector() throws(ValidationError) -> CheckpointSelector {
        try Self.parseCheckpoints(checkpoints)
    }

    /// `--measurement` as the protocol's name.
    func measurementName() throws(ValidationError) -> MeasurementName {
        guard let name = MeasurementName(rawValue: measurement) else { throw ValidationError("--measurement must be loss or elbo.") }
        return name
    }

    /// "latest", "all" or "200,400" as a selector.
    static func parseCheckpoints(_ text: String) throws(ValidationError) -> CheckpointSelector {
        switch text {
        case "latest": return .latest
        case "all": return .all
        default:
            let steps = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !steps.isEmpty, steps.allSatisfy({ ($0 ?? -1) >= 0 }) else {
                throw ValidationError("--checkpoints must be latest, all, or comma-separated steps such as 200,400.")
            }
            return .steps(steps.compactMap { $0 })
        }
    }
}
