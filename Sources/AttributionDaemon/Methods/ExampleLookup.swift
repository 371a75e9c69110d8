import AttributionProtocol
import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import Numerics

/// The `example` method: what the store knows of one training example, its label and (when
/// asked) its image from its shard file.
enum ExampleLookup {
    /// The example with `params.id`.
    ///
    /// - Throws: `notFound` for an unknown id; `unreadableFile` when the image was asked for and
    ///   the shard file cannot be read or no longer holds the example.
    static func describe(_ params: ExampleParams, run: TrainingRun, store: AttributionStore) throws -> ExampleResult {
        let known = try store.read { transaction -> (ExampleRecord, ShardRecord?, String?, [StepValue])? in
            guard let example = try store.example(id: params.id, in: transaction) else { return nil }
            let shard = try store.shard(ordinal: example.shard, in: transaction)
            let contributor = try store.contributor(id: example.contributor, in: transaction)?.name
            var selfInfluence: [StepValue] = []
            for checkpoint in try store.checkpoints(in: transaction) where checkpoint.status == .indexed {
                if let value = try store.selfInfluence(step: checkpoint.step, example: params.id, in: transaction) {
                    selfInfluence.append(StepValue(step: Int(checkpoint.step), value: value))
                }
            }
            return (example, shard, contributor, selfInfluence)
        }
        guard let (example, shard, contributorName, selfInfluence) = known else {
            throw JSONRPCError(.notFound, reason: "no training example has id \(params.id)")
        }
        let includeImage = params.includeImage ?? false
        var label: Int64?
        var image: SampleTensor?
        if let shard {
            let row = Int(example.row)
            do {
                let data = try DataShard.read(contentsOf: run.dataFolder.appendingPathComponent(shard.fileName))
                guard row < data.count, data.ids[row] == example.id else {
                    throw JSONRPCError(.unreadableFile, reason: "\(shard.fileName) no longer holds example \(example.id) at row \(row)")
                }
                label = data.labels?[row]
                if includeImage {
                    let (channels, height, width) = data.imageShape
                    let size = channels * height * width
                    let pixels = Array(data.images.scalars[(row * size)..<((row + 1) * size)])
                    image = SampleTensor(values: pixels, shape: [channels, height, width])
                }
            } catch let error as JSONRPCError {
                // The label is a courtesy; only an image that was asked for makes the request fail.
                if includeImage { throw error }
            } catch {
                if includeImage { throw JSONRPCError(.unreadableFile, reason: "\(shard.fileName): \(error)") }
            }
        } else if includeImage {
            throw JSONRPCError(.unreadableFile, reason: "the shard of example \(example.id) is not in the store")
        }
        return ExampleResult(
            id: example.id, shard: shard?.fileName ?? "?", row: Int(example.row), contributor: example.contributor,
            contributorName: contributorName, label: label, heldOut: shard?.isHeldOut ?? false, selfInfluence: selfInfluence,
            image: image)
    }
}
