import Foundation
import Numerics
import Testing

@Suite("Elementwise and activation ops")
struct ElementwiseTests {
    let a = randomTensor([3, 7], seed: 40, scale: 2)
    let b = randomTensor([3, 7], seed: 41)

    @Test func siluValue() {
        let tape = Tape()
        let y = tape.value(tape.silu(tape.constant(a)))
        let expected = a.scalars.map { Float(Double($0) / (1 + exp(-Double($0)))) }
        #expect(maxAbsDifference(y, Tensor(shape: a.shape, scalars: expected)) < 1e-6)
    }

    @Test func siluSaturatesWithoutNaN() {
        let tape = Tape()
        let x = tape.leaf(Tensor(shape: [3], scalars: [-200, 0, 200]))
        let y = tape.silu(x)
        #expect(tape.value(y).scalars == [0, 0, 200])
        #expect(tape.backward(from: y)[x]?.scalars == [0, 0.5, 1])
    }

    @Test func siluGradient() throws {
        try expectGradientsMatchFiniteDifferences([a]) { tape, v in tape.silu(v[0]) }
    }

    @Test func addValueAndGradients() throws {
        let tape = Tape()
        #expect(tape.value(tape.add(tape.constant(a), tape.constant(b))).scalars == zip(a.scalars, b.scalars).map { $0 + $1 })
        try expectGradientsMatchFiniteDifferences([a, b]) { tape, v in tape.add(v[0], v[1]) }
        try expectGradientsMatchFiniteDifferences([a, b], constants: [1]) { tape, v in tape.add(v[0], v[1]) }
    }

    @Test func addOfAVariableToItselfDoublesTheGradient() throws {
        let tape = Tape()
        let x = tape.leaf(a)
        let gradient = try #require(tape.backward(from: tape.add(x, x))[x])
        #expect(gradient.scalars.allSatisfy { $0 == 2 })
    }

    @Test func scaledValueAndGradient() throws {
        let tape = Tape()
        #expect(tape.value(tape.scaled(tape.constant(a), by: -0.5)).scalars == a.scalars.map { $0 * -0.5 })
        try expectGradientsMatchFiniteDifferences([a]) { tape, v in tape.scaled(v[0], by: 3.25) }
    }
}
