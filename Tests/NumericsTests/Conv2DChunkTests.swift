@testable import Numerics
import Testing

/// The convolution builds and consumes its patch matrix in chunks of rows; these tests force
/// tiny chunks so that every chunk boundary case (one row, a ragged last chunk) is exercised.
@Suite("Conv2d in patch chunks")
struct Conv2DChunkTests {
    let x = randomTensor([2, 5, 6, 3], seed: 90)
    let weight = randomTensor([4, 3, 3, 3], seed: 91, scale: 0.5)
    let bias = randomTensor([4], seed: 92)

    /// Patch elements per chunk: one row (27 elements) per chunk, then 4 rows (the last chunk of
    /// the 2·3·3 = 18 stride-2 rows is ragged), then everything at once.
    @Test(arguments: [1, 110, 1 << 20])
    func gradientsMatchFiniteDifferences(chunkElements: Int) throws {
        try expectGradientsMatchFiniteDifferences([x, weight, bias]) { tape, v in
            tape.conv2d(v[0], weight: v[1], bias: v[2], stride: 2, padding: 1, observeAs: nil, chunkElements: chunkElements)
        }
    }

    @Test(arguments: [1, 110])
    func chunkedEqualsUnchunked(chunkElements: Int) throws {
        func run(_ chunk: Int) -> (Tensor, Tensor?, Tensor?) {
            let tape = Tape()
            let (input, filters) = (tape.leaf(x), tape.leaf(weight))
            let y = tape.conv2d(input, weight: filters, bias: tape.leaf(bias), stride: 1, padding: 1, observeAs: nil, chunkElements: chunk)
            let gradients = tape.backward(from: y, seed: randomTensor(tape.value(y).shape, seed: 93))
            return (tape.value(y), gradients[input], gradients[filters])
        }
        let (chunked, whole) = (run(chunkElements), run(1 << 20))
        #expect(maxAbsDifference(chunked.0, whole.0) < 1e-5)
        #expect(maxAbsDifference(try #require(chunked.1), try #require(whole.1)) < 1e-5)
        #expect(maxAbsDifference(try #require(chunked.2), try #require(whole.2)) < 1e-4)
    }
}
