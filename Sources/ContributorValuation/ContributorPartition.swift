/// Training examples grouped by contributor: the players of a contributor game.
///
/// Players are numbered 0..<count in increasing contributor id, so the same data always gives
/// the same numbering (stored coalitions stay meaningful across refreshes).
public struct ContributorPartition: Sendable, Equatable {
    /// Contributor id of each player.
    public let contributors: [Int64]
    /// Indices (into the example arrays the partition was built from) of each player's examples.
    public let examples: [[Int]]

    /// Groups examples by their contributor ids (`contributorOfExample[i]` for example `i`).
    public init(contributorOfExample: [Int64]) {
        let ids = Array(Set(contributorOfExample)).sorted()
        let player = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        var examples = [[Int]](repeating: [], count: ids.count)
        for (index, contributor) in contributorOfExample.enumerated() { examples[player[contributor]!].append(index) }
        self.contributors = ids
        self.examples = examples
    }

    /// Number of players.
    public var count: Int { contributors.count }

    /// The examples of the players in `members`, in increasing index.
    public func examples(ofPlayers members: some Sequence<Int>) -> [Int] {
        members.flatMap { examples[$0] }.sorted()
    }
}
