import Shapley
import Testing

@Suite struct CoalitionTests {
    @Test func membersRoundTripThroughTheMask() {
        let coalition = Coalition(members: [0, 3, 5])
        #expect(coalition.bits == 0b101001)
        #expect(coalition.members == [0, 3, 5])
        #expect(coalition.count == 3)
        #expect(coalition.contains(3) && !coalition.contains(4))
    }

    @Test func grandEmptyAndComplement() {
        #expect(Coalition.grand(players: 4).bits == 0b1111)
        #expect(Coalition.grand(players: 64).count == 64)
        #expect(Coalition(members: [1, 2]).complement(players: 4) == Coalition(members: [0, 3]))
        #expect(Coalition.empty.adding(2) == Coalition(members: [2]))
        #expect(Coalition(members: [0, 2]).description == "{0,2}")
    }
}
