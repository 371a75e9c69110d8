@testable import Shapley
import Testing

@Suite struct CoalitionValuesTests {
    @Test func recordsLooksUpAndListsInMaskOrder() throws {
        var values = CoalitionValues(properties: 2)
        try values.record([1, 2], for: Coalition(members: [3]))
        try values.record([0, 0], for: .empty)
        try values.record([5, 6], for: Coalition(members: [0, 1]))
        #expect(values.count == 3)
        #expect(values[Coalition(members: [3])] == [1, 2] && values[Coalition(members: [2])] == nil)
        #expect(values.entries.map(\.coalition.bits) == [0, 0b11, 0b1000])
        try values.record([7, 8], for: Coalition(members: [3]))
        #expect(values[Coalition(members: [3])] == [7, 8] && values.count == 3)
    }

    @Test func wrongCountsAndNonFiniteValuesAreRefused() {
        var values = CoalitionValues(properties: 2)
        #expect(caseName(thrown { try values.record([1], for: .empty) }) == "wrongValueCount")
        #expect(caseName(thrown { try values.record([1, 2, 3], for: .empty) }) == "wrongValueCount")
        #expect(caseName(thrown { try values.record([.nan, 1], for: .empty) }) == "nonFiniteValue")
        #expect(caseName(thrown { try values.record([1, -.infinity], for: .empty) }) == "nonFiniteValue")
        #expect(values.count == 0)
        let error = thrown { try values.record([1, .nan], for: Coalition(members: [2])) }
        #expect(error?.description == "coalition {2} has the non-finite value nan for property 1")
    }

    @Test func restoresFromEntries() throws {
        var values = CoalitionValues(properties: 1)
        for bits in [5, 0, 9, 2] as [UInt64] { try values.record([Double(bits) / 3], for: Coalition(bits: bits)) }
        let restored = try CoalitionValues(properties: 1, entries: values.entries)
        #expect(restored == values)
        #expect(caseName(thrown { _ = try CoalitionValues(properties: 1, entries: [(.empty, [1]), (.empty, [1])]) }) == "duplicateCoalition")
        #expect(caseName(thrown { _ = try CoalitionValues(properties: 1, entries: [(.empty, [1, 2])]) }) == "wrongValueCount")
        #expect(caseName(thrown { _ = try CoalitionValues(properties: 0, entries: []) }) == "invalidProperties")
    }
}
