import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// Fixture access, error measures and tiny models shared by the UNet and parameter tests.
enum UNetTestSupport {
    /// The two diffusers-written model folders in the fixtures.
    static let fixtureModels = ["unet-attn-scaleshift", "unet-default-3level"]

    /// The test bundle's fixture folder.
    static func fixturesFolder() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
    }

    /// The `unet` folder of fixture model `name`.
    static func unetFolder(_ name: String) throws -> URL {
        try fixturesFolder().appendingPathComponent(name).appendingPathComponent("unet")
    }

    /// The io file (inputs, outputs, gradients) of fixture model `name`.
    static func ioFile(_ name: String) throws -> SafeTensorsFile {
        try SafeTensorsFile(contentsOf: fixturesFolder().appendingPathComponent("\(name)-io.safetensors"))
    }

    /// A float tensor of a safetensors file, with its stored shape.
    static func tensor(_ file: SafeTensorsFile, _ name: String) throws -> Tensor {
        let entry = try #require(file.entry(name), "no tensor \(name) in the file")
        return Tensor(shape: entry.shape, scalars: try file.floats(name))
    }

    /// `‖ours − reference‖₂ / ‖reference‖₂`, accumulated in Double.
    static func normRelativeError(_ ours: Tensor, _ reference: Tensor) -> Double {
        precondition(ours.count == reference.count, "compared \(ours.shape) with \(reference.shape)")
        var difference = 0.0, norm = 0.0
        for (a, b) in zip(ours.scalars, reference.scalars) {
            difference += (Double(a) - Double(b)) * (Double(a) - Double(b))
            norm += Double(b) * Double(b)
        }
        return (difference / max(norm, .leastNormalMagnitude)).squareRoot()
    }

    /// Largest absolute elementwise difference.
    static func maxAbsDifference(_ ours: Tensor, _ reference: Tensor) -> Float {
        precondition(ours.count == reference.count, "compared \(ours.shape) with \(reference.shape)")
        return zip(ours.scalars, reference.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }

    /// Largest absolute element.
    static func maxAbs(_ tensor: Tensor) -> Float {
        tensor.scalars.reduce(0) { max($0, abs($1)) }
    }

    /// A two-level model small enough for finite differences: every block kind (plain and
    /// attention down/up blocks, mid attention), a channel change (so 1x1 shortcuts), 2 heads.
    static func tinyConfig(timeScaleShift: UNet2DConfig.TimeScaleShift = .scaleShift, downsamplePadding: Int = 1,
                           centerInputSample: Bool = false) throws -> UNet2DConfig {
        try UNet2DConfig(
            sampleSize: 4, inChannels: 2, outChannels: 2, centerInputSample: centerInputSample, freqShift: 1,
            downBlockTypes: [.downBlock2D, .attnDownBlock2D], upBlockTypes: [.attnUpBlock2D, .upBlock2D],
            blockOutChannels: [4, 8], layersPerBlock: 1, midBlockScaleFactor: 2, downsamplePadding: downsamplePadding,
            attentionHeadDim: 4, normNumGroups: 2, attnNormNumGroups: 4, resnetTimeScaleShift: timeScaleShift)
    }

    /// Parameters with no tensor left at its initial 0 or 1, as in the fixtures: weights
    /// N(0, 1/fan_in), group norm scales 1 + N(0, 0.1²), other vectors N(0, 0.1²).
    static func randomizedParameters(for config: UNet2DConfig, seed: UInt64) -> ParameterSet {
        var generator = SeededGenerator(keys: 0xF1D0, seed)
        return ParameterSet(UNet2DModel.parameterSpecs(for: config).map { spec in
            let normals = generator.normals(count: spec.scalarCount)
            let scalars: [Float]
            if spec.shape.count >= 2 {
                let fanIn = spec.shape.dropFirst().reduce(1, *)
                scalars = normals.map { $0 / Float(fanIn).squareRoot() }
            } else if case .constant(1) = spec.initialization {
                scalars = normals.map { 1 + 0.1 * $0 }
            } else {
                scalars = normals.map { 0.1 * $0 }
            }
            return (spec.name, Tensor(shape: spec.shape, scalars: scalars))
        })
    }

    /// A standard normal `[N, H, W, C]` tensor.
    static func normalTensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(keys: 0xDA7A, seed)
        return Tensor(shape: shape, scalars: generator.normals(count: shape.reduce(1, *)))
    }

    /// A fresh temporary folder, removed by the caller.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("unet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A layer observer that keeps every observation.
final class UNetRecordingObserver: LayerObserver {
    struct Observation {
        let layer: String
        let inputs: Tensor
        let outputGradients: Tensor
        let examples: Int
        let hasBias: Bool
    }

    private(set) var observations: [Observation] = []

    func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool) {
        observations.append(Observation(layer: layer, inputs: inputs, outputGradients: outputGradients,
                                        examples: examples, hasBias: hasBias))
    }
}
