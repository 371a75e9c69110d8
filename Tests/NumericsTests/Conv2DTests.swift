import Numerics
import Testing

@Suite("Conv2d")
struct Conv2DTests {
    /// (kernel, stride, padding) combinations the UNet uses, plus odd ones: stride-1 kernels
    /// whose input gradient is a convolution ((3, 1, 1), (1, 1, 0), (3, 1, 0), (2, 1, 1)) or is
    /// not ((1, 1, 1): padding as large as the kernel), and strided ones.
    static let configurations: [(kernel: Int, stride: Int, padding: Int)] = [
        (3, 1, 1), (3, 2, 1), (1, 1, 0), (2, 2, 0), (3, 1, 0), (1, 2, 1), (2, 1, 1), (1, 1, 1),
    ]

    let x = randomTensor([2, 5, 6, 3], seed: 10)
    let bias = randomTensor([4], seed: 12)

    func weight(kernel: Int) -> Tensor { randomTensor([4, 3, kernel, kernel], seed: 11, scale: 0.5) }

    @Test(arguments: configurations.indices)
    func valueMatchesDirectConvolution(configuration: Int) {
        let (kernel, stride, padding) = Self.configurations[configuration]
        let tape = Tape()
        let y = tape.conv2d(tape.constant(x), weight: tape.constant(weight(kernel: kernel)), bias: tape.constant(bias),
                            stride: stride, padding: padding)
        let expected = Naive.conv2d(x, weight: weight(kernel: kernel), bias: bias, stride: stride, padding: padding)
        #expect(tape.value(y).shape == expected.shape)
        #expect(maxAbsDifference(tape.value(y), expected) < 1e-5)
    }

    @Test(arguments: configurations.indices)
    func gradientsMatchFiniteDifferences(configuration: Int) throws {
        let (kernel, stride, padding) = Self.configurations[configuration]
        try expectGradientsMatchFiniteDifferences([x, weight(kernel: kernel), bias]) { tape, v in
            tape.conv2d(v[0], weight: v[1], bias: v[2], stride: stride, padding: padding)
        }
    }

    @Test func gradientsWithoutBiasAndConstantWeight() throws {
        try expectGradientsMatchFiniteDifferences([x, weight(kernel: 3)], constants: [1]) { tape, v in
            tape.conv2d(v[0], weight: v[1], bias: nil, stride: 2, padding: 1)
        }
    }

    /// An observed backward pass computes the weight gradient from the whole patch matrix; an
    /// unobserved one from chunks (of the input's or of the output gradient's patches).
    @Test(arguments: configurations.indices)
    func observedAndUnobservedGradientsAgree(configuration: Int) throws {
        let (kernel, stride, padding) = Self.configurations[configuration]
        func gradients(observed: Bool) -> [Tensor?] {
            let observer = RecordingObserver()
            let tape = Tape()
            if observed { tape.layerObserver = observer }
            let (input, w, b) = (tape.leaf(x), tape.leaf(weight(kernel: kernel)), tape.leaf(bias))
            let y = tape.conv2d(input, weight: w, bias: b, stride: stride, padding: padding, observeAs: "conv")
            let gradients = tape.backward(from: y, seed: randomTensor(tape.value(y).shape, seed: 14))
            return [gradients[input], gradients[w], gradients[b]]
        }
        let (observed, unobserved) = (gradients(observed: true), gradients(observed: false))
        for (a, b) in zip(observed, unobserved) {
            #expect(maxAbsDifference(try #require(a), try #require(b)) < 1e-5)
        }
    }

    @Test(arguments: configurations.indices)
    func observerSeesPatchRowsInPyTorchOrder(configuration: Int) throws {
        let (kernel, stride, padding) = Self.configurations[configuration]
        let observer = RecordingObserver()
        let tape = Tape()
        tape.layerObserver = observer
        let w = tape.leaf(weight(kernel: kernel))
        let b = tape.leaf(bias)
        let y = tape.conv2d(tape.leaf(x), weight: w, bias: b, stride: stride, padding: padding, observeAs: "conv1")
        let seed = randomTensor(tape.value(y).shape, seed: 13)
        let gradients = tape.backward(from: y, seed: seed)

        #expect(observer.observations.count == 1)
        let observation = try #require(observer.observations.first)
        let rows = seed.count / 4
        #expect(observation.layer == "conv1" && observation.examples == 2 && observation.hasBias)
        #expect(observation.inputs == Naive.patches(x, kernel: (kernel, kernel), stride: stride, padding: padding))
        #expect(observation.outputGradients == seed.reshaped([rows, 4]))
        let weightGradient = try #require(gradients[w])
        #expect(maxAbsDifference(RecordingObserver.weightGradient(observation), weightGradient.reshaped([4, 3 * kernel * kernel])) < 1e-4)
        let biasGradient = try #require(gradients[b])
        let rowSums = (0..<4).map { o in (0..<rows).reduce(Float(0)) { $0 + observation.outputGradients.scalars[$1 * 4 + o] } }
        #expect(maxAbsDifference(biasGradient, Tensor(shape: [4], scalars: rowSums)) < 1e-4)
    }
}
