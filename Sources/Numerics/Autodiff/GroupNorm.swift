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
///
/// Every kernel works one example at a time: its `[positions, C]` block is small enough to stay
/// in cache across the passes over it, and every pass is a vector loop across channels with
/// per-channel coefficients.
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

    /// Elements per example: one block of `positions · channels`.
    var block: Int { positions * channels }

    /// The channels of `group`.
    func members(of group: Int) -> Range<Int> { (group * groupSize)..<((group + 1) * groupSize) }

    /// Σ over the group's channels of per-channel `values`, for every group.
    func groupTotals(_ values: UnsafePointer<Double>) -> [Double] {
        (0..<groups).map { group in members(of: group).reduce(0.0) { $0 + values[$1] } }
    }

    /// Mean and biased variance per (example, group) in two passes (the second over deviations
    /// from the mean, which keeps the variance accurate when the mean is large).
    func statistics(of input: Tensor, epsilon: Float) -> Statistics {
        var result = Statistics(mean: [], reciprocalDeviation: [])
        let elements = Double(positions * groupSize)
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: channels)
        let channelMean = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { sums.deallocate(); channelMean.deallocate() }
        input.scalars.withUnsafeBufferPointer { x in
            for example in 0..<examples {
                let data = x.baseAddress! + example * block
                ChannelSums.compute(positions: positions, channels: channels, into: sums) { offset, _, lanes in
                    data.loadVector(at: offset, lanes: lanes)
                }
                let means = groupTotals(sums).map { Float($0 / elements) }
                for group in 0..<groups {
                    for channel in members(of: group) { channelMean[channel] = means[group] }
                }
                ChannelSums.compute(positions: positions, channels: channels, into: sums) { offset, channel, lanes in
                    let deviation = data.loadVector(at: offset, lanes: lanes)
                        - UnsafePointer(channelMean).loadVector(at: channel, lanes: lanes)
                    return deviation * deviation
                }
                result.mean += means
                result.reciprocalDeviation += groupTotals(sums).map { Float(1 / ($0 / elements + Double(epsilon)).squareRoot()) }
            }
        }
        return result
    }

    /// `(x − mean) · rstd · gamma + beta`, as `x · a[c] + b[c]` with per-example channel coefficients.
    func normalize(_ input: Tensor, statistics: Statistics, gamma: Tensor, beta: Tensor) -> Tensor {
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 2 * channels)
        defer { coefficients.deallocate() }
        let (scale, shift) = (coefficients, coefficients + channels)
        return Tensor(shape: input.shape) { y in
            input.scalars.withUnsafeBufferPointer { x in
                for example in 0..<examples {
                    for channel in 0..<channels {
                        let stat = example * groups + channel / groupSize
                        scale[channel] = statistics.reciprocalDeviation[stat] * gamma.scalars[channel]
                        shift[channel] = beta.scalars[channel] - statistics.mean[stat] * scale[channel]
                    }
                    let start = example * block
                    forEachChannelVector(of: x.baseAddress! + start) { offset, channel, lanes, x in
                        let value = x * UnsafePointer(scale).loadVector(at: channel, lanes: lanes)
                            + UnsafePointer(shift).loadVector(at: channel, lanes: lanes)
                        y.baseAddress!.storeVector(value, at: start + offset, lanes: lanes)
                    }
                }
            }
        }
    }

    /// Gradients of the normalisation, with `x̂ = (x − mean) · rstd` and `ĝ = dy · gamma`:
    /// `dx = rstd · (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂))` (means over the group),
    /// `dgamma = Σ dy · x̂`, `dbeta = Σ dy`.
    func backward(_ gradient: Tensor, input: Tensor, statistics: Statistics, gamma: Tensor,
                  needsInput: Bool) -> (input: Tensor?, gamma: Tensor, beta: Tensor) {
        var gammaTotals = [Double](repeating: 0, count: channels)
        var betaTotals = [Double](repeating: 0, count: channels)
        var inputGradient = needsInput ? Tensor(shape: input.shape, unsafeUninitializedScalarsWith: { _ in }) : nil
        // Per-channel scratch reused for every example: x̂ = x · normScale + normShift, and
        // dx = dy · dyFactor + x · xFactor + offset.
        let sums = UnsafeMutablePointer<Double>.allocate(capacity: 2 * channels)
        let coefficients = UnsafeMutablePointer<Float>.allocate(capacity: 5 * channels)
        defer { sums.deallocate(); coefficients.deallocate() }
        let (sumGradient, sumGradientNormalized) = (sums, sums + channels)
        let (normScale, normShift) = (coefficients, coefficients + channels)
        let (dyFactor, xFactor, offset) = (coefficients + 2 * channels, coefficients + 3 * channels, coefficients + 4 * channels)
        let elements = Double(positions * groupSize)
        input.scalars.withUnsafeBufferPointer { x in
            gradient.scalars.withUnsafeBufferPointer { dy in
                for example in 0..<examples {
                    for channel in 0..<channels {
                        let stat = example * groups + channel / groupSize
                        normScale[channel] = statistics.reciprocalDeviation[stat]
                        normShift[channel] = -statistics.mean[stat] * normScale[channel]
                    }
                    let (xs, dys) = (x.baseAddress! + example * block, dy.baseAddress! + example * block)
                    ChannelSums.compute(positions: positions, channels: channels, into: sumGradient) { offset, _, lanes in
                        dys.loadVector(at: offset, lanes: lanes)
                    }
                    ChannelSums.compute(positions: positions, channels: channels, into: sumGradientNormalized) {
                        offset, channel, lanes in
                        let normalized = xs.loadVector(at: offset, lanes: lanes)
                            * UnsafePointer(normScale).loadVector(at: channel, lanes: lanes)
                            + UnsafePointer(normShift).loadVector(at: channel, lanes: lanes)
                        return dys.loadVector(at: offset, lanes: lanes) * normalized
                    }
                    for channel in 0..<channels {
                        betaTotals[channel] += sumGradient[channel]
                        gammaTotals[channel] += sumGradientNormalized[channel]
                    }
                    guard needsInput else { continue }
                    for group in 0..<groups {
                        // mean(ĝ) and mean(ĝ · x̂) over the group.
                        let totalG = members(of: group).reduce(0.0) { $0 + Double(gamma.scalars[$1]) * sumGradient[$1] }
                        let totalGX = members(of: group).reduce(0.0) {
                            $0 + Double(gamma.scalars[$1]) * sumGradientNormalized[$1]
                        }
                        let (meanG, meanGX) = (Float(totalG / elements), Float(totalGX / elements))
                        for channel in members(of: group) {
                            // −rstd · (x̂ · mean(ĝx̂) + mean(ĝ)), with x̂ expanded in x.
                            let rstd = normScale[channel]
                            dyFactor[channel] = rstd * gamma.scalars[channel]
                            xFactor[channel] = -rstd * rstd * meanGX
                            offset[channel] = -rstd * (normShift[channel] * meanGX + meanG)
                        }
                    }
                    let start = example * block
                    inputGradient!.scalars.withUnsafeMutableBufferPointer { dx in
                        forEachChannelVector(of: xs) { elementOffset, channel, lanes, x in
                            let value = dys.loadVector(at: elementOffset, lanes: lanes)
                                * UnsafePointer(dyFactor).loadVector(at: channel, lanes: lanes)
                                + x * UnsafePointer(xFactor).loadVector(at: channel, lanes: lanes)
                                + UnsafePointer(offset).loadVector(at: channel, lanes: lanes)
                            dx.baseAddress!.storeVector(value, at: start + elementOffset, lanes: lanes)
                        }
                    }
                }
            }
        }
        return (inputGradient, Tensor(shape: [channels], scalars: gammaTotals.map { Float($0) }),
                Tensor(shape: [channels], scalars: betaTotals.map { Float($0) }))
    }

    /// Calls `body(offset, channel, lanes, x)` for every vector of channels at every position of
    /// one example's block starting at `data`, with `x` the vector of its elements.
    @inline(__always)
    private func forEachChannelVector(
        of data: UnsafePointer<Float>, _ body: (_ offset: Int, _ channel: Int, _ lanes: Int, _ x: FloatVector) -> Void
    ) {
        for position in 0..<positions {
            let row = position * channels
            VectorLoop.forEachVector(count: channels) { channel, lanes in
                body(row + channel, channel, lanes, data.loadVector(at: row + channel, lanes: lanes))
            }
        }
    }
}
