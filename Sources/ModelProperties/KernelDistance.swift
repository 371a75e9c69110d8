import DiffusionModel
import Numerics

/// The kernel inception distance between generated samples and held-out images in a fixed feature
/// space (name `kernel_distance`; lower is better): the unbiased squared maximum mean discrepancy
///
///     MMD²_u = 1/(m(m−1)) Σ_{i≠l} k(x_i, x_l) + 1/(n(n−1)) Σ_{j≠l} k(y_j, y_l) − 2/(mn) Σ_{i,j} k(x_i, y_j)
///
/// with `k(x, y) = (xᵀy/d + 1)³` on ``FixedFeatureMap`` features `x` of the `m` generated samples
/// and `y` of the `n` held-out images.
///
/// **Masses** (``GeneratedSampleProperty``): with masses `w` on the generated samples, `W = Σ w_i`,
/// the self-normalised weighted statistic is
/// `F(w) = Σ_{i≠l} w_i w_l k_il / (W² − Σ w_i²) + YY − 2 Σ_i w_i c_i / (W n)` with
/// `c_i = Σ_j k(x_i, y_j)`; unit masses give `MMD²_u`. Differentiating at `w = 1`, with
/// `r_j = Σ_{l≠j} k_jl` and `S = Σ_j r_j`:
///
///     ∂F/∂w_j = 2 (r_j − S/m) / (m(m−1)) − 2 (c_j − c̄) / (m n),
///
/// which sums to zero over `j`. A sample whose features sit closer to the held-out data than to the
/// other samples lowers `F` when its mass grows, so its sensitivity is negative and its weight
/// positive: descending `∇F ≈ Σ_j weights[j] ∇ℓ(x_j)` lowers the loss (raises the likelihood) of
/// samples that look like held-out data.
public struct KernelDistance: GeneratedSampleProperty {
    /// The feature space the distance is measured in.
    public let featureMap: FixedFeatureMap
    /// Number of held-out images.
    public let heldOutCount: Int
    /// Features of the held-out images `[n, dimension]`.
    private let heldOutFeatures: Tensor
    /// The held-out images' unbiased pair mean `1/(n(n−1)) Σ_{j≠l} k(y_j, y_l)`; no model changes it.
    private let heldOutPairMean: Double

    /// The distance to `heldOut` `[n, C, H, W]` (at least 2 images of the map's input shape).
    public init(heldOut: Tensor, featureMap: FixedFeatureMap) throws(PropertyError) {
        try ImageChecks.validate(heldOut, property: Self.propertyName, minimum: 2, expected: featureMap.inputShape, heldOut: true)
        self.featureMap = featureMap
        heldOutCount = heldOut.shape[0]
        heldOutFeatures = featureMap.features(heldOut)
        heldOutPairMean = PolynomialKernel.offDiagonalMean(
            PolynomialKernel.matrix(heldOutFeatures, heldOutFeatures), count: heldOutCount)
    }

    /// The property's name.
    public static let propertyName = "kernel_distance"
    /// `kernel_distance`.
    public var name: String { Self.propertyName }
    /// False: generated samples closer to held-out data are better.
    public var higherIsBetter: Bool { false }
    /// The feature map's input shape.
    public var imageShape: [Int]? { featureMap.inputShape }

    /// `F(w)` for `generated` `[m, C, H, W]` (m ≥ 2) with positive `masses`.
    public func value(generated: Tensor, masses: [Double]) -> Double {
        let kernels = Kernels(self, generated)
        precondition(masses.count == kernels.count && masses.allSatisfy { $0 > 0 }, "one positive mass per sample")
        let m = kernels.count
        let total = masses.reduce(0, +)
        var pairs = 0.0, cross = 0.0
        for i in 0..<m {
            var row = 0.0
            for l in 0..<m where l != i { row += masses[l] * kernels.generated[i * m + l] }
            pairs += masses[i] * row
            cross += masses[i] * kernels.crossSums[i]
        }
        let pairMass = total * total - masses.reduce(0) { $0 + $1 * $1 }
        return pairs / pairMass + heldOutPairMean - 2 * cross / (total * Double(heldOutCount))
    }

    /// `∂F/∂w_j` at unit masses (see the type's documentation).
    public func massSensitivities(generated: Tensor) -> [Double] {
        let kernels = Kernels(self, generated)
        let m = kernels.count, mass = Double(kernels.count)
        let rows = (0..<m).map { i in (0..<m).reduce(0.0) { $1 == i ? $0 : $0 + kernels.generated[i * m + $1] } }
        let meanRow = rows.reduce(0, +) / mass
        let meanCross = kernels.crossSums.reduce(0, +) / mass
        return (0..<m).map { j in
            2 * (rows[j] - meanRow) / (mass * (mass - 1)) - 2 * (kernels.crossSums[j] - meanCross) / (mass * Double(heldOutCount))
        }
    }

    /// The kernel values a measurement needs: generated × generated, and each generated sample's
    /// kernel sum over the held-out images.
    private struct Kernels {
        let count: Int
        let generated: [Double]
        let crossSums: [Double]

        init(_ distance: KernelDistance, _ images: Tensor) {
            precondition(images.rank == 4 && images.shape[0] >= 2, "kernel_distance needs at least 2 generated samples")
            let features = distance.featureMap.features(images)
            count = images.shape[0]
            generated = PolynomialKernel.matrix(features, features)
            let cross = PolynomialKernel.matrix(features, distance.heldOutFeatures)
            let n = distance.heldOutCount
            crossSums = (0..<images.shape[0]).map { i in cross[i * n..<(i + 1) * n].reduce(0, +) }
        }
    }
}
