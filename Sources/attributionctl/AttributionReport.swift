import AttributionProtocol

/// `attribute` and `attribute_contributors` results as text tables.
enum AttributionReport {
    /// Per sample: the top-k (proponents), the bottom-k (opponents) and the contributor totals.
    static func render(_ result: AttributeResult, labels: [String]) -> String {
        var sections = [summary(checkpoints: result.checkpoints, examplesScored: result.examplesScored)]
        for (index, sample) in result.samples.enumerated() {
            let name = label(index, of: result.samples.count, labels: labels)
            sections.append("""
                \(name): top \(sample.top.count) (training on these lowered its loss most)
                \(examplesTable(sample.top).render())

                \(name): bottom \(sample.bottom.count) (training on these raised its loss most)
                \(examplesTable(sample.bottom).render())

                \(name): contributors
                \(contributorsTable(sample.contributors).render())
                """)
        }
        return sections.joined(separator: "\n\n")
    }

    /// Per sample, the contributor totals.
    static func render(_ result: AttributeContributorsResult, labels: [String]) -> String {
        var sections = [summary(checkpoints: result.checkpoints, examplesScored: result.examplesScored)]
        for (index, sample) in result.samples.enumerated() {
            sections.append("\(label(index, of: result.samples.count, labels: labels)): contributors\n\(contributorsTable(sample.contributors).render())")
        }
        return sections.joined(separator: "\n\n")
    }

    /// Ranked examples: rank, score, id, shard:row, contributor.
    static func examplesTable(_ examples: [ScoredExample]) -> TextTable {
        var table = TextTable([.init("RANK", .right), .init("SCORE", .right), .init("EXAMPLE", .right), .init("SHARD:ROW"), .init("CONTRIBUTOR")])
        for (rank, example) in examples.enumerated() {
            table.append(["\(rank + 1)", Formatting.score(example.score), "\(example.id)", Formatting.location(example),
                          Formatting.contributor(id: example.contributor, name: example.contributorName)])
        }
        return table
    }

    /// Contributor totals: id, name, summed score, examples scored.
    static func contributorsTable(_ totals: [ContributorTotal]) -> TextTable {
        var table = TextTable([.init("CONTRIBUTOR", .right), .init("NAME"), .init("SCORE", .right), .init("EXAMPLES", .right)])
        for total in totals {
            table.append([total.contributor < 0 ? "-" : "\(total.contributor)", total.name ?? "-", Formatting.score(total.score), "\(total.examples)"])
        }
        return table
    }

    /// The line above the tables: what was scored where.
    static func summary(checkpoints: [Int], examplesScored: Int) -> String {
        "\(examplesScored) training examples scored at checkpoint\(checkpoints.count == 1 ? "" : "s") \(Formatting.steps(checkpoints))"
    }

    /// "sample 2 (cat.png)", or "sample 2" when the labels do not match the samples one to one
    /// (a `--path` file may hold several images).
    static func label(_ index: Int, of count: Int, labels: [String]) -> String {
        labels.count == count ? "sample \(index + 1) (\(labels[index]))" : "sample \(index + 1)"
    }
}
