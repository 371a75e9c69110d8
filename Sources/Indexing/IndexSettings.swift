import Attribution
import AttributionStore

/// How a training run is indexed: the gradient engine's settings, which decide every stored
/// number (and so name the store through their fingerprint), and how vectors are stored.
public struct IndexSettings: Sendable, Equatable, Codable {
    /// Projection, draws and curvature seeds of the stored vectors.
    public var gradients: GradientSettings
    /// Precision of stored gradient vectors: half precision halves the store and the scan.
    public var precision: GradientDType
    /// Examples per stored gradient block (the unit one scoring GEMM reads).
    public var blockRows: Int

    /// Settings with the given values.
    public init(gradients: GradientSettings = GradientSettings(), precision: GradientDType = .float16, blockRows: Int = 512) {
        self.gradients = gradients
        self.precision = precision
        self.blockRows = blockRows
    }

    /// What a store's contents depend on; a store built under another fingerprint is refused.
    public var storeFingerprint: String { gradients.fingerprint }

    enum CodingKeys: String, CodingKey {
        case gradients, precision, blockRows = "block_rows"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gradients = try container.decode(GradientSettings.self, forKey: .gradients)
        let name = try container.decode(String.self, forKey: .precision)
        guard let precision = GradientDType.allCases.first(where: { "\($0)" == name }) else {
            throw DecodingError.dataCorruptedError(forKey: .precision, in: container, debugDescription: "unknown precision \(name)")
        }
        self.precision = precision
        blockRows = try container.decode(Int.self, forKey: .blockRows)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(gradients, forKey: .gradients)
        try container.encode("\(precision)", forKey: .precision)
        try container.encode(blockRows, forKey: .blockRows)
    }
}
