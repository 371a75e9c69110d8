import ContributorValuation
import DiffusionModel
import Foundation
import Numerics
import Testing

/// Pruned models round-trip through safetensors files, and files made for something else are refused.
@Suite struct PrunedModelFileTests {
    private func prunedModel() throws -> PrunedModel {
        try MagnitudePruning(sparsity: 0.7).prune(UNet2DModel(config: try ValuationTestSupport.tinyConfig(), seed: 9).parameters)
    }

    @Test func roundTripsThroughAFile() throws {
        let folder = try ValuationTestSupport.temporaryFolder()
        defer { ValuationTestSupport.remove(folder) }
        let url = folder.appendingPathComponent("pruned.safetensors")
        let pruned = try prunedModel()
        try pruned.write(to: url, fingerprint: "checkpoint-400 data-7f3a sparsity-0.7")
        let read = try PrunedModel.read(contentsOf: url, config: try ValuationTestSupport.tinyConfig(),
                                        fingerprint: "checkpoint-400 data-7f3a sparsity-0.7")
        #expect(read == pruned)
        #expect(read.parameters.names == pruned.parameters.names)
    }

    @Test func aWrongFingerprintIsRefused() throws {
        let folder = try ValuationTestSupport.temporaryFolder()
        defer { ValuationTestSupport.remove(folder) }
        let url = folder.appendingPathComponent("pruned.safetensors")
        try prunedModel().write(to: url, fingerprint: "old")
        #expect(throws: ValuationError.prunedFileFingerprintMismatch(path: url.path, expected: "new", found: "old")) {
            try PrunedModel.read(contentsOf: url, config: try ValuationTestSupport.tinyConfig(), fingerprint: "new")
        }
    }

    @Test func weightsOfAnotherArchitectureAreRefused() throws {
        let folder = try ValuationTestSupport.temporaryFolder()
        defer { ValuationTestSupport.remove(folder) }
        let url = folder.appendingPathComponent("pruned.safetensors")
        try prunedModel().write(to: url, fingerprint: "f")
        let wider = try UNet2DConfig(
            sampleSize: 4, inChannels: 2, outChannels: 1,
            downBlockTypes: [.downBlock2D, .attnDownBlock2D], upBlockTypes: [.attnUpBlock2D, .upBlock2D],
            blockOutChannels: [4, 8], layersPerBlock: 1, attentionHeadDim: 4, normNumGroups: 2, resnetTimeScaleShift: .scaleShift)
        let error = #expect(throws: ValuationError.self) { try PrunedModel.read(contentsOf: url, config: wider, fingerprint: "f") }
        guard case .prunedFileDoesNotMatchConfig(_, let mismatch) = error else { Issue.record("unexpected \(String(describing: error))"); return }
        #expect(mismatch.wrongShapes.map(\.name) == ["conv_in.weight"])
    }

    @Test func otherSafetensorsFilesAndMissingFilesAreRefused() throws {
        let folder = try ValuationTestSupport.temporaryFolder()
        defer { ValuationTestSupport.remove(folder) }
        let shard = folder.appendingPathComponent("shard-00000.safetensors")
        try DataShard(images: ValuationTestSupport.images, ids: ValuationTestSupport.ids).write(to: shard, asUInt8: false)
        let config = try ValuationTestSupport.tinyConfig()
        let error = #expect(throws: ValuationError.self) { try PrunedModel.read(contentsOf: shard, config: config, fingerprint: "f") }
        guard case .prunedFileCorrupt = error else { Issue.record("unexpected \(String(describing: error))"); return }

        let missing = folder.appendingPathComponent("absent.safetensors")
        let missingError = #expect(throws: ValuationError.self) { try PrunedModel.read(contentsOf: missing, config: config, fingerprint: "f") }
        guard case .prunedFileIO(let path, _) = missingError else { Issue.record("unexpected \(String(describing: missingError))"); return }
        #expect(path == missing.path)
    }
}
