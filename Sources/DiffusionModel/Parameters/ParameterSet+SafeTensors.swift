import Numerics
import SafeTensors

extension ParameterSet {
    /// Every tensor of a safetensors file, converted to Float32 (F32, F16, BF16 and F64 are
    /// read), in the file's header order.
    public init(safeTensors file: SafeTensorsFile) throws(SafeTensorsError) {
        self.init()
        for name in file.names {
            guard let entry = file.entry(name) else { throw .tensorNotFound(name) }
            self[name] = Tensor(shape: entry.shape, scalars: try file.floats(name))
        }
    }

    /// A writer holding every tensor as F32, in order, with diffusers' `format: pt` metadata.
    public func safeTensorsWriter() -> SafeTensorsWriter {
        var writer = SafeTensorsWriter(metadata: ["format": "pt"])
        for (name, tensor) in entries {
            writer.add(name, float32: tensor.scalars, shape: tensor.shape)
        }
        return writer
    }
}
