/// How the coalitions behind a Shapley estimate are chosen.
public enum ShapleySampling: String, Sendable, CaseIterable {
    /// Every one of the 2^players coalitions: exact values, standard error 0.
    case exact
    /// KernelSHAP with paired sampling (Covert & Lee, 2021): coalitions drawn from the Shapley
    /// kernel, each with its complement, solved as a constrained regression.
    case kernel
    /// Random orders of the players; each player's value is its mean marginal contribution.
    case permutation

    /// Most players `exact` is allowed to enumerate (65,536 coalitions).
    public static let exactPlayerLimit = 16

    /// Most players `automatic` enumerates exactly.
    public static let automaticExactPlayerLimit = 10

    /// Exact enumeration when there are at most 10 players and all 2^players coalitions fit in
    /// `maxCoalitions` (no limit when `nil`), else KernelSHAP.
    public static func automatic(players: Int, maxCoalitions: Int?) -> ShapleySampling {
        guard players <= automaticExactPlayerLimit else { return .kernel }
        guard let maxCoalitions else { return .exact }
        return 1 << players <= maxCoalitions ? .exact : .kernel
    }
}
