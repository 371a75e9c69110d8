/// How shard files are named in a data folder: `shard-*.safetensors` are training shards,
/// `heldout-*.safetensors` held-out shards (evaluation only, never trained on or attributed to);
/// any other name, including hidden temporary files, is not a shard.
public enum DataShardFileName {
    /// What a shard file is for.
    public enum Kind: Sendable, Equatable {
        /// Trained on (and attributed to).
        case training
        /// Kept out of training, for evaluation.
        case heldOut
    }

    /// The kind of shard a file named `name` is, or `nil` for a file that is not a shard.
    public static func kind(of name: String) -> Kind? {
        guard name.hasSuffix(suffix) else { return nil }
        if name.hasPrefix(trainingPrefix) { return .training }
        if name.hasPrefix(heldOutPrefix) { return .heldOut }
        return nil
    }

    /// The name of shard `number` of `kind`, e.g. `shard-00003.safetensors`.
    public static func name(_ kind: Kind, number: Int) -> String {
        let digits = String(number)
        let prefix = kind == .training ? trainingPrefix : heldOutPrefix
        return prefix + String(repeating: "0", count: max(0, 5 - digits.count)) + digits + suffix
    }

    private static let trainingPrefix = "shard-", heldOutPrefix = "heldout-", suffix = ".safetensors"
}
