import Numerics

/// The model-free baseline: a training example is credited in proportion to how much it looks
/// like the sample, by the cosine similarity of their pixels (one GEMM for all pairs).
public enum PixelSimilarity {
    /// `scores[q][i]`: cosine similarity of sample q and training image i, both `[count, C, H, W]`.
    public static func scores(samples: Tensor, trainingImages: Tensor) -> [[Double]] {
        ScoreMatrix.rowDotProducts(normalizedRows(samples), normalizedRows(trainingImages))
    }

    /// Each image flattened to a row of unit length (an all-zero image stays zero).
    private static func normalizedRows(_ images: Tensor) -> Tensor {
        let count = images.shape[0]
        let width = images.count / max(count, 1)
        var rows = images.reshaped([count, width])
        for row in 0..<count {
            let range = (row * width)..<((row + 1) * width)
            let norm = rows.scalars[range].reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            for index in range { rows.scalars[index] /= norm }
        }
        return rows
    }
}
