import ContributorValuation
import DiffusionModel
import Foundation
import Logging

/// The pruned and recovered models of the sparsified fine-tuning estimator, kept as safetensors
/// files in the store's `shapley/` folder and named by their fingerprint, so a refresh reuses
/// the model of the same checkpoint, data and settings instead of pruning and recovering again.
struct PrunedModelFiles {
    /// The folder holding the files.
    let folder: URL
    let logger: Logger

    /// The model of `fileName` (whose metadata must carry `fingerprint`), read when present and
    /// usable, else made by `build` and written atomically.
    /// - Returns: The model and whether it was read from the file.
    func model(fileName: String, fingerprint: String, config: UNet2DConfig,
               build: () throws(ValuationError) -> PrunedModel) throws(ShapleyRefreshError) -> (model: PrunedModel, reused: Bool) {
        let url = folder.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                return (try PrunedModel.read(contentsOf: url, config: config, fingerprint: fingerprint), true)
            } catch {
                logger.warning("pruned model unusable; making it again", metadata: ["file": "\(url.path)", "error": "\(error)"])
            }
        }
        let model: PrunedModel
        do { model = try build() } catch { throw .game("\(error)") }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try model.write(to: url, fingerprint: fingerprint)
        } catch {
            throw .game("writing the pruned model \(url.path): \(error)")
        }
        return (model, false)
    }

    /// Deletes every file in the folder but `fileName`: pruned models of earlier checkpoints,
    /// data or settings, and leftovers of interrupted writes.
    func removeAll(except fileName: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name != fileName {
            do {
                try FileManager.default.removeItem(at: folder.appendingPathComponent(name))
                logger.info("removed a stale pruned model", metadata: ["file": "\(name)"])
            } catch {
                logger.warning("could not remove a stale pruned model", metadata: ["file": "\(name)", "error": "\(error)"])
            }
        }
    }
}
