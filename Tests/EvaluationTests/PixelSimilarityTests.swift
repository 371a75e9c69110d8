import Evaluation
import Numerics
import Testing

@Suite struct PixelSimilarityTests {
    @Test func scoresAreCosineSimilarities() {
        let training = Tensor(shape: [3, 1, 1, 2], scalars: [1, 0, 0, 2, -3, 0])
        let samples = Tensor(shape: [2, 1, 1, 2], scalars: [2, 0, 1, 1])
        let scores = PixelSimilarity.scores(samples: samples, trainingImages: training)
        let half = 0.5.squareRoot()
        let expected: [[Double]] = [[1, 0, -1], [half, half, -half]]
        for (row, expectedRow) in zip(scores, expected) {
            for (value, reference) in zip(row, expectedRow) { #expect(abs(value - reference) < 1e-6) }
        }
    }
}
