import ArgumentParser
import AttributionProtocol

/// The protocol's Shapley enumerations read from the command line by their wire names, so the
/// options take exactly what the daemon documents.
enum ShapleyArguments {
    /// `--estimator`: sparsified_fine_tuning, retraining or influence.
    static func estimator(_ text: String) throws(ValidationError) -> ShapleyEstimatorKind {
        guard let kind = ShapleyEstimatorKind(rawValue: text) else { throw ValidationError("--estimator must be \(names(ShapleyEstimatorKind.self)).") }
        return kind
    }

    /// `--sampling`: auto, exact, kernel or permutation.
    static func sampling(_ text: String) throws(ValidationError) -> ShapleySamplingKind {
        guard let kind = ShapleySamplingKind(rawValue: text) else { throw ValidationError("--sampling must be \(names(ShapleySamplingKind.self)).") }
        return kind
    }

    /// "a, b or c" from an enumeration's raw values.
    static func names<Kind: CaseIterable & RawRepresentable>(_ kind: Kind.Type) -> String where Kind.RawValue == String {
        let all = Kind.allCases.map(\.rawValue)
        return all.dropLast().joined(separator: ", ") + " or " + (all.last ?? "")
    }
}
