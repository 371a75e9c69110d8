/// Why a DDPM scheduler configuration or request cannot be used.
public enum DDPMSchedulerError: Error, Equatable, CustomStringConvertible {
    /// A configuration key holds a value diffusers may know but this scheduler does not implement.
    case unsupportedValue(key: String, value: String, supported: [String])
    /// A configuration key holds a value that makes no sense (negative, empty, out of range).
    case invalidValue(key: String, value: String, reason: String)
    /// `setTimesteps` was asked for a number of inference steps the schedule cannot provide.
    case invalidInferenceStepCount(requested: Int, trainTimesteps: Int)

    /// A readable explanation naming the offending key and value.
    public var description: String {
        switch self {
        case .unsupportedValue(let key, let value, let supported):
            "scheduler config \"\(key)\": \(value) is not supported (supported: \(supported.joined(separator: ", ")))"
        case .invalidValue(let key, let value, let reason):
            "scheduler config \"\(key)\": \(value) is invalid: \(reason)"
        case .invalidInferenceStepCount(let requested, let trainTimesteps):
            "cannot sample with \(requested) inference steps from a schedule of \(trainTimesteps) training timesteps "
                + "(need 1...\(trainTimesteps))"
        }
    }
}
