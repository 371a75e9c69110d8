extension Tape {
    /// Group normalisation over channels-last input (PyTorch's `nn.GroupNorm` with affine parameters).
    ///
    /// For each example and each group of `C / groups` consecutive channels, the mean and the
    /// biased variance are taken over all positions and the group's channels; the output is
    /// `(x − mean) / √(variance + epsilon) · gamma + beta`.
    ///
    /// - Parameters:
    ///   - x: `[N, ..., C]` (e.g. `[N, H, W, C]` or `[N, T, C]`).
    ///   - groups: Number of groups; must divide C.
    ///   - gamma: Per-channel scale `[C]`.
    ///   - beta: Per-channel shift `[C]`.
    ///   - epsilon: Added to the variance (diffusers uses 1e-5 or 1e-6 depending on the block).
    public func groupNorm(_ x: Variable, groups: Int, gamma: Variable, beta: Variable, epsilon: Float) -> Variable {
        let input = value(x)
        let gammaValue = value(gamma)
        let betaValue = value(beta)
        let layout = GroupNormLayout(shape: input.shape, groups: groups)
        precondition(gammaValue.shape == [layout.channels] && betaValue.shape == [layout.channels],
                     "groupNorm: gamma \(gammaValue.shape) / beta \(betaValue.shape) for \(layout.channels) channels")
        let statistics = layout.statistics(of: input, epsilon: epsilon)
        let output = layout.normalize(input, statistics: statistics, gamma: gammaValue, beta: betaValue)

        let needs = (input: requiresGradient(x), gamma: requiresGradient(gamma), beta: requiresGradient(beta))
        return record(output, operands: [x, gamma, beta]) { gradient in
            let gradients = layout.backward(gradient, input: input, statistics: statistics, gamma: gammaValue,
                                            needsInput: needs.input)
            var contributions: [(Variable, Tensor)] = []
            if needs.input, let inputGradient = gradients.input { contributions.append((x, inputGradient)) }
            if needs.gamma { contributions.append((gamma, gradients.gamma)) }
            if needs.beta { contributions.append((beta, gradients.beta)) }
            return contributions
        }
    }
}

/// How a channels-last tensor splits into examples, positions and channel groups.
private struct GroupNormLayout {
    let examples, positions, channels, groups, groupSize: Int

    /// Per (example, group) mean and reciprocal standard deviation, index `example · groups + group`.
    struct Statistics {
        var mean: [Float]
        var reciprocalDeviation: [Float]
    }

    init(shape: [Int], groups: Int) {
        precondition(shape.count >= 2, "groupNorm input must be [N, ..., C], got \(shape)")
        channels = shape[shape.count - 1]
        precondition(groups > 0 && channels % groups == 0,
                     "groupNorm: \(groups) groups do not divide \(channels) channels")
        examples = shape[0]
        positions = shape.dropFirst().dropLast().reduce(1, *)
        self.groups = groups
        groupSize = channels / groups
    }

    /// Mean and biased variance per (example, group) in two passes, accumulated in `Double`
    /// per channel (a loop over contiguous channels vectorises), then combined per group.
    func statistics(of input: Tensor, epsilon: Float) -> Statistics {
        var result = Statistics(mean: .init(repeating: 0, count: examples * groups),
                                reciprocalDeviation: .init(repeating: 0, count: examples * groups))
        let elements = Double(positions * groupSize)
        let channelSum = UnsafeMutablePointer<Double>.allocate(capacity: channels)
        let channelMean = UnsafeMutablePointer<Double>.allocate(capacity: channels)
        defer { channelSum.deallocate(); channelMean.deallocate() }
        input.scalars.withUnsafeBufferPointer { x in
            for example in 0..<examples {
                let data = x.baseAddress! + example * positions * channels
                channelSum.initialize(repeating: 0, count: channels)
                for position in 0..<positions {
                    let row = data + position * channels
                    for channel in 0..<channels { channelSum[channel] += Double(row[channel]) }
                }
                for group in 0..<groups {
                    let members = (group * groupSize)..<((group + 1) * groupSize)
                    let mean = members.reduce(0.0) { $0 + channelSum[$1] } / elements
                    for channel in members { channelMean[channel] = mean }
                }
                channelSum.update(repeating: 0, count: channels)
                for position in 0..<positions {
                    let row = data + position * channels
                    for channel in 0..<channels {
                        let deviation = Double(row[channel]) - channelMean[channel]
                        channelSum[channel] += deviation * deviation
                    }
                }
                for group in 0..<groups {
                    let members = (group * groupSize)..<((group + 1) * groupSize)
                    let variance = members.reduce(0.0) { $0 + channelSum[$1] } / elements
                    result.mean[example * groups + group] = Float(channelMean[group * groupSize])
                    let deviation = (variance + Double(epsilon)).squareRoot()
                    result.reciprocalDeviation[example * groups + group] = Float(1 / deviation)
                }
            }
        }
        return result
    }

    /// `(x − mean) · rstd · gamma + beta`, as `x · a[c] + b[c]` with per-example channel coefficients.
    func normalize(_ input: Tensor, statistics: Statistics, gamma: Tensor, beta: Tensor) -> Tensor {
        var output = Tensor(zerosLike: input)
        let scale = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        let shift = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { scale.deallocate(); shift.deallocate() }
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                for example in 0..<examples {
                    for channel in 0..<channels {
                        let stat = example * groups + channel / groupSize
                        scale[channel] = statistics.reciprocalDeviation[stat] * gamma.scalars[channel]
                        shift[channel] = beta.scalars[channel] - statistics.mean[stat] * scale[channel]
                    }
                    for position in 0..<positions {
                        let offset = (example * positions + position) * channels
                        let (source, destination) = (x.baseAddress! + offset, y.baseAddress! + offset)
                        for channel in 0..<channels {
                            destination[channel] = source[channel] * scale[channel] + shift[channel]
                        }
                    }
                }
            }
        }
        return output
    }

    /// Gradients of the normalisation, with `x̂ = (x − mean) · rstd` and `ĝ = dy · gamma`:
    /// `dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))` (means over the group),
    /// `dgamma = Σ dy · x̂`, `dbeta = Σ dy`.
    func backward(_ gradient: Tensor, input: Tensor, statistics: Statistics, gamma: Tensor,
                  needsInput: Bool) -> (input: Tensor?, gamma: Tensor, beta: Tensor) {
        var gammaGradient = [Float](repeating: 0, count: channels)
        var betaGradient = [Float](repeating: 0, count: channels)
        var inputGradient = [Float](repeating: 0, count: needsInput ? input.count : 0)
        // Per-channel scratch reused for every example: x̂ = x · normScale + normShift, and
        // dx = dy · dyFactor + x · xFactor + offset.
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * channels)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 5 * channels)
        defer { sums.deallocate(); coefficients.deallocate() }
        let (sumGradient, sumGradientNormalized) = (sums, sums + channels)
        let (normScale, normShift) = (coefficients, coefficients + channels)
        let dyFactor = coefficients + 2 * channels
        let xFactor = coefficients + 3 * channels
        let offset = coefficients + 4 * channels
        let elements = Double(positions * groupSize)
        input.scalars.withUnsafeBufferPointer { x in
            gradient.scalars.withUnsafeBufferPointer { dy in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    for example in 0..<examples {
                        for channel in 0..<channels {
                            let stat = example * groups + channel / groupSize
                            normScale[channel] = statistics.reciprocalDeviation[stat]
                            normShift[channel] = -statistics.mean[stat] * normScale[channel]
                        }
                        sums.initialize(repeating: 0, count: 2 * channels)
                        for position in 0..<positions {
                            let start = (example * positions + position) * channels
                            let (xs, dys) = (x.baseAddress! + start, dy.baseAddress! + start)
                            for channel in 0..<channels {
                                let normalized = xs[channel] * normScale[channel] + normShift[channel]
                                sumGradient[channel] += Double(dys[channel])
                                sumGradientNormalized[channel] += Double(dys[channel] * normalized)
                            }
                        }
                        for channel in 0..<channels {
                            betaGradient[channel] += Float(sumGradient[channel])
                            gammaGradient[channel] += Float(sumGradientNormalized[channel])
                        }
                        guard needsInput else { continue }
                        for group in 0..<groups {
                            let members = (group * groupSize)..<((group + 1) * groupSize)
                            // mean(ĝ) and mean(ĝ · x̂) over the group.
                            let totalG = members.reduce(0.0) { $0 + Double(gamma.scalars[$1]) * sumGradient[$1] }
                            let totalGX = members.reduce(0.0) { $0 + Double(gamma.scalars[$1]) * sumGradientNormalized[$1] }
                            let (meanG, meanGX) = (Float(totalG / elements), Float(totalGX / elements))
                            for channel in members {
                                // −rstd · (x̂ · mean(ĝx̂) + mean(ĝ)), with x̂ expanded in x.
                                let rstd = normScale[channel]
                                dyFactor[channel] = rstd * gamma.scalars[channel]
                                xFactor[channel] = -rstd * rstd * meanGX
                                offset[channel] = -rstd * (normShift[channel] * meanGX + meanG)
                            }
                        }
                        for position in 0..<positions {
                            let start = (example * positions + position) * channels
                            let (xs, dys, dxs) = (x.baseAddress! + start, dy.baseAddress! + start, dx.baseAddress! + start)
                            for channel in 0..<channels {
                                dxs[channel] = dys[channel] * dyFactor[channel] + xs[channel] * xFactor[channel]
                                    + offset[channel]
                            }
                        }
                    }
                }
            }
        }
        return (needsInput ? Tensor(shape: input.shape, scalars: inputGradient) : nil,
                Tensor(shape: [channels], scalars: gammaGradient), Tensor(shape: [channels], scalars: betaGradient))
    }
}
