import ContributorValuation
import Testing

@Suite struct ContributorPartitionTests {
    @Test func playersAreContributorsInIncreasingIdOrder() {
        let partition = ContributorPartition(contributorOfExample: [7, 2, 7, 5, 2])
        #expect(partition.contributors == [2, 5, 7])
        #expect(partition.examples == [[1, 4], [3], [0, 2]])
        #expect(partition.examples(ofPlayers: [2, 0]) == [0, 1, 2, 4])
        #expect(partition.count == 3)
    }
}
