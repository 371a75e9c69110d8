/// Which indexed checkpoints a query is scored at: `"latest"`, `"all"` or a list of steps.
public enum CheckpointSelector: Sendable, Equatable, Codable {
    /// The newest fully indexed checkpoint.
    case latest
    /// Every indexed checkpoint, scores summed.
    case all
    /// These steps, scores summed.
    case steps([Int])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let steps = try? container.decode([Int].self) {
            self = .steps(steps)
            return
        }
        switch try? container.decode(String.self) {
        case "latest": self = .latest
        case "all": self = .all
        default:
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected \"latest\", \"all\" or a list of steps")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .latest: try container.encode("latest")
        case .all: try container.encode("all")
        case .steps(let steps): try container.encode(steps)
        }
    }
}

/// What a query gradient differentiates.
public enum MeasurementName: String, Sendable, Equatable, Codable {
    /// The DDPM training loss of the sample (the default).
    case loss
    /// The loss with ELBO timestep weights.
    case elbo
}
