import Numerics

/// The random training subsets of the linear datamodelling score: `count` subsets, each holding
/// `⌊fraction · examples⌋` distinct example indices, a pure function of the seed.
public struct SubsetPlan: Sendable, Equatable, Codable {
    /// Number of training examples the subsets are drawn from.
    public let examples: Int
    /// Sorted example indices of each subset.
    public let subsets: [[Int]]

    /// Draws `count` subsets of `fraction` of `examples` indices.
    public init(examples: Int, count: Int, fraction: Double, seed: UInt64) {
        precondition(examples > 0 && count > 0 && fraction > 0 && fraction <= 1, "SubsetPlan: invalid arguments")
        let size = max(1, Int(Double(examples) * fraction))
        self.examples = examples
        subsets = (0..<count).map { index in
            var generator = SeededGenerator(keys: seed, 0x5355_4253, UInt64(index))  // "SUBS"
            var order = Array(0..<examples)
            order.shuffle(using: &generator)
            return order.prefix(size).sorted()
        }
    }

    /// `membership[j][i]`: whether subset `j` holds example `i`.
    public var membership: [[Bool]] {
        subsets.map { subset in
            var member = [Bool](repeating: false, count: examples)
            for index in subset { member[index] = true }
            return member
        }
    }
}
