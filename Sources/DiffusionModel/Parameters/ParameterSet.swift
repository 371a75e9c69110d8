import Numerics

/// A model's parameter tensors by name, in a fixed order.
///
/// Names are diffusers' state-dict keys (e.g. `down_blocks.0.resnets.0.conv1.weight`) and shapes
/// are PyTorch's (conv `[Cout, Cin, kh, kw]`, linear `[out, in]`), so a set maps one to one onto
/// a `diffusion_pytorch_model.safetensors` file. The order is the model's state-dict order; it
/// decides the order of files written and of parameter-wise reports, never any arithmetic.
public struct ParameterSet: Sendable, Equatable {
    /// Parameter names in order.
    public private(set) var names: [String] = []
    /// Parameter tensors by name.
    public private(set) var tensors: [String: Tensor] = [:]

    /// An empty set.
    public init() {}

    /// A set holding `entries` in the given order; a repeated name replaces the earlier tensor
    /// but keeps its position.
    public init(_ entries: [(name: String, tensor: Tensor)]) {
        for (name, tensor) in entries { self[name] = tensor }
    }

    /// The tensor named `name`, or `nil`. Assigning a new name appends it; assigning `nil`
    /// removes the name.
    public subscript(name: String) -> Tensor? {
        get { tensors[name] }
        set {
            if let newValue {
                if tensors.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if tensors.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    /// `(name, tensor)` pairs in order.
    public var entries: [(name: String, tensor: Tensor)] {
        names.compactMap { name in tensors[name].map { (name, $0) } }
    }

    /// Number of parameter tensors.
    public var count: Int { names.count }

    /// Number of scalars over all tensors.
    public var scalarCount: Int { tensors.values.reduce(0) { $0 + $1.count } }

    /// Records every tensor on `tape`, as leaves (whose gradients the backward pass reports)
    /// or, when `requiringGradients` is false, as constants (for sampling without gradients).
    public func record(on tape: Tape, requiringGradients: Bool = true) -> [String: Variable] {
        var variables: [String: Variable] = [:]
        for (name, tensor) in entries {
            variables[name] = requiringGradients ? tape.leaf(tensor) : tape.constant(tensor)
        }
        return variables
    }

    /// Names of the tensors holding a NaN or an infinity, in order.
    public var namesOfNonFiniteTensors: [String] {
        entries.filter { !$0.tensor.isFinite }.map(\.name)
    }
}
