extension Tape {
    /// Adds a per-example, per-channel vector at every position: `y[n, …, c] = x[n, …, c] + bias[n, c]`
    /// (e.g. a ResNet block's projected time embedding).
    ///
    /// - Parameters:
    ///   - x: `[N, ..., C]`.
    ///   - bias: `[N, C]`.
    public func addPerChannel(_ x: Variable, _ bias: Variable) -> Variable {
        let input = value(x)
        let biasValue = value(bias)
        let layout = ChannelBroadcastLayout(shape: input.shape, perChannel: biasValue.shape)
        let output = layout.map(input, biasValue) { x, b in x + b }
        let needsInput = requiresGradient(x)
        let needsBias = requiresGradient(bias)
        return record(output, operands: [x, bias]) { gradient in
            var contributions: [(Variable, Tensor)] = []
            if needsInput { contributions.append((x, gradient)) }
            if needsBias { contributions.append((bias, layout.sumOverPositions(gradient))) }
            return contributions
        }
    }

    /// FiLM-style modulation `y = x · (1 + scale) + shift` with per-example, per-channel `scale`
    /// and `shift` (a ResNet block's "scale_shift" time-embedding norm).
    ///
    /// - Parameters:
    ///   - x: `[N, ..., C]`.
    ///   - scale: `[N, C]`.
    ///   - shift: `[N, C]`.
    public func scaleShiftPerChannel(_ x: Variable, scale: Variable, shift: Variable) -> Variable {
        let input = value(x)
        let scaleValue = value(scale)
        let shiftValue = value(shift)
        let layout = ChannelBroadcastLayout(shape: input.shape, perChannel: scaleValue.shape)
        precondition(shiftValue.shape == scaleValue.shape,
                     "scaleShiftPerChannel: shift \(shiftValue.shape) vs scale \(scaleValue.shape)")
        let output = layout.map(input, scaleValue, shiftValue) { x, s, b in x * (1 + s) + b }
        let needs = (input: requiresGradient(x), scale: requiresGradient(scale), shift: requiresGradient(shift))
        return record(output, operands: [x, scale, shift]) { gradient in
            var contributions: [(Variable, Tensor)] = []
            if needs.input { contributions.append((x, layout.map(gradient, scaleValue) { dy, s in dy * (1 + s) })) }
            if needs.scale { contributions.append((scale, layout.sumOverPositions(gradient, times: input))) }
            if needs.shift { contributions.append((shift, layout.sumOverPositions(gradient))) }
            return contributions
        }
    }
}

/// A channels-last `[N, ..., C]` tensor paired with per-example, per-channel `[N, C]` tensors.
private struct ChannelBroadcastLayout {
    let examples, positions, channels: Int

    init(shape: [Int], perChannel: [Int]) {
        precondition(shape.count >= 2 && perChannel == [shape[0], shape[shape.count - 1]],
                     "per-channel operand \(perChannel) does not match [N, C] of \(shape)")
        examples = shape[0]
        channels = shape[shape.count - 1]
        positions = shape.dropFirst().dropLast().reduce(1, *)
    }

    /// `function(x, p)` at every element, with `p` the `[N, C]` operand's entry for the element's
    /// example and channel; a new tensor of `x`'s shape.
    func map(_ tensor: Tensor, _ perChannel: Tensor, _ function: (FloatVector, FloatVector) -> FloatVector) -> Tensor {
        map(tensor, perChannel, perChannel) { x, p, _ in function(x, p) }
    }

    /// `function(x, p, q)` at every element, with `p` and `q` the entries of two `[N, C]`
    /// operands for the element's example and channel; a new tensor of `x`'s shape.
    func map(_ tensor: Tensor, _ first: Tensor, _ second: Tensor,
             _ function: (FloatVector, FloatVector, FloatVector) -> FloatVector) -> Tensor {
        Tensor(shape: tensor.shape) { output in
            tensor.scalars.withUnsafeBufferPointer { x in
                first.scalars.withUnsafeBufferPointer { p in
                    second.scalars.withUnsafeBufferPointer { q in
                        guard let x = x.baseAddress, let p = p.baseAddress, let q = q.baseAddress,
                              let y = output.baseAddress else { return }
                        for example in 0..<examples {
                            let table = example * channels
                            for position in 0..<positions {
                                let row = (example * positions + position) * channels
                                VectorLoop.forEachVector(count: channels) { channel, lanes in
                                    let value = function(x.loadVector(at: row + channel, lanes: lanes),
                                                         p.loadVector(at: table + channel, lanes: lanes),
                                                         q.loadVector(at: table + channel, lanes: lanes))
                                    y.storeVector(value, at: row + channel, lanes: lanes)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Sums a `[N, ..., C]` tensor over its positions, giving `[N, C]`; with `factor`, sums the
    /// elementwise product `tensor ⊙ factor` instead.
    func sumOverPositions(_ tensor: Tensor, times factor: Tensor? = nil) -> Tensor {
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: channels)
        defer { sums.deallocate() }
        let block = positions * channels
        return Tensor(shape: [examples, channels]) { result in
            tensor.scalars.withUnsafeBufferPointer { t in
                (factor ?? tensor).scalars.withUnsafeBufferPointer { f in
                    guard let t = t.baseAddress, let f = f.baseAddress else {
                        return result.initialize(repeating: 0)
                    }
                    for example in 0..<examples {
                        let (terms, factors) = (t + example * block, f + example * block)
                        ChannelSums.compute(positions: positions, channels: channels, into: sums) { offset, _, lanes in
                            let term = terms.loadVector(at: offset, lanes: lanes)
                            return factor == nil ? term : term * factors.loadVector(at: offset, lanes: lanes)
                        }
                        for channel in 0..<channels { result[example * channels + channel] = Float(sums[channel]) }
                    }
                }
            }
        }
    }
}
