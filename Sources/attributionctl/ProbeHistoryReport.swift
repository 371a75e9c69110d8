import AttributionProtocol

/// How a probe's top-k moved across checkpoints: per probe image, a table of ranks × steps,
/// then which examples entered and left the top-k at each step.
enum ProbeHistoryReport {
    /// The report for every image of the probe.
    static func render(_ result: ProbeHistoryResult) -> String {
        let entries = result.history.sorted { $0.step < $1.step }
        guard !entries.isEmpty else { return "probe \(result.name): no checkpoint has been indexed since it was added" }
        let sampleCount = entries.map(\.samples.count).max() ?? 0
        var sections = ["probe \(result.name): \(entries.count) checkpoint\(entries.count == 1 ? "" : "s"), steps \(Formatting.steps(entries.map(\.step)))"]
        for sample in 0..<sampleCount {
            let tops = entries.map { sample < $0.samples.count ? $0.samples[sample].top : [] }
            sections.append("image \(sample + 1): example ids by rank\n\(rankTable(steps: entries.map(\.step), tops: tops).render())\n"
                            + changes(steps: entries.map(\.step), tops: tops).joined(separator: "\n"))
        }
        return sections.joined(separator: "\n\n")
    }

    /// Rows are ranks, columns are steps, cells are example ids ("" past a shorter list).
    static func rankTable(steps: [Int], tops: [[ScoredExample]]) -> TextTable {
        var table = TextTable([.init("RANK", .right)] + steps.map { .init("STEP \($0)", .right) })
        for rank in 0..<(tops.map(\.count).max() ?? 0) {
            table.append(["\(rank + 1)"] + tops.map { rank < $0.count ? "\($0[rank].id)" : "" })
        }
        return table
    }

    /// One line per step: the ids that entered and left the top-k since the step before.
    static func changes(steps: [Int], tops: [[ScoredExample]]) -> [String] {
        var lines: [String] = []
        for (index, step) in steps.enumerated() {
            guard index > 0 else {
                lines.append("step \(step): first attribution")
                continue
            }
            let before = tops[index - 1].map(\.id), now = tops[index].map(\.id)
            let entered = now.filter { !before.contains($0) }, left = before.filter { !now.contains($0) }
            if before == now {
                lines.append("step \(step): unchanged")
            } else if entered.isEmpty && left.isEmpty {
                lines.append("step \(step): same examples, new order")
            } else {
                lines.append("step \(step): entered \(list(entered)); left \(list(left))")
            }
        }
        return lines
    }

    private static func list(_ ids: [Int64]) -> String {
        ids.isEmpty ? "none" : ids.map(String.init).joined(separator: ", ")
    }
}
