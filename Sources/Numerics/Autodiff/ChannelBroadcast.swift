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
        var output = input
        output.scalars.withUnsafeMutableBufferPointer { y in
            biasValue.scalars.withUnsafeBufferPointer { b in
                layout.forEachPosition { example, start in
                    for channel in 0..<layout.channels { y[start + channel] += b[example * layout.channels + channel] }
                }
            }
        }
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
        var output = input
        output.scalars.withUnsafeMutableBufferPointer { y in
            scaleValue.scalars.withUnsafeBufferPointer { s in
                shiftValue.scalars.withUnsafeBufferPointer { b in
                    layout.forEachPosition { example, start in
                        let row = example * layout.channels
                        for channel in 0..<layout.channels {
                            y[start + channel] = y[start + channel] * (1 + s[row + channel]) + b[row + channel]
                        }
                    }
                }
            }
        }
        let needs = (input: requiresGradient(x), scale: requiresGradient(scale), shift: requiresGradient(shift))
        return record(output, operands: [x, scale, shift]) { gradient in
            var contributions: [(Variable, Tensor)] = []
            if needs.input {
                var inputGradient = gradient
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    scaleValue.scalars.withUnsafeBufferPointer { s in
                        layout.forEachPosition { example, start in
                            let row = example * layout.channels
                            for channel in 0..<layout.channels { dx[start + channel] *= 1 + s[row + channel] }
                        }
                    }
                }
                contributions.append((x, inputGradient))
            }
            if needs.scale {
                var product = gradient
                product.scalars.withUnsafeMutableBufferPointer { g in
                    input.scalars.withUnsafeBufferPointer { xs in
                        for i in 0..<g.count { g[i] *= xs[i] }
                    }
                }
                contributions.append((scale, layout.sumOverPositions(product)))
            }
            if needs.shift { contributions.append((shift, layout.sumOverPositions(gradient))) }
            return contributions
        }
    }
}

/// A channels-last `[N, ..., C]` tensor paired with a per-example, per-channel `[N, C]` tensor.
private struct ChannelBroadcastLayout {
    let examples, positions, channels: Int

    init(shape: [Int], perChannel: [Int]) {
        precondition(shape.count >= 2 && perChannel == [shape[0], shape[shape.count - 1]],
                     "per-channel operand \(perChannel) does not match [N, C] of \(shape)")
        examples = shape[0]
        channels = shape[shape.count - 1]
        positions = shape.dropFirst().dropLast().reduce(1, *)
    }

    /// Calls `body(example, start)` with the flat index of channel 0 at every position.
    func forEachPosition(_ body: (_ example: Int, _ start: Int) -> Void) {
        for example in 0..<examples {
            for position in 0..<positions { body(example, (example * positions + position) * channels) }
        }
    }

    /// Sums a `[N, ..., C]` tensor over its positions, giving `[N, C]`.
    func sumOverPositions(_ tensor: Tensor) -> Tensor {
        var sums = Tensor(shape: [examples, channels])
        tensor.scalars.withUnsafeBufferPointer { t in
            sums.scalars.withUnsafeMutableBufferPointer { s in
                forEachPosition { example, start in
                    let row = example * channels
                    for channel in 0..<channels { s[row + channel] += t[start + channel] }
                }
            }
        }
        return sums
    }
}
