/// The constrained weighted regression behind KernelSHAP, in the closed form of Covert & Lee
/// (2021, "Improving KernelSHAP").
///
/// Coalitions z ∈ {0,1}^n other than ∅ and all players are drawn from the Shapley kernel: a size k
/// ∈ 1...n−1 with p(k) ∝ (n−1)/(k(n−k)), then a uniform coalition of that size. The Shapley values
/// solve min E[(v(z) − v(∅) − zᵀβ)²] subject to 1ᵀβ = v(N) − v(∅) = Δ, whose solution is
///
///     β = A⁻¹(b − 1·(1ᵀA⁻¹b − Δ)/(1ᵀA⁻¹1)),   A = E[zzᵀ],  b = E[z(v(z) − v(∅))].
///
/// A is known exactly. By symmetry its diagonal is a = E[z_i] = Σ_k p(k)·k/n, which is 1/2 since
/// p(k) = p(n−k), and its off-diagonal is c = E[z_i z_j] = Σ_k p(k)·k(k−1)/(n(n−1)). With
/// H = H_{n−1} = Σ_{j=1}^{n−1} 1/j, the normaliser is Σ_k (n−1)/(k(n−k)) = 2(n−1)H/n and
/// Σ_k (k−1)/(n−k) = (n−1)(H − 1), so c = 1/2 − 1/(2H). Hence A = dI + c11ᵀ with d = a − c = 1/(2H),
/// and Sherman–Morrison gives A⁻¹ = (I − c/(d+nc)·11ᵀ)/d, A⁻¹1 = 1/(d+nc), 1ᵀA⁻¹1 = n/(d+nc),
/// 1ᵀA⁻¹b = Σb/(d+nc). Substituting,
///
///     β_i = (b_i − mean(b))/d + Δ/n = 2H·(b_i − mean(b)) + Δ/n,
///
/// i.e. β = M b + Δ/n·1 with M = (I − 11ᵀ/n)/d. The map is linear, so an estimate b̂ that is the
/// mean of m independent contributions with covariance Σ gives Cov(β̂) = M Σ Mᵀ/m; its diagonal
/// is (Σ_ii − 2·mean_j Σ_ij + mean_jk Σ_jk)/(d²m). And 1ᵀβ = Δ holds for every b̂.
struct KernelShapleyRegression: Sendable {
    /// Number of players (at least 2: one player has no coalition besides ∅ and all).
    let players: Int
    /// `sizeProbabilities[k]` = p(k) for k in 0...n (0 for k = 0 and k = n).
    let sizeProbabilities: [Double]
    /// A_ii = E[z_i] = 1/2.
    let diagonal: Double
    /// A_ij = E[z_i z_j] = 1/2 − 1/(2H) for i ≠ j.
    let offDiagonal: Double
    /// d = A_ii − A_ij = 1/(2H) in A = dI + c11ᵀ.
    let ridge: Double

    /// The regression of a `players`-player game.
    init(players: Int) {
        precondition(players >= 2, "KernelSHAP needs at least two players")
        self.players = players
        let n = Double(players)
        let weights = (0...players).map { k in
            (1..<players).contains(k) ? (n - 1) / (Double(k) * (n - Double(k))) : 0
        }
        let total = weights.reduce(0, +)
        sizeProbabilities = weights.map { $0 / total }
        let harmonic = (1..<players).reduce(0.0) { $0 + 1 / Double($1) }
        diagonal = 0.5
        ridge = 0.5 / harmonic
        offDiagonal = diagonal - ridge
    }

    /// β for the estimate `b` of E[z(v(z) − v(∅))] and the total Δ = v(N) − v(∅).
    func solve(b: [Double], total: Double) -> [Double] {
        let mean = b.reduce(0, +) / Double(players)
        return b.map { ($0 - mean) / ridge + total / Double(players) }
    }

    /// The variances of β̂ when b̂ is the mean of `samples` contributions with covariance
    /// `covariance` (row-major n×n).
    func variances(covariance: [Double], samples: Int) -> [Double] {
        let n = players
        let rowMeans = (0..<n).map { i in covariance[i * n..<(i + 1) * n].reduce(0, +) / Double(n) }
        let grandMean = rowMeans.reduce(0, +) / Double(n)
        let scale = ridge * ridge * Double(samples)
        return (0..<n).map { i in (covariance[i * n + i] - 2 * rowMeans[i] + grandMean) / scale }
    }
}
