@testable import Attribution
import Numerics
import Testing

/// K-FAC expand against the exact GGN of a deep linear network under MSE.
///
/// The per-sample loss is `mean((y − target)²)` over its `D` output elements, whose Hessian in
/// `y` is `(2/D) I`, so the exact GGN block of layer `l` is `(2/D) J_lᵀ J_l`, with `J_l` built
/// from one backward pass per output element (seed = unit vector). The curvature side uses the
/// MC-GGN seed `s = √(2/D) z` with `z` running over `{√D e_m}`: a distribution with
/// `E[z zᵀ] = I` exactly, so every expectation is exact and only the Kronecker structure is
/// approximated — which, for a deep linear network, it is not (arXiv 2507.05127): the output's
/// Jacobian in each layer's output is the same at every position and for every input, so the
/// GGN block factorises. A SiLU between layers makes it input-dependent: the control case.
@Suite struct CurvatureExactnessTests {
    typealias Support = CurvatureTestSupport
    let linear = CurvatureDeepLinearNetwork(widths: [3, 4, 3, 2], seed: 5)

    /// The exact GGN block of every layer, averaged over `inputs` (a mean loss over data points).
    func exactBlocks(_ network: CurvatureDeepLinearNetwork, inputs: [Tensor], positions: Int) -> [[Double]] {
        let outputs = network.outputCount(positions: positions)
        var blocks = network.layout.blocks.map { [Double](repeating: 0, count: $0.count * $0.count) }
        for x in inputs {
            for element in 0..<outputs {
                var seed = [Float](repeating: 0, count: outputs)
                seed[element] = 1
                let jacobianRows = network.backward(x: x, seed: Tensor(shape: [1, positions, outputs / positions], scalars: seed))
                for (layer, row) in jacobianRows.enumerated() {
                    let scale = 2 / Double(outputs) / Double(inputs.count)
                    for i in row.indices { for j in row.indices { blocks[layer][i * row.count + j] += scale * Double(row[i]) * Double(row[j]) } }
                }
            }
        }
        return blocks
    }

    /// K-FAC evidence from the enumerated MC-GGN seeds `√2 e_m`, one sample per seed.
    func accumulator(_ network: CurvatureDeepLinearNetwork, inputs: [Tensor], positions: Int) -> CurvatureAccumulator {
        let outputs = network.outputCount(positions: positions)
        let recorder = CurvatureBatchRecorder(layout: network.layout)
        for x in inputs {
            for element in 0..<outputs {
                var seed = [Float](repeating: 0, count: outputs)
                seed[element] = Float(2).squareRoot()
                _ = network.backward(x: x, seed: Tensor(shape: [1, positions, outputs / positions], scalars: seed), observer: recorder)
            }
        }
        return recorder.accumulator
    }

    /// Largest relative error of `S ⊗ A` against the exact GGN block, over layers.
    func kroneckerError(_ network: CurvatureDeepLinearNetwork, inputs: [Tensor], positions: Int) throws -> Double {
        let exact = exactBlocks(network, inputs: inputs, positions: positions)
        let accumulator = accumulator(network, inputs: inputs, positions: positions)
        var worst = 0.0
        for (index, block) in network.layout.blocks.enumerated() {
            let kfac = Support.kronecker(try #require(accumulator.outputFactor(layer: index)), block.projectedOutputs,
                                         try #require(accumulator.inputFactor(layer: index)), block.projectedInputs)
            worst = max(worst, Support.relativeError(kfac, exact[index]))
        }
        return worst
    }

    @Test(arguments: [1, 3])
    func kfacEqualsTheExactGGNForOneDataPoint(positions: Int) throws {
        let x = Support.normals(positions, 3, keys: 11).reshaped([1, positions, 3])
        let error = try kroneckerError(linear, inputs: [x], positions: positions)
        print("deep linear network, T = \(positions): max relative error of S ⊗ A vs exact GGN = \(error)")
        #expect(error < 1e-5)
    }

    /// Exactness of a linear network survives averaging over data points; with a SiLU between
    /// layers the factors average separately and K-FAC is not exact, so the comparison can fail.
    @Test(arguments: [false, true])
    func twoDataPointsAreExactOnlyWithoutNonlinearity(nonlinear: Bool) throws {
        let network = CurvatureDeepLinearNetwork(widths: [3, 4, 3, 2], seed: 5, nonlinear: nonlinear)
        let inputs = [Support.normals(1, 3, keys: 12).reshaped([1, 1, 3]), Support.normals(1, 3, keys: 13).reshaped([1, 1, 3])]
        let error = try kroneckerError(network, inputs: inputs, positions: 1)
        print("\(nonlinear ? "SiLU" : "deep linear") network, two data points: max relative error of S ⊗ A vs exact GGN = \(error)")
        if nonlinear { #expect(error > 0.05) } else { #expect(error < 1e-5) }
    }

    /// EK-FAC and K-FAC inverse-curvature products equal the dense damped solve with the exact GGN.
    @Test(arguments: [Curvature.Mode.kfac, .ekfac])
    func preconditioningEqualsTheExactDampedSolve(mode: Curvature.Mode) throws {
        let positions = 3
        let x = Support.normals(positions, 3, keys: 14).reshaped([1, positions, 3])
        let exact = exactBlocks(linear, inputs: [x], positions: positions)
        let curvature = try Curvature(accumulator(linear, inputs: [x], positions: positions), mode: mode, damping: .absolute(0.1))
        let layout = linear.layout
        let queries = Support.normals(2, layout.dimension, keys: 15)
        let solved = curvature.precondition(queries)
        var worst = 0.0
        for (index, block) in layout.blocks.enumerated() {
            var damped = exact[index]
            for diagonal in 0..<block.count { damped[diagonal * block.count + diagonal] += 0.1 }
            for row in 0..<2 {
                let start = row * layout.dimension + block.offset
                let x = solved.scalars[start..<(start + block.count)].map(Double.init)
                let v = queries.scalars[start..<(start + block.count)].map(Double.init)
                worst = max(worst, Support.relativeError(Support.multiply(damped, x), v))
            }
        }
        print("deep linear network, \(mode): max relative residual of (GGN + λI) · precondition(v) − v = \(worst)")
        #expect(worst < 1e-4)
    }
}
