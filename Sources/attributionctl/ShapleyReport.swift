import AttributionProtocol
import Foundation

/// Shapley results as text: one table per valuation, the refresh job, progress while waiting.
enum ShapleyReport {
    /// Every valuation: its header lines and a table of contributors, better values first.
    static func render(_ valuations: [ShapleyValuation]) -> String {
        guard !valuations.isEmpty else { return "no Shapley values (attributionctl shapley refresh computes them)" }
        return valuations.map(render).joined(separator: "\n\n")
    }

    /// One valuation: what was credited and how, then a row per contributor.
    static func render(_ valuation: ShapleyValuation) -> String {
        let total = valuation.grandValue - valuation.emptyValue
        var table = TextTable([.init("CONTRIBUTOR", .right), .init("NAME"), .init("EXAMPLES", .right), .init("VALUE", .right),
                               .init("± SE", .right), .init("SHARE", .right)])
        for contributor in ranked(valuation) {
            table.append(["\(contributor.contributor)", contributor.name ?? "-", "\(contributor.examples)", Formatting.score(contributor.value),
                          Formatting.score(contributor.standardError), share(contributor.value, of: total)])
        }
        let reused = valuation.coalitionsReused > 0 ? " (\(valuation.coalitionsReused) reused)" : ""
        return """
            \(valuation.property) (\(direction(valuation.higherIsBetter))): \(valuation.estimator.rawValue), \(valuation.sampling.rawValue) sampling, \
            step \(valuation.step), computed \(Formatting.date(valuation.computedAt))
            F(all) \(Formatting.score(valuation.grandValue)), F(∅) \(Formatting.score(valuation.emptyValue)), \
            \(valuation.coalitions) coalition\(valuation.coalitions == 1 ? "" : "s")\(reused), \
            SE target \(target(valuation.targetStandardError)) \(valuation.reachedTarget ? "reached" : "not reached")
            \(table.render())
            """
    }

    /// The contributors, the most helpful first: by value descending when a higher property is
    /// better, ascending when a lower one is (a contributor who lowered a loss most leads); ties
    /// by contributor id.
    static func ranked(_ valuation: ShapleyValuation) -> [ShapleyContributorValue] {
        valuation.contributors.sorted { first, second in
            guard first.value != second.value else { return first.contributor < second.contributor }
            return valuation.higherIsBetter ? first.value > second.value : first.value < second.value
        }
    }

    /// The contributor's part of F(all) − F(∅) as a percentage ("-" when the total is 0): the
    /// shares sum to 100%, and a contributor pulling against the total has a negative share.
    static func share(_ value: Double, of total: Double) -> String {
        guard total != 0, total.isFinite, value.isFinite else { return "-" }
        return String(format: "%.1f%%", value / total * 100)
    }

    /// "higher is better" or "lower is better".
    static func direction(_ higherIsBetter: Bool) -> String {
        higherIsBetter ? "higher is better" : "lower is better"
    }

    /// A standard-error target as the fraction of |F(all) − F(∅)| it is: "5% of |F(all) − F(∅)|".
    static func target(_ fraction: Double) -> String {
        String(format: "%.3g%% of |F(all) − F(∅)|", fraction * 100)
    }

    /// `value` as `--json` prints it: indented, with the protocol's key names and dates (the
    /// encoding of `GlobalOptions.printJSON`, returned so the commands' output can be captured).
    static func json<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = ProtocolCoding.makeEncoder()
        encoder.outputFormatting.insert(.prettyPrinted)
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The line `shapley refresh` prints for the job it started or joined.
    static func job(_ result: ShapleyRefreshResult) -> String {
        let what = "\(result.properties.joined(separator: ", ")) by \(result.estimator.rawValue), \(result.sampling.rawValue) sampling, "
            + "SE target \(target(result.targetStandardError))"
        return result.alreadyQueued
            ? "job \(result.job) joined (an equal refresh was already queued or running): \(what)"
            : "job \(result.job) queued: \(what)"
    }

    /// The progress line of `job` while it runs: phase, coalitions, standard error against target.
    static func progress(job: Int, running progress: ShapleyStatus.Progress) -> String {
        let error = progress.maxStandardError.map { String(format: "%.3g%%", $0 * 100) } ?? "not known yet"
        return "job \(job), step \(progress.step), \(progress.estimator.rawValue)/\(progress.sampling.rawValue): \(progress.phase), "
            + "\(progress.coalitionsEvaluated) coalitions evaluated, \(progress.coalitionsReused) reused, "
            + "max SE \(error) vs target \(target(progress.targetStandardError))"
    }

    /// The progress line of `job` while it waits behind `running` (if any) and `queued` jobs.
    static func progress(job: Int, waitingBehind running: ShapleyStatus.Progress?, queued: Int) -> String {
        "job \(job) waiting: \(running.map { "job \($0.job) running" } ?? "none running yet"), \(queued) queued"
    }
}
