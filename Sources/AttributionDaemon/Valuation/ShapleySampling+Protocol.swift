import AttributionProtocol
import Shapley

extension ShapleySampling {
    /// The protocol's name for this sampling.
    var kind: ShapleySamplingKind {
        switch self {
        case .exact: .exact
        case .kernel: .kernel
        case .permutation: .permutation
        }
    }
}

extension ShapleySamplingKind {
    /// The sampling to run for `players` players and a budget of `maxCoalitions`: `auto` is
    /// exact enumeration when it fits the budget (and at most 10 players), else KernelSHAP.
    func resolved(players: Int, maxCoalitions: Int) -> ShapleySampling {
        switch self {
        case .auto: .automatic(players: players, maxCoalitions: maxCoalitions)
        case .exact: .exact
        case .kernel: .kernel
        case .permutation: .permutation
        }
    }
}
