import AttributionProtocol
import Indexing

extension AttributeResult {
    /// The protocol's form of an `Indexing` attribution.
    init(_ result: AttributionResult) {
        self.init(checkpoints: result.checkpoints, examplesScored: result.examples, samples: result.samples.map { sample in
            SampleRanking(top: sample.top.map(ScoredExample.init), bottom: sample.bottom.map(ScoredExample.init),
                          contributors: sample.contributors.map(ContributorTotal.init))
        })
    }
}

extension ScoredExample {
    /// The protocol's form of a ranked example.
    init(_ example: AttributedExample) {
        self.init(id: example.id, score: example.score, shard: example.shard, row: example.row,
                  contributor: example.contributor, contributorName: example.contributorName)
    }
}

extension ContributorTotal {
    /// The protocol's form of a contributor's total.
    init(_ total: ContributorScore) {
        self.init(contributor: total.contributor, name: total.name, score: total.score, examples: total.examples)
    }
}
