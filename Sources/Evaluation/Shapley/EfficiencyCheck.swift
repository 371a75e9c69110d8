/// The Shapley efficiency axiom checked on estimated values: `Σ_c φ_c = F(all) − F(∅)`.
///
/// Exact enumeration, KernelSHAP with the efficiency constraint and permutation sampling all
/// satisfy it up to rounding; influence-based values need not (they are first-order estimates of
/// leave-one-contributor-out effects), so their residual says how far they are from a split of
/// the whole effect.
public struct EfficiencyCheck: Sendable, Equatable, Codable {
    /// `Σ_c φ_c`.
    public let sum: Double
    /// `F(all) − F(∅)`.
    public let total: Double

    /// The check of `values` against the grand and empty coalitions' values.
    public init(values: [Double], grandValue: Double, emptyValue: Double) {
        sum = values.reduce(0, +)
        total = grandValue - emptyValue
    }

    /// `Σ_c φ_c − (F(all) − F(∅))`.
    public var residual: Double { sum - total }

    /// The residual relative to `|F(all) − F(∅)|` (infinite when that is zero and the residual is not).
    public var relativeResidual: Double {
        total == 0 ? (residual == 0 ? 0 : .infinity) : abs(residual) / abs(total)
    }

    /// Whether the relative residual is at most `tolerance`.
    public func holds(tolerance: Double) -> Bool { relativeResidual <= tolerance }

    enum CodingKeys: String, CodingKey {
        case sum, total
    }
}
