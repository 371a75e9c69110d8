import Numerics
import Testing

@Suite("Per-channel broadcasts")
struct ChannelBroadcastTests {
    let x = randomTensor([2, 3, 2, 4], seed: 50)
    let perChannel = randomTensor([2, 4], seed: 51)
    let shift = randomTensor([2, 4], seed: 52)

    @Test func addPerChannelValue() {
        let tape = Tape()
        let y = tape.value(tape.addPerChannel(tape.constant(x), tape.constant(perChannel)))
        // Example 1, position (2, 1), channel 3.
        let index = ((1 * 3 + 2) * 2 + 1) * 4 + 3
        #expect(y.scalars[index] == x.scalars[index] + perChannel.scalars[1 * 4 + 3])
    }

    @Test func addPerChannelGradients() throws {
        try expectGradientsMatchFiniteDifferences([x, perChannel]) { tape, v in tape.addPerChannel(v[0], v[1]) }
    }

    @Test func scaleShiftValue() {
        let tape = Tape()
        let y = tape.value(tape.scaleShiftPerChannel(tape.constant(x), scale: tape.constant(perChannel), shift: tape.constant(shift)))
        let index = ((0 * 3 + 1) * 2 + 0) * 4 + 2
        #expect(abs(y.scalars[index] - (x.scalars[index] * (1 + perChannel.scalars[2]) + shift.scalars[2])) < 1e-6)
    }

    @Test func scaleShiftGradients() throws {
        try expectGradientsMatchFiniteDifferences([x, perChannel, shift]) { tape, v in
            tape.scaleShiftPerChannel(v[0], scale: v[1], shift: v[2])
        }
        try expectGradientsMatchFiniteDifferences([x.reshaped([2, 6, 4]), perChannel, shift], constants: [0]) { tape, v in
            tape.scaleShiftPerChannel(v[0], scale: v[1], shift: v[2])
        }
    }
}
