import Foundation
import SafeTensors

extension UNet2DModel {
    /// The config file of a diffusers model folder.
    public static let configFileName = "config.json"
    /// The weights file of a diffusers model folder.
    public static let weightsFileName = "diffusion_pytorch_model.safetensors"

    /// Loads a folder written by diffusers' `UNet2DModel.save_pretrained` (or by ``save(unetFolder:)``):
    /// `config.json` and `diffusion_pytorch_model.safetensors` with F32, F16 or BF16 weights.
    public static func load(unetFolder folder: URL) throws(UNet2DModelError) -> UNet2DModel {
        let configURL = folder.appendingPathComponent(configFileName)
        let configData = try contents(of: configURL)
        let config: UNet2DConfig
        do {
            config = try UNet2DConfig.decode(fromJSON: configData)
        } catch {
            throw .invalidConfig(path: configURL.path, error)
        }

        let weightsURL = folder.appendingPathComponent(weightsFileName)
        guard FileManager.default.fileExists(atPath: weightsURL.path) else { throw .missingFile(path: weightsURL.path) }
        let parameters: ParameterSet
        do {
            parameters = try ParameterSet(safeTensors: SafeTensorsFile(contentsOf: weightsURL))
        } catch {
            throw .invalidWeights(path: weightsURL.path, error)
        }
        let nonFinite = parameters.namesOfNonFiniteTensors
        guard nonFinite.isEmpty else { throw .nonFiniteWeights(path: weightsURL.path, names: nonFinite) }
        do {
            return try UNet2DModel(config: config, parameters: parameters)
        } catch {
            guard case .parameterMismatch(let mismatch) = error else { throw error }
            throw .weightsDoNotMatchConfig(path: weightsURL.path, mismatch)
        }
    }

    /// Writes `config.json` and `diffusion_pytorch_model.safetensors` (F32) into `folder`,
    /// creating it if needed, each file atomically, so diffusers' `from_pretrained` loads it.
    public func save(unetFolder folder: URL) throws(UNet2DModelError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(path: folder.path, reason: error.localizedDescription)
        }
        let configURL = folder.appendingPathComponent(Self.configFileName)
        do {
            try config.jsonData().write(to: configURL, options: .atomic)
        } catch {
            throw .writeFailed(path: configURL.path, reason: error.localizedDescription)
        }
        let weightsURL = folder.appendingPathComponent(Self.weightsFileName)
        do {
            try parameters.safeTensorsWriter().write(to: weightsURL)
        } catch {
            throw .writeFailed(path: weightsURL.path, reason: error.description)
        }
    }

    /// The bytes of `url`, distinguishing a missing file from an unreadable one.
    private static func contents(of url: URL) throws(UNet2DModelError) -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else { throw .missingFile(path: url.path) }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .unreadableFile(path: url.path, reason: error.localizedDescription)
        }
    }
}
