/// A handle to a value recorded on a ``Tape``.
public struct Variable: Hashable, Sendable {
    /// Position of the value on its tape.
    public let id: Int
}

/// Receives, during a backward pass, the inputs and output gradients of every observed
/// Linear and Conv2d layer: the raw material of K-FAC factors and per-example gradients.
public protocol LayerObserver: AnyObject {
    /// Called once per observed layer application during ``Tape/backward(from:seed:)``.
    ///
    /// - Parameters:
    ///   - layer: The layer's parameter-name prefix (e.g. `down_blocks.0.resnets.0.conv1`).
    ///   - inputs: `[examples × positions, dIn]`: the layer's input rows (im2col patches for a
    ///     convolution, in PyTorch's `(Cin, kh, kw)` order), grouped by example.
    ///   - outputGradients: `[examples × positions, dOut]`: gradients of the backward seed with
    ///     respect to the layer's outputs, same row order.
    ///   - examples: Number of examples; rows per example = `inputs.shape[0] / examples`.
    ///   - hasBias: Whether the layer has a bias (whose gradient is the row sum of `outputGradients`).
    func observe(layer: String, inputs: Tensor, outputGradients: Tensor, examples: Int, hasBias: Bool)
}

/// A reverse-mode automatic differentiation tape.
///
/// Operations (extensions in this folder) compute their result eagerly and record a pullback
/// that maps the gradient of the result to gradients of their operands. ``backward(from:seed:)``
/// runs the pullbacks in reverse. A tape is used by one task at a time and thrown away after one
/// backward pass; it is deliberately not `Sendable`.
public final class Tape {
    /// Maps the gradient of a node's value to gradient contributions for its operands.
    public typealias Pullback = (Tensor) -> [(Variable, Tensor)]

    private struct Node {
        let value: Tensor
        let requiresGradient: Bool
        let pullback: Pullback?
    }

    private var nodes: [Node] = []

    /// Optional observer of Linear/Conv2d inputs and output gradients during backward.
    public weak var layerObserver: (any LayerObserver)?

    public init() {}

    /// Records a value that needs no gradient (data, noise, timesteps).
    public func constant(_ value: Tensor) -> Variable {
        append(Node(value: value, requiresGradient: false, pullback: nil))
    }

    /// Records a leaf whose gradient ``backward(from:seed:)`` reports (a parameter or an input).
    public func leaf(_ value: Tensor) -> Variable {
        append(Node(value: value, requiresGradient: true, pullback: nil))
    }

    /// The value of a recorded variable.
    public func value(_ variable: Variable) -> Tensor { nodes[variable.id].value }

    /// Whether gradients flow to `variable` (it is a leaf, or depends on one).
    public func requiresGradient(_ variable: Variable) -> Bool { nodes[variable.id].requiresGradient }

    /// Records the result of an operation on `operands`.
    ///
    /// The pullback is kept only if some operand requires a gradient; it must return contributions
    /// only for operands that do (use ``requiresGradient(_:)``).
    public func record(_ value: Tensor, operands: [Variable], pullback: @escaping Pullback) -> Variable {
        let needed = operands.contains { nodes[$0.id].requiresGradient }
        return append(Node(value: value, requiresGradient: needed, pullback: needed ? pullback : nil))
    }

    /// Back-propagates from `output`.
    ///
    /// - Parameters:
    ///   - output: The variable to differentiate.
    ///   - seed: Gradient of the objective with respect to `output`; defaults to ones (so a scalar
    ///     loss gives ordinary gradients).
    /// - Returns: Gradients of every variable that requires one and was reached.
    public func backward(from output: Variable, seed: Tensor? = nil) -> Gradients {
        var gradients = [Tensor?](repeating: nil, count: nodes.count)
        let start = seed ?? Tensor(shape: nodes[output.id].value.shape, repeating: 1)
        precondition(start.shape == nodes[output.id].value.shape, "seed shape \(start.shape) vs output \(nodes[output.id].value.shape)")
        gradients[output.id] = start
        for id in stride(from: output.id, through: 0, by: -1) {
            guard let gradient = gradients[id], let pullback = nodes[id].pullback else { continue }
            for (operand, contribution) in pullback(gradient) where nodes[operand.id].requiresGradient {
                if gradients[operand.id] == nil {
                    gradients[operand.id] = contribution
                } else {
                    gradients[operand.id]!.add(contribution)
                }
            }
            if id != output.id { gradients[id] = nil }  // interior gradients are not kept
        }
        return Gradients(storage: gradients)
    }

    private func append(_ node: Node) -> Variable {
        nodes.append(node)
        return Variable(id: nodes.count - 1)
    }
}

/// Gradients produced by one ``Tape/backward(from:seed:)``, looked up by variable.
public struct Gradients {
    fileprivate let storage: [Tensor?]

    /// The gradient of `variable`, or `nil` if none reached it.
    public subscript(variable: Variable) -> Tensor? { storage[variable.id] }
}
