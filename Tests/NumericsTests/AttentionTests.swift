import Numerics
import Testing

@Suite("Attention")
struct AttentionTests {
    let query = randomTensor([2, 3, 4], seed: 30)
    let key = randomTensor([2, 5, 4], seed: 31)
    let value = randomTensor([2, 5, 4], seed: 32)

    @Test(arguments: [1, 2, 4])
    func valueMatchesNaiveLoops(heads: Int) {
        let tape = Tape()
        let y = tape.attention(query: tape.constant(query), key: tape.constant(key), value: tape.constant(value), heads: heads)
        let expected = Naive.attention(query: query, key: key, value: value, heads: heads)
        #expect(maxAbsDifference(tape.value(y), expected) < 1e-5)
    }

    @Test func largeScoresStayFinite() {
        let tape = Tape()
        var huge = query
        huge.scale(by: 1000)
        let y = tape.attention(query: tape.constant(huge), key: tape.constant(key), value: tape.constant(value), heads: 2)
        #expect(tape.value(y).isFinite)
    }

    @Test(arguments: [1, 2])
    func gradientsMatchFiniteDifferences(heads: Int) throws {
        try expectGradientsMatchFiniteDifferences([query, key, value]) { tape, v in
            tape.attention(query: v[0], key: v[1], value: v[2], heads: heads)
        }
    }

    @Test func selfAttentionAccumulatesAllThreePaths() throws {
        try expectGradientsMatchFiniteDifferences([key]) { tape, v in
            tape.attention(query: v[0], key: v[0], value: v[0], heads: 2)
        }
    }

    @Test func gradientsWithOnlyValueTrainable() throws {
        try expectGradientsMatchFiniteDifferences([query, key, value], constants: [0, 1]) { tape, v in
            tape.attention(query: v[0], key: v[1], value: v[2], heads: 2)
        }
    }
}
