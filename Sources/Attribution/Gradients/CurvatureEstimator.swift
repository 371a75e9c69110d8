/// Which output-gradient seeds the curvature backward pass propagates.
///
/// The per-sample loss `mean((ε̂ − ε)²)` over `D = C·H·W` outputs has Hessian `(2/D)·I` with
/// respect to the prediction `ε̂`.
public enum CurvatureEstimator: String, Sendable, Equatable, Codable, CaseIterable {
    /// Monte-Carlo generalised Gauss-Newton: seed `sqrt(2/D)·z`, `z ~ N(0, I)`, so that
    /// `E[s sᵀ] = (2/D)·I`, the output Hessian. The default (the paper finds it better).
    case mcGGN
    /// Empirical Fisher: seed `(2/D)(ε̂ − ε)`, each sample's own loss gradient.
    case empiricalFisher
}
