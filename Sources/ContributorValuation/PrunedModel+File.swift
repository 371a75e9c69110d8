import DiffusionModel
import Foundation
import Numerics
import SafeTensors

extension PrunedModel {
    /// Metadata and tensor-name conventions of the file.
    private enum FileFormat {
        static let kindKey = "kind"
        static let kind = "pruned_model"
        static let sparsityKey = "pruning_sparsity"
        static let fingerprintKey = "fingerprint"
        /// Masks are stored as uint8 tensors under this prefix plus the weight's name.
        static let maskPrefix = "pruning_mask."
    }

    /// Writes the weights (F32, diffusers' names) and masks (uint8) atomically to `url`, with the
    /// sparsity and `fingerprint` (whatever identifies what the model was made from, e.g. the
    /// checkpoint, data and settings) in the metadata.
    public func write(to url: URL, fingerprint: String) throws(ValuationError) {
        var writer = parameters.safeTensorsWriter()
        writer.metadata[FileFormat.kindKey] = FileFormat.kind
        writer.metadata[FileFormat.sparsityKey] = "\(sparsity)"
        writer.metadata[FileFormat.fingerprintKey] = fingerprint
        for name in parameters.names {
            guard let mask = masks[name] else { continue }
            writer.add(FileFormat.maskPrefix + name, uint8: mask.scalars.map { $0 == 0 ? 0 : 1 }, shape: mask.shape)
        }
        do { try writer.write(to: url) } catch { throw .prunedFileIO(path: url.path, reason: "\(error)") }
    }

    /// Reads a file written by ``write(to:fingerprint:)`` for a model of `config`.
    ///
    /// - Throws: ``ValuationError/prunedFileFingerprintMismatch(path:expected:found:)`` when the
    ///   file was made for another fingerprint; ``ValuationError/prunedFileDoesNotMatchConfig(path:_:)``
    ///   when its weights do not fit `config`; ``ValuationError/prunedFileCorrupt(path:reason:)``
    ///   when metadata, masks or weights are inconsistent.
    public static func read(contentsOf url: URL, config: UNet2DConfig, fingerprint: String) throws(ValuationError) -> PrunedModel {
        let path = url.path
        let file: SafeTensorsFile
        do { file = try SafeTensorsFile(contentsOf: url) } catch { throw .prunedFileIO(path: path, reason: "\(error)") }
        guard file.metadata[FileFormat.kindKey] == FileFormat.kind else {
            throw .prunedFileCorrupt(path: path, reason: "its metadata does not mark it as a pruned model")
        }
        let found = file.metadata[FileFormat.fingerprintKey]
        guard found == fingerprint else { throw .prunedFileFingerprintMismatch(path: path, expected: fingerprint, found: found) }
        guard let sparsity = file.metadata[FileFormat.sparsityKey].flatMap(Double.init), (0..<1).contains(sparsity) else {
            throw .prunedFileCorrupt(path: path, reason: "pruning_sparsity is missing or not in [0, 1)")
        }
        var weights = ParameterSet()
        var maskNames: [String] = []
        for name in file.names {
            if name.hasPrefix(FileFormat.maskPrefix) { maskNames.append(name); continue }
            guard let entry = file.entry(name) else { throw .prunedFileCorrupt(path: path, reason: "no tensor \(name)") }
            do { weights[name] = Tensor(shape: entry.shape, scalars: try file.floats(name)) } catch {
                throw .prunedFileCorrupt(path: path, reason: "\(error)")
            }
        }
        let model: UNet2DModel
        do { model = try UNet2DModel(config: config, parameters: weights) } catch {
            guard case .parameterMismatch(let mismatch) = error else { throw .prunedFileCorrupt(path: path, reason: "\(error)") }
            throw .prunedFileDoesNotMatchConfig(path: path, mismatch)
        }
        let masks = try readMasks(file, names: maskNames, weights: model.parameters, path: path)
        let nonFinite = model.parameters.namesOfNonFiniteTensors
        guard nonFinite.isEmpty else { throw .prunedFileCorrupt(path: path, reason: "non-finite weights in \(nonFinite.joined(separator: ", "))") }
        return PrunedModel(parameters: model.parameters, masks: masks, sparsity: sparsity)
    }

    /// The masks of every prunable weight, checked against the weights: same shapes, only 0 and
    /// 1, and zero weights wherever the mask is 0.
    private static func readMasks(
        _ file: SafeTensorsFile, names: [String], weights: ParameterSet, path: String
    ) throws(ValuationError) -> [String: Tensor] {
        let prunable = Set(weights.entries.filter { isPrunable(shape: $0.tensor.shape) }.map(\.name))
        let masked = Set(names.map { String($0.dropFirst(FileFormat.maskPrefix.count)) })
        guard masked == prunable else {
            throw .prunedFileCorrupt(path: path, reason: "masks are not exactly one per convolution and linear weight")
        }
        var masks: [String: Tensor] = [:]
        for name in prunable.sorted() {
            let weight = weights[name]!
            let values: [UInt8]
            do { values = try file.uint8s(FileFormat.maskPrefix + name) } catch { throw .prunedFileCorrupt(path: path, reason: "\(error)") }
            guard file.entry(FileFormat.maskPrefix + name)?.shape == weight.shape, values.allSatisfy({ $0 <= 1 }) else {
                throw .prunedFileCorrupt(path: path, reason: "the mask of \(name) is not a 0/1 tensor of its shape")
            }
            guard zip(values, weight.scalars).allSatisfy({ $0 == 1 || $1 == 0 }) else {
                throw .prunedFileCorrupt(path: path, reason: "\(name) has non-zero pruned weights")
            }
            masks[name] = Tensor(shape: weight.shape, scalars: values.map(Float.init))
        }
        return masks
    }
}
