/// Why curvature state could not be restored, merged or turned into a preconditioner.
public enum CurvatureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Stored arrays use a format this build does not read.
    case unsupportedFormatVersion(Int)
    /// Stored arrays describe a different number of layers than the layout.
    case layerCountMismatch(expected: Int, found: Int)
    /// A stored array has the wrong number of elements for its layer.
    case wrongArraySize(layer: String, array: String, expected: Int, found: Int)
    /// Stored row and sample counts are negative or inconsistent (rows without samples or the reverse).
    case invalidCounts(layer: String, rows: Int, samples: Int)
    /// A stored array holds NaN or infinity.
    case nonFiniteValue(layer: String, array: String)
    /// The second-moment size limit is negative.
    case invalidSecondMomentLimit(Int)
    /// Two accumulators over different layouts or second-moment limits cannot be merged.
    case incompatibleAccumulators(String)
    /// A layer has received no samples, so it has no curvature.
    case noEvidence(layer: String)
    /// LAPACK's symmetric eigensolver reported failure (`info` ≠ 0).
    case eigendecompositionFailed(layer: String, info: Int)
    /// The resolved damping of a layer is not a positive finite number.
    case nonPositiveDamping(layer: String, value: Float)

    public var description: String {
        switch self {
        case .unsupportedFormatVersion(let version):
            "curvature arrays have format version \(version); this build reads version \(CurvatureArrays.currentFormatVersion)"
        case .layerCountMismatch(let expected, let found):
            "curvature arrays describe \(found) layers, the gradient layout has \(expected)"
        case .wrongArraySize(let layer, let array, let expected, let found):
            "curvature array \(array) of layer \(layer) has \(found) elements, expected \(expected)"
        case .invalidCounts(let layer, let rows, let samples):
            "layer \(layer) has inconsistent counts: \(rows) rows, \(samples) samples"
        case .nonFiniteValue(let layer, let array):
            "curvature array \(array) of layer \(layer) holds a non-finite value"
        case .invalidSecondMomentLimit(let limit):
            "second-moment limit \(limit) is negative"
        case .incompatibleAccumulators(let reason):
            "cannot merge curvature accumulators: \(reason)"
        case .noEvidence(let layer):
            "layer \(layer) has no curvature samples"
        case .eigendecompositionFailed(let layer, let info):
            "eigendecomposition failed for layer \(layer) (LAPACK info \(info))"
        case .nonPositiveDamping(let layer, let value):
            "damping \(value) for layer \(layer) is not positive"
        }
    }
}
