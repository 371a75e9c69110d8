import Attribution
import Indexing

/// The most recently used query models, at most `capacity` of them: a checkpoint's model is
/// loaded once and reused until other checkpoints or settings push it out.
struct QueryModelCache {
    /// How many models are kept.
    let capacity: Int
    private var entries: [LoadedCheckpoint] = []

    /// A cache keeping up to `capacity` models.
    init(capacity: Int) {
        precondition(capacity >= 1, "a cache holds at least one model")
        self.capacity = capacity
    }

    /// The model of `step` with `gradients`, loaded when not cached; the least recently used
    /// model leaves when the cache is full.
    ///
    /// - Throws: ``IndexingError/unreadableCheckpoint(step:reason:)`` when the checkpoint cannot
    ///   be loaded.
    mutating func model(run: TrainingRun, step: Int, gradients: GradientSettings) throws(IndexingError) -> LoadedCheckpoint {
        if let index = entries.firstIndex(where: { $0.step == step && $0.engine.settings == gradients }) {
            let model = entries.remove(at: index)
            entries.append(model)
            return model
        }
        let model = try LoadedCheckpoint(folder: run.checkpointFolder(step: step), step: step, gradients: gradients)
        if entries.count == capacity { entries.removeFirst() }
        entries.append(model)
        return model
    }

    /// The steps cached, least recently used first.
    var cachedSteps: [Int] { entries.map(\.step) }
}
