import Numerics
import Testing

@Suite("Mean squared error")
struct LossTests {
    let prediction = randomTensor([2, 3, 4], seed: 70)
    let target = randomTensor([2, 3, 4], seed: 71)

    @Test func valueIsTheMeanOfSquaredDifferences() {
        let tape = Tape()
        let loss = tape.value(tape.meanSquaredError(tape.constant(prediction), tape.constant(target)))
        #expect(loss.shape == [] && loss.count == 1)
        let expected = zip(prediction.scalars, target.scalars).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) } / 24
        #expect(abs(Double(loss.scalars[0]) - expected) < 1e-6)
    }

    @Test func gradients() throws {
        try expectGradientsMatchFiniteDifferences([prediction, target]) { tape, v in tape.meanSquaredError(v[0], v[1]) }
        try expectGradientsMatchFiniteDifferences([prediction, target], constants: [1]) { tape, v in
            tape.meanSquaredError(v[0], v[1])
        }
    }

    @Test func defaultSeedGivesTheOrdinaryGradient() throws {
        let tape = Tape()
        let p = tape.leaf(prediction)
        let gradient = try #require(tape.backward(from: tape.meanSquaredError(p, tape.constant(target)))[p])
        let expected = zip(prediction.scalars, target.scalars).map { 2 * ($0 - $1) / 24 }
        #expect(maxAbsDifference(gradient, Tensor(shape: prediction.shape, scalars: expected)) < 1e-6)
    }
}
