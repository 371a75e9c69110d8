import Foundation
import Numerics
import SafeTensors

/// What training needs beyond the weights to continue exactly where a checkpoint left off: the
/// step, the optimiser's moments and step count, and how many updates the weight average has
/// seen. Stored as `optimizer.safetensors` (tensors `exp_avg.<name>`, `exp_avg_sq.<name>`;
/// counters in the metadata).
public struct TrainingState: Sendable {
    /// Optimiser steps completed.
    public var step: Int
    /// The optimiser, moments included.
    public var optimizer: AdamW
    /// Updates of the exponential moving average, when one is kept.
    public var averageUpdateCount: Int?

    /// A state from its parts.
    public init(step: Int, optimizer: AdamW, averageUpdateCount: Int?) {
        self.step = step
        self.optimizer = optimizer
        self.averageUpdateCount = averageUpdateCount
    }

    enum Key {
        static let step = "step", optimizerSteps = "optimizer_steps", averageUpdates = "ema_updates"
        static let firstMoment = "exp_avg.", secondMoment = "exp_avg_sq."
    }

    /// The state as a safetensors file, moments in `order` (the model's parameter order).
    func writer(order: [String]) -> SafeTensorsWriter {
        var metadata = [Key.step: "\(step)", Key.optimizerSteps: "\(optimizer.stepCount)"]
        if let averageUpdateCount { metadata[Key.averageUpdates] = "\(averageUpdateCount)" }
        var writer = SafeTensorsWriter(metadata: metadata)
        for name in order {
            for (prefix, moments) in [(Key.firstMoment, optimizer.firstMoments), (Key.secondMoment, optimizer.secondMoments)] {
                if let moment = moments[name] { writer.add(prefix + name, float32: moment.scalars, shape: moment.shape) }
            }
        }
        return writer
    }

    /// Reads `optimizer.safetensors` for a model with `parameters`; every moment must name one
    /// of them and have its shape.
    static func read(contentsOf url: URL, settings: AdamW.Settings, parameters: ParameterSet) throws(CheckpointError) -> TrainingState {
        func failure(_ reason: String) -> CheckpointError { .optimizerState(path: url.path, reason: reason) }
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch { throw failure(error.description) }
        func counter(_ key: String) throws(CheckpointError) -> Int? {
            guard let text = file.metadata[key] else { return nil }
            guard let value = Int(text), value >= 0 else { throw failure("metadata \"\(key)\" is \"\(text)\", not a count") }
            return value
        }
        guard let step = try counter(Key.step) else { throw failure("metadata has no \"\(Key.step)\"") }
        guard let optimizerSteps = try counter(Key.optimizerSteps) else { throw failure("metadata has no \"\(Key.optimizerSteps)\"") }
        var first: [String: Tensor] = [:], second: [String: Tensor] = [:]
        for name in file.names {
            let (prefix, isFirst) = name.hasPrefix(Key.firstMoment) ? (Key.firstMoment, true) : (Key.secondMoment, false)
            guard name.hasPrefix(prefix), let entry = file.entry(name) else { throw failure("unexpected tensor \"\(name)\"") }
            let parameterName = String(name.dropFirst(prefix.count))
            guard let parameter = parameters[parameterName] else { throw failure("\"\(name)\" names no model parameter") }
            guard entry.shape == parameter.shape else {
                throw failure("\"\(name)\" has shape \(entry.shape), the parameter \(parameter.shape)")
            }
            let moment: Tensor
            do { moment = Tensor(shape: entry.shape, scalars: try file.floats(name)) } catch { throw failure(error.description) }
            guard moment.isFinite else { throw failure("\"\(name)\" holds NaN or infinite values") }
            guard isFirst || moment.scalars.allSatisfy({ $0 >= 0 }) else { throw failure("\"\(name)\" holds negative values") }
            if isFirst { first[parameterName] = moment } else { second[parameterName] = moment }
        }
        guard Set(first.keys) == Set(second.keys) else { throw failure("first and second moments cover different parameters") }
        let optimizer = AdamW(settings: settings, stepCount: optimizerSteps, firstMoments: first, secondMoments: second)
        return TrainingState(step: step, optimizer: optimizer, averageUpdateCount: try counter(Key.averageUpdates))
    }
}
