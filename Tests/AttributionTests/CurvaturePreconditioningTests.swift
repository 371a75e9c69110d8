@testable import Attribution
import Numerics
import Testing

@Suite struct CurvaturePreconditioningTests {
    typealias Support = CurvatureTestSupport
    /// Block 0: D = 12 (second moment tracked); block 1: D = 20 (over the limit of 16).
    let layout = Support.layout([(inputs: 4, outputs: 3), (inputs: 5, outputs: 4)])

    /// Enough rows that both factors are well conditioned (symmetric positive definite).
    func accumulator() -> CurvatureAccumulator {
        var accumulator = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        for (index, layer) in [0, 1, 0, 1].enumerated() {
            accumulator.add(Support.batch(layout, layer: layer, samples: 6, rowsPerSample: 3, keys: UInt64(10 + index)))
        }
        return accumulator
    }

    /// `Q_S ⊗ Q_A` of a layer as a dense matrix.
    func kroneckerBasis(_ layer: Curvature.Layer, block: GradientLayout.Block) -> [Double] {
        Support.kronecker(layer.outputEigenvectors.map(Double.init), block.projectedOutputs,
                          layer.inputEigenvectors.map(Double.init), block.projectedInputs)
    }

    @Test func factorEigenvectorsDiagonaliseTheFactors() throws {
        let accumulator = accumulator()
        let curvature = try Curvature(accumulator, mode: .kfac)
        for (index, block) in layout.blocks.enumerated() {
            let layer = curvature.layers[index]
            let a = try #require(accumulator.inputFactor(layer: index))
            let rotated = Support.congruence(layer.inputEigenvectors.map(Double.init), a, size: block.projectedInputs)
            let diagonal = (0..<block.projectedInputs).map { i in
                (0..<block.projectedInputs).map { $0 == i ? Double(layer.inputFactorEigenvalues[i]) : 0 }
            }.flatMap { $0 }
            #expect(Support.relativeError(rotated, diagonal) < 1e-5)
            let products = layer.outputFactorEigenvalues.flatMap { s in layer.inputFactorEigenvalues.map { Double(s * $0) } }
            #expect(Support.relativeError(layer.eigenvalues, products) < 1e-5)
        }
    }

    @Test func ekfacEigenvaluesAreTheSecondMomentsDiagonalInTheKroneckerBasis() throws {
        let accumulator = accumulator()
        let curvature = try Curvature(accumulator)
        #expect(curvature.layers[0].mode == .ekfac)
        let block = layout.blocks[0]
        let moment = try #require(accumulator.secondMoment(layer: 0))
        let rotated = Support.congruence(kroneckerBasis(curvature.layers[0], block: block), moment, size: block.count)
        let diagonal = (0..<block.count).map { rotated[$0 * block.count + $0] }
        #expect(Support.relativeError(curvature.layers[0].eigenvalues, diagonal) < 1e-5)
    }

    @Test func ekfacFallsBackToKfacAboveTheSecondMomentLimit() throws {
        let accumulator = accumulator()
        let ekfac = try Curvature(accumulator)
        let kfac = try Curvature(accumulator, mode: .kfac)
        #expect(ekfac.kfacFallbackLayers == ["layer1"])
        #expect(kfac.kfacFallbackLayers.isEmpty)
        #expect(ekfac.layers[1].mode == .kfac)
        #expect(ekfac.layers[1].eigenvalues == kfac.layers[1].eigenvalues)
        #expect(ekfac.layers[0].eigenvalues != kfac.layers[0].eigenvalues)
    }

    /// `(H + λI) · precondition(v) = v` with `H = Q diag(Λ) Qᵀ` built densely, for K-FAC (where
    /// `H = S ⊗ A` exactly) and for EK-FAC, on several queries and both blocks at once.
    @Test(arguments: [Curvature.Mode.kfac, .ekfac])
    func preconditioningInvertsTheDampedCurvature(mode: Curvature.Mode) throws {
        let accumulator = accumulator()
        let curvature = try Curvature(accumulator, mode: mode, damping: .absolute(0.05))
        let queries = Support.normals(3, layout.dimension, keys: 77)
        let solved = curvature.precondition(queries)
        #expect(solved.shape == queries.shape)
        for (index, block) in layout.blocks.enumerated() {
            let layer = curvature.layers[index]
            var hessian: [Double]
            if mode == .kfac {
                hessian = Support.kronecker(try #require(accumulator.outputFactor(layer: index)), block.projectedOutputs,
                                            try #require(accumulator.inputFactor(layer: index)), block.projectedInputs)
            } else {
                let basis = kroneckerBasis(layer, block: block)
                var scaled = basis
                for row in 0..<block.count { for column in 0..<block.count { scaled[row * block.count + column] *= Double(layer.eigenvalues[column]) } }
                hessian = [Double](repeating: 0, count: block.count * block.count)
                for i in 0..<block.count { for j in 0..<block.count { for k in 0..<block.count {
                    hessian[i * block.count + j] += scaled[i * block.count + k] * basis[j * block.count + k]
                } } }
            }
            for diagonal in 0..<block.count { hessian[diagonal * block.count + diagonal] += 0.05 }
            for row in 0..<3 {
                let start = row * layout.dimension + block.offset
                let x = solved.scalars[start..<(start + block.count)].map(Double.init)
                let v = queries.scalars[start..<(start + block.count)].map(Double.init)
                #expect(Support.relativeError(Support.multiply(hessian, x), v) < 1e-4)
            }
        }
    }

    @Test(arguments: [Curvature.Mode.kfac, .ekfac, .identity])
    func selfInfluenceIsTheGradientDotItsPreconditionedSelf(mode: Curvature.Mode) throws {
        let curvature = try Curvature(accumulator(), mode: mode)
        let rows = Support.normals(4, layout.dimension, keys: 78)
        let solved = curvature.precondition(rows)
        let expected = (0..<4).map { row in
            (0..<layout.dimension).reduce(0.0) {
                $0 + Double(rows.scalars[row * layout.dimension + $1]) * Double(solved.scalars[row * layout.dimension + $1])
            }
        }
        #expect(Support.relativeError(curvature.selfInfluence(rows), expected) < 1e-4)
    }

    @Test func identityModeReturnsQueriesUnchanged() throws {
        let queries = Support.normals(2, layout.dimension, keys: 79)
        #expect(Curvature.identity(layout: layout).precondition(queries) == queries)
        #expect(try Curvature(CurvatureAccumulator(layout: layout), mode: .identity).precondition(queries) == queries)
    }

    @Test func relativeDampingIsAFractionOfTheMeanEigenvalue() throws {
        let curvature = try Curvature(accumulator(), damping: .relative(0.3))
        for layer in curvature.layers {
            let mean = layer.eigenvalues.reduce(0, +) / Float(layer.eigenvalues.count)
            #expect(abs(layer.damping - 0.3 * mean) <= 1e-5 * mean)
        }
    }

    @Test func missingEvidenceAndNonPositiveDampingThrow() {
        #expect(throws: CurvatureError.noEvidence(layer: "layer0")) { try Curvature(CurvatureAccumulator(layout: layout)) }
        #expect(throws: CurvatureError.self) { try Curvature(accumulator(), damping: .absolute(0)) }
        #expect(throws: CurvatureError.self) { try Curvature(accumulator(), damping: .relative(-1)) }
    }
}
