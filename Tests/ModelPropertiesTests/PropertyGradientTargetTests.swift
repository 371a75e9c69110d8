import ModelProperties
import Numerics
import Testing

@Suite struct PropertyGradientTargetTests {
    @Test func holdsOneWeightPerImage() {
        let target = PropertyGradientTarget(samples: Tensor(shape: [2, 1, 2, 2], scalars: [Float](repeating: 0, count: 8)), weights: [0.5, -0.5])
        #expect(target.weights == [0.5, -0.5])
        #expect(target.samples.shape == [2, 1, 2, 2])
    }
}
