import Numerics
import Testing

@Suite("Tape lifetime")
struct TapeLifetimeTests {
    /// Pullbacks must not capture the tape strongly: a cycle would keep every activation of every
    /// training step alive.
    @Test func tapeIsFreedAfterBackward() {
        weak var weakTape: Tape?
        let observer = RecordingObserver()
        do {
            let tape = Tape()
            weakTape = tape
            tape.layerObserver = observer
            let x = tape.leaf(randomTensor([1, 4, 4, 2], seed: 100))
            let features = tape.conv2d(x, weight: tape.leaf(randomTensor([3, 2, 3, 3], seed: 101)), bias: nil,
                                       stride: 1, padding: 1, observeAs: "conv")
            let tokens = tape.reshape(features, [1, 16, 3])
            let attended = tape.attention(query: tokens, key: tokens, value: tokens, heads: 1)
            let projected = tape.linear(attended, weight: tape.leaf(randomTensor([2, 3], seed: 102)), bias: nil, observeAs: "proj")
            _ = tape.backward(from: tape.meanSquaredError(projected, tape.constant(Tensor(shape: [1, 16, 2]))))
        }
        #expect(weakTape == nil)
        #expect(observer.observations.map(\.layer) == ["proj", "conv"])
    }
}
