import Numerics
import Testing

@Suite("GroupNorm")
struct GroupNormTests {
    /// Feature maps with a nonzero mean, so centring matters.
    let image = randomTensor([2, 3, 2, 6], seed: 20, scale: 1.5, offset: 0.7)
    let tokens = randomTensor([2, 5, 4], seed: 21, offset: -0.4)
    let gamma6 = randomTensor([6], seed: 22, offset: 1)
    let beta6 = randomTensor([6], seed: 23)
    let gamma4 = randomTensor([4], seed: 24, offset: 1)
    let beta4 = randomTensor([4], seed: 25)

    @Test(arguments: [1, 2, 3, 6])
    func valueMatchesNaiveTwoPass(groups: Int) {
        let tape = Tape()
        let y = tape.groupNorm(tape.constant(image), groups: groups, gamma: tape.constant(gamma6),
                               beta: tape.constant(beta6), epsilon: 1e-5)
        let expected = Naive.groupNorm(image, groups: groups, gamma: gamma6, beta: beta6, epsilon: 1e-5)
        #expect(maxAbsDifference(tape.value(y), expected) < 1e-5)
    }

    /// More positions than one Float summation run (64), channels that are not a multiple of the
    /// vector width, and a mean far from zero.
    @Test func valueMatchesNaiveTwoPassOnALargeOffsetImage() {
        let large = randomTensor([2, 10, 15, 12], seed: 26, scale: 0.5, offset: 300)
        let (gamma, beta) = (randomTensor([12], seed: 27, offset: 1), randomTensor([12], seed: 28))
        let tape = Tape()
        let y = tape.groupNorm(tape.constant(large), groups: 4, gamma: tape.constant(gamma), beta: tape.constant(beta),
                               epsilon: 1e-6)
        let expected = Naive.groupNorm(large, groups: 4, gamma: gamma, beta: beta, epsilon: 1e-6)
        #expect(maxAbsDifference(tape.value(y), expected) < 1e-3)
    }

    @Test func normalisesEachGroupToZeroMeanUnitVariance() {
        let tape = Tape()
        let y = tape.value(tape.groupNorm(tape.constant(tokens), groups: 2, gamma: tape.constant(Tensor(shape: [4], repeating: 1)),
                                          beta: tape.constant(Tensor(shape: [4])), epsilon: 0))
        // Example 1, group 1: channels 2 and 3 at all five positions.
        let values = (0..<5).flatMap { p in [2, 3].map { y.scalars[(5 + p) * 4 + $0] } }
        let mean = values.reduce(0, +) / 10
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 10
        #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
    }

    @Test(arguments: [1, 3])
    func gradientsMatchFiniteDifferencesOnFeatureMaps(groups: Int) throws {
        try expectGradientsMatchFiniteDifferences([image, gamma6, beta6], step: 5e-3) { tape, v in
            tape.groupNorm(v[0], groups: groups, gamma: v[1], beta: v[2], epsilon: 1e-6)
        }
    }

    @Test func gradientsMatchFiniteDifferencesOnTokens() throws {
        try expectGradientsMatchFiniteDifferences([tokens, gamma4, beta4], step: 5e-3) { tape, v in
            tape.groupNorm(v[0], groups: 2, gamma: v[1], beta: v[2], epsilon: 1e-5)
        }
    }

    @Test func parameterGradientsWithConstantInput() throws {
        try expectGradientsMatchFiniteDifferences([tokens, gamma4, beta4], constants: [0]) { tape, v in
            tape.groupNorm(v[0], groups: 4, gamma: v[1], beta: v[2], epsilon: 1e-5)
        }
    }
}
