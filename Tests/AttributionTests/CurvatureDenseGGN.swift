@testable import Attribution
import DiffusionModel
import Numerics

/// The exact generalised Gauss-Newton matrix of a tiny UNet's training loss over the engine's own
/// `(t, ε)` draws, from Jacobians, and influence `qᵀ (GGN + λI)⁻¹ g` through it, through its
/// block diagonal (one block per layer, what K-FAC approximates), or through the GGN of a few
/// layers only (the others held fixed).
///
/// The loss is `(1/N) Σ_i (1/K) Σ_k mean((ε̂_ik − ε_ik)²)` over `D` output elements, so
/// `GGN = Σ_{ik} (2/(D·N·K)) J_ikᵀ J_ik = Jᵀ J` with `J` `[R, P]` stacking the scaled Jacobians
/// (`R = N·K·D` rows, one backward pass with a unit seed each).
struct CurvatureDenseGGN {
    let layout: GradientLayout
    /// `R`.
    let rank: Int
    /// Each layer's columns of `J`.
    let blocks: [CurvatureDampedGGN.Block]
    /// The full GGN and each layer's diagonal block.
    let full: CurvatureDampedGGN, layers: [CurvatureDampedGGN]
    /// `tr(GGN) / P`: the GGN's mean eigenvalue.
    let meanEigenvalue: Double

    init(engine: GradientEngine, images: Tensor, ids: [Int64]) throws {
        layout = engine.layout
        let draws = engine.settings.drawsPerExample
        let copies = NoisedCopies(images: images, keys: ids.map { UInt64(bitPattern: $0) }, copies: 0..<(ids.count * draws),
                                  drawsPerItem: draws, stream: MonteCarloDraws.Stream.training,
                                  draws: MonteCarloDraws(seed: engine.settings.drawSeed), scheduler: engine.scheduler)
        let elements = copies.elementsPerCopy
        let copyCount = copies.timesteps.count
        let scale = (2 / Double(elements * copyCount)).squareRoot()
        var jacobians = [[Double]](repeating: [], count: layout.blocks.count)
        for copy in 0..<copyCount {
            let observer = CurvatureJacobianObserver(layout: layout, samples: elements)
            let tape = Tape()
            tape.layerObserver = observer
            let single = Array(copies.noisy.scalars[(copy * elements)..<((copy + 1) * elements)])
            let batch = Tensor(shape: [elements] + copies.noisy.shape.dropFirst(),
                               scalars: Array((0..<elements).map { _ in single }.joined()))
            let prediction = engine.model.forward(sample: tape.constant(batch), timesteps: Array(repeating: Float(copies.timesteps[copy]), count: elements),
                                                  parameters: engine.model.parameters.record(on: tape), tape: tape)
            var seed = Tensor(shape: batch.shape)
            for element in 0..<elements { seed.scalars[element * elements + element] = 1 }
            _ = tape.backward(from: prediction, seed: seed)
            for (index, block) in layout.blocks.enumerated() {
                for row in 0..<elements {
                    let start = row * layout.dimension + block.offset
                    jacobians[index].append(contentsOf: observer.rows[start..<(start + block.count)].map { Double($0) * scale })
                }
            }
        }
        rank = copyCount * elements
        meanEigenvalue = jacobians.joined().reduce(0) { $0 + $1 * $1 } / Double(layout.dimension)
        blocks = zip(layout.blocks, jacobians).map { CurvatureDampedGGN.Block(offset: $0.offset, width: $0.count, values: $1) }
        full = try CurvatureDampedGGN(rows: rank, blocks: blocks)
        var layers: [CurvatureDampedGGN] = []
        for block in blocks { layers.append(try CurvatureDampedGGN(rows: rank, blocks: [block])) }
        self.layers = layers
    }

    /// What `(GGN + λI)⁻¹` is taken of.
    enum Scope {
        /// The whole GGN.
        case full
        /// Its diagonal blocks, one per layer.
        case blockDiagonal
        /// The GGN of the given layers' parameters only (influence then covers only those).
        case layers([Int])
    }

    /// `[Q][N]`: `q_aᵀ (GGN + λI)⁻¹ g_b` for query rows `[Q, P]` and training rows `[N, P]`.
    func influence(queries: Tensor, training: Tensor, damping lambda: Double, scope: Scope) throws -> [[Double]] {
        let (x, y) = (queries.scalars.map(Double.init), training.scalars.map(Double.init))
        let (q, n) = (queries.shape[0], training.shape[0])
        let parts: [CurvatureDampedGGN]
        switch scope {
        case .full: parts = [full]
        case .blockDiagonal: parts = layers
        case .layers(let indices): parts = [try CurvatureDampedGGN(rows: rank, blocks: indices.map { blocks[$0] })]
        }
        var total = [[Double]](repeating: [Double](repeating: 0, count: n), count: q)
        for part in parts {
            let scores = part.influence(queries: x, q, training: y, n, dimension: layout.dimension, damping: lambda)
            for a in 0..<q { for b in 0..<n { total[a][b] += scores[a][b] } }
        }
        return total
    }
}
