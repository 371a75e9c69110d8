import Numerics
import Testing

@Suite("Linear")
struct LinearTests {
    let x = randomTensor([2, 3, 4], seed: 1)
    let weight = randomTensor([5, 4], seed: 2, scale: 0.5)
    let bias = randomTensor([5], seed: 3)

    @Test func valueMatchesNaiveLoops() {
        let tape = Tape()
        let y = tape.linear(tape.constant(x), weight: tape.constant(weight), bias: tape.constant(bias))
        #expect(tape.value(y).shape == [2, 3, 5])
        #expect(maxAbsDifference(tape.value(y), Naive.linear(x, weight: weight, bias: bias)) < 1e-5)
    }

    @Test func gradientsMatchFiniteDifferences() throws {
        try expectGradientsMatchFiniteDifferences([x, weight, bias]) { tape, v in
            tape.linear(v[0], weight: v[1], bias: v[2])
        }
    }

    @Test func gradientsWithoutBiasAndConstantInput() throws {
        try expectGradientsMatchFiniteDifferences([x.reshaped([6, 4]), weight], constants: [0]) { tape, v in
            tape.linear(v[0], weight: v[1], bias: nil)
        }
    }

    @Test func observerSeesRowsWhoseOuterProductsSumToTheWeightGradient() throws {
        let observer = RecordingObserver()
        let tape = Tape()
        tape.layerObserver = observer
        let w = tape.leaf(weight)
        let b = tape.leaf(bias)
        let y = tape.linear(tape.constant(x), weight: w, bias: b, observeAs: "proj")
        let seed = randomTensor([2, 3, 5], seed: 4)
        let gradients = tape.backward(from: y, seed: seed)

        #expect(observer.observations.count == 1)
        let observation = try #require(observer.observations.first)
        #expect(observation.layer == "proj" && observation.examples == 2 && observation.hasBias)
        #expect(observation.inputs == x.reshaped([6, 4]))
        #expect(observation.outputGradients == seed.reshaped([6, 5]))
        let weightGradient = try #require(gradients[w])
        #expect(maxAbsDifference(RecordingObserver.weightGradient(observation), weightGradient) < 1e-5)
    }

    @Test func unobservedLayerIsNotReported() {
        let observer = RecordingObserver()
        let tape = Tape()
        tape.layerObserver = observer
        let y = tape.linear(tape.constant(x), weight: tape.leaf(weight), bias: nil)
        _ = tape.backward(from: y)
        #expect(observer.observations.isEmpty)
    }
}
