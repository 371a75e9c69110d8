import Numerics
import Testing

@Suite("Shape ops")
struct ShapeTests {
    let left = randomTensor([2, 3, 2], seed: 60)
    let right = randomTensor([2, 3, 5], seed: 61)
    let image = randomTensor([2, 2, 3, 2], seed: 62)

    @Test func concatLastDimValue() {
        let tape = Tape()
        let y = tape.value(tape.concatLastDim(tape.constant(left), tape.constant(right)))
        #expect(y.shape == [2, 3, 7])
        // Row 4 is left's row 4 followed by right's row 4.
        #expect(Array(y.scalars[28..<35]) == Array(left.scalars[8..<10]) + Array(right.scalars[20..<25]))
    }

    @Test func concatLastDimGradients() throws {
        try expectGradientsMatchFiniteDifferences([left, right]) { tape, v in tape.concatLastDim(v[0], v[1]) }
        try expectGradientsMatchFiniteDifferences([left, right], constants: [0]) { tape, v in tape.concatLastDim(v[0], v[1]) }
    }

    @Test func sliceLastDimValueAndGradient() throws {
        let tape = Tape()
        let y = tape.value(tape.sliceLastDim(tape.constant(right), 1..<4))
        #expect(y.shape == [2, 3, 3])
        #expect(Array(y.scalars[3..<6]) == Array(right.scalars[6..<9]))
        try expectGradientsMatchFiniteDifferences([right]) { tape, v in tape.sliceLastDim(v[0], 2..<5) }
    }

    @Test func sliceThenConcatRestoresTheInput() {
        let tape = Tape()
        let x = tape.constant(right)
        let y = tape.concatLastDim(tape.sliceLastDim(x, 0..<2), tape.sliceLastDim(x, 2..<5))
        #expect(tape.value(y) == right)
    }

    @Test func reshapeValueAndGradient() throws {
        let tape = Tape()
        #expect(tape.value(tape.reshape(tape.constant(right), [6, 5])) == right.reshaped([6, 5]))
        try expectGradientsMatchFiniteDifferences([right]) { tape, v in
            tape.silu(tape.reshape(v[0], [3, 10]))
        }
    }

    @Test func upsampleNearestCopiesEachPixelToAFourBlock() {
        let tape = Tape()
        let y = tape.value(tape.upsampleNearest2x(tape.constant(image)))
        #expect(y.shape == [2, 4, 6, 2])
        for (n, oy, ox, c) in [(0, 0, 0, 0), (1, 3, 5, 1), (1, 2, 1, 0), (0, 1, 4, 1)] {
            let source = image.scalars[((n * 2 + oy / 2) * 3 + ox / 2) * 2 + c]
            #expect(y.scalars[((n * 4 + oy) * 6 + ox) * 2 + c] == source)
        }
    }

    @Test func upsampleNearestGradient() throws {
        try expectGradientsMatchFiniteDifferences([image]) { tape, v in tape.upsampleNearest2x(v[0]) }
    }
}
