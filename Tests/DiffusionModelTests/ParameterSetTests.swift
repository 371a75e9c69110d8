import DiffusionModel
import Foundation
import Numerics
import SafeTensors
import Testing

/// Ordered parameter sets, their PyTorch-like initialisation and their safetensors form.
@Suite struct ParameterSetTests {
    @Test func keepsInsertionOrderAcrossReplacementAndRemoval() {
        var set = ParameterSet([("b", Tensor(shape: [1], repeating: 1)), ("a", Tensor(shape: [2], repeating: 2))])
        set["c"] = Tensor(shape: [3], repeating: 3)
        set["a"] = Tensor(shape: [2], repeating: 4)
        #expect(set.names == ["b", "a", "c"] && set["a"]?.scalars == [4, 4])
        set["b"] = nil
        #expect(set.names == ["a", "c"] && set.count == 2 && set.scalarCount == 5 && set["b"] == nil)
        #expect(set.entries.map(\.name) == set.names)
        let repeated = ParameterSet([
            ("x", Tensor(shape: [1], repeating: 1)), ("y", Tensor(shape: [1])), ("x", Tensor(shape: [1], repeating: 5)),
        ])
        #expect(repeated.names == ["x", "y"] && repeated["x"]?.scalars == [5])
    }

    @Test func recordsLeavesOrConstants() throws {
        let set = ParameterSet([("w", Tensor(shape: [2], scalars: [1, 2]))])
        let tape = Tape()
        let leaves = set.record(on: tape)
        let constants = set.record(on: tape, requiringGradients: false)
        #expect(tape.requiresGradient(try #require(leaves["w"])))
        #expect(!tape.requiresGradient(try #require(constants["w"])))
        #expect(tape.value(try #require(leaves["w"])) == set["w"])
    }

    @Test func initialisationFollowsPyTorchDefaultsAndTheSeed() throws {
        let config = try UNetTestSupport.tinyConfig()
        let specs = UNet2DModel.parameterSpecs(for: config)
        let first = ParameterSet(initializing: specs, seed: 1)
        #expect(first == ParameterSet(initializing: specs, seed: 1))
        #expect(first != ParameterSet(initializing: specs, seed: 2))
        #expect(first.names == specs.map(\.name))
        for spec in specs {
            let tensor = try #require(first[spec.name])
            #expect(tensor.shape == spec.shape)
            // Group norms: norm1, norm2, group_norm, conv_norm_out.
            let isNorm = spec.name.split(separator: ".").contains { $0.contains("norm") }
            if isNorm {
                let start: Float = spec.name.hasSuffix(".weight") ? 1 : 0
                #expect(tensor.scalars.allSatisfy { $0 == start }, "\(spec.name) starts at \(start)")
            } else {
                // kaiming_uniform(a=√5) for weights and the bias rule both give bound 1/√fan_in.
                let weightName = spec.name.replacingOccurrences(of: ".bias", with: ".weight")
                let weightShape = try #require(specs.first { $0.name == weightName }).shape
                let bound = 1 / Float(weightShape.dropFirst().reduce(1, *)).squareRoot()
                #expect(tensor.scalars.allSatisfy { abs($0) <= bound }, "\(spec.name) within ±\(bound)")
                if tensor.count >= 64 { #expect(UNetTestSupport.maxAbs(tensor) > 0.8 * bound, "\(spec.name) fills its range") }
            }
        }
    }

    @Test(arguments: [("unet-attn-scaleshift", 48_659, 142), ("unet-default-3level", 103_585, 268)])
    func modelsHaveDiffusersParameterCounts(name: String, scalars: Int, tensors: Int) throws {
        let model = try UNet2DModel.load(unetFolder: UNetTestSupport.unetFolder(name))
        let fresh = UNet2DModel(config: model.config, seed: 0)
        #expect(fresh.parameters.scalarCount == scalars && fresh.parameters.count == tensors)
        #expect(fresh.parameters.names == model.parameters.names)
    }

    @Test func mismatchListsMissingUnexpectedAndWrongShapes() throws {
        let specs = [
            ParameterSpec(name: "a", shape: [2], initialization: .constant(0)),
            ParameterSpec(name: "b", shape: [2, 3], initialization: .uniform(bound: 1)),
        ]
        let good = ParameterSet(initializing: specs, seed: 0)
        #expect(ParameterMismatch(parameters: good, expected: specs) == nil)
        var bad = good
        bad["a"] = nil
        bad["b"] = Tensor(shape: [3, 2])
        bad["z"] = Tensor(shape: [1])
        let mismatch = try #require(ParameterMismatch(parameters: bad, expected: specs))
        #expect(mismatch.missing == ["a"] && mismatch.unexpected == ["z"] && mismatch.wrongShapes.map(\.name) == ["b"])
        #expect(mismatch.description == "missing keys: a; unexpected keys: z; wrong shapes: b (expected [2, 3], found [3, 2])")
    }

    @Test func safeTensorsRoundTripKeepsNamesShapesAndValues() throws {
        var set = ParameterSet(initializing: UNet2DModel.parameterSpecs(for: try UNetTestSupport.tinyConfig()), seed: 9)
        var bias = try #require(set["conv_out.bias"])
        bias.scalars[0] = .infinity
        set["conv_out.bias"] = bias
        let file = try SafeTensorsFile(bytes: set.safeTensorsWriter().serialized())
        let read = try ParameterSet(safeTensors: file)
        #expect(Set(read.names) == Set(set.names))
        for (name, tensor) in set.entries { #expect(read[name] == tensor, "\(name)") }
        #expect(read.namesOfNonFiniteTensors == ["conv_out.bias"])
        #expect(file.metadata == ["format": "pt"])
    }
}
