import AttributionStore
import DiffusionModel
import Foundation
import Indexing
import LMDB
import Numerics
import SafeTensors

/// The data a refresh values contributors on, read from the run's shard files: the accepted
/// training shards (by file name) and the first held-out images.
///
/// Examples without a contributor (a shard without a `contributors` tensor) belong to nobody
/// and take no part in the games. Every shard must still be the file that was indexed (same
/// content hash and example count), so the data matches its fingerprint.
struct ValuationData: Sendable {
    /// Training images `[N, C, H, W]` of the examples that have a contributor.
    let images: Tensor
    /// Their ids.
    let ids: [Int64]
    /// Their contributors.
    let contributors: [Int64]
    /// Their class labels, when every shard they come from has labels.
    let labels: [Int64]?
    /// Examples of every accepted training shard, with a contributor or not: the `N` the
    /// model's mean training loss divides by.
    let trainingExamples: Int
    /// The first held-out images `[M, C, H, W]`, nil without a held-out shard or when not read.
    let heldOut: Tensor?
    /// What the training data is: the accepted training shards (names, example counts, content
    /// hashes) and the contributor ids.
    let fingerprint: String
    /// What the held-out images are: the held-out shards the first `heldOutLimit` images come
    /// from and their number.
    let heldOutFingerprint: String

    /// Reads the accepted training shards the store lists from the run's data folder, and, when
    /// `readHeldOut`, the first `heldOutLimit` held-out images.
    static func load(run: TrainingRun, store: AttributionStore, heldOutLimit: Int,
                     readHeldOut: Bool) throws(ShapleyRefreshError) -> ValuationData {
        let shards: [ShardRecord]
        do {
            shards = try store.read { try store.shards(in: $0) }.filter { $0.status == .accepted }.sorted { $0.fileName < $1.fileName }
        } catch {
            throw .store("\(error)")
        }
        var training = ShardConcatenation()
        var allLabelled = true
        for record in shards where !record.isHeldOut {
            let shard = try read(record, run: run)
            guard let contributors = shard.contributors else { continue }
            allLabelled = allLabelled && shard.labels != nil
            try training.append(shard, rows: Array(0..<shard.count), file: record.fileName)
            training.contributors += contributors
            training.labels += shard.labels ?? []
        }
        guard !training.ids.isEmpty else { throw .noContributors }
        // The held-out images the properties would read, described whether or not they are read
        // now, so every game's fingerprint can be judged.
        var heldOutFiles: [String] = [], heldOutCount = 0
        for record in shards where record.isHeldOut && heldOutCount < heldOutLimit {
            heldOutCount += min(Int(record.exampleCount), heldOutLimit - heldOutCount)
            heldOutFiles.append("\(record.fileName):\(record.contentHash)")
        }
        var heldOut = ShardConcatenation()
        for record in shards where readHeldOut && record.isHeldOut && heldOut.ids.count < heldOutLimit {
            let shard = try read(record, run: run)
            try heldOut.append(shard, rows: Array(0..<min(shard.count, heldOutLimit - heldOut.ids.count)), file: record.fileName)
        }
        let trainingShards = shards.filter { !$0.isHeldOut }.map { "\($0.fileName):\($0.exampleCount):\($0.contentHash)" }
        let contributorIDs = Set(training.contributors).sorted().map(String.init)
        return ValuationData(
            images: training.tensor, ids: training.ids, contributors: training.contributors,
            labels: allLabelled ? training.labels : nil,
            trainingExamples: shards.filter { !$0.isHeldOut }.reduce(0) { $0 + Int($1.exampleCount) },
            heldOut: heldOut.ids.isEmpty ? nil : heldOut.tensor,
            fingerprint: "shards=\(trainingShards.joined(separator: ","));contributors=\(contributorIDs.joined(separator: ","))",
            heldOutFingerprint: "heldout=\(heldOutFiles.joined(separator: ","));images=\(heldOutCount)")
    }

    /// Distinct contributors of the examples of accepted training shards, as `transaction` sees
    /// the store (a scan of the example table).
    static func contributorCount<A>(store: AttributionStore, in transaction: borrowing Transaction<A>) throws -> Int {
        let training = Set(try store.shards(in: transaction).filter { $0.status == .accepted && !$0.isHeldOut }.map(\.ordinal))
        var contributors = Set<Int64>()
        for example in try store.examples(in: transaction) where example.contributor >= 0 && training.contains(example.shard) {
            contributors.insert(example.contributor)
        }
        return contributors.count
    }

    /// Reads `record`'s file and checks it is the file that was indexed.
    private static func read(_ record: ShardRecord, run: TrainingRun) throws(ShapleyRefreshError) -> DataShard {
        let url = run.dataFolder.appendingPathComponent(record.fileName)
        let bytes: [UInt8]
        do { bytes = try [UInt8](Data(contentsOf: url)) } catch {
            throw .unreadableShard(file: record.fileName, reason: error.localizedDescription)
        }
        let hash = FNV1a64.hash(bytes)
        guard hash == record.contentHash else {
            throw .shardChanged(file: record.fileName, reason: "its content hash is \(hash), \(record.contentHash) when indexed")
        }
        do {
            let shard = try DataShard(file: SafeTensorsFile(bytes: bytes))
            guard shard.count == Int(record.exampleCount) else {
                throw ShapleyRefreshError.shardChanged(file: record.fileName, reason: "\(shard.count) examples, \(record.exampleCount) when indexed")
            }
            return shard
        } catch let error as ShapleyRefreshError {
            throw error
        } catch {
            throw .unreadableShard(file: record.fileName, reason: "\(error)")
        }
    }
}

/// Images and ids gathered from several shards into one tensor.
private struct ShardConcatenation {
    var scalars: [Float] = []
    var ids: [Int64] = []
    var contributors: [Int64] = []
    var labels: [Int64] = []
    var imageShape: [Int]?

    /// Appends `rows` of `shard`, which must have the images' shape so far.
    mutating func append(_ shard: DataShard, rows: [Int], file: String) throws(ShapleyRefreshError) {
        let shape = Array(shard.images.shape.dropFirst())
        if let imageShape, imageShape != shape { throw .mixedImageShapes(file: file, found: shape, expected: imageShape) }
        imageShape = shape
        let perImage = shape.reduce(1, *)
        for row in rows {
            scalars += shard.images.scalars[(row * perImage)..<((row + 1) * perImage)]
            ids.append(shard.ids[row])
        }
    }

    /// The images `[count, C, H, W]`.
    var tensor: Tensor { Tensor(shape: [ids.count] + (imageShape ?? []), scalars: scalars) }
}
