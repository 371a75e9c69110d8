import DiffusionModel
import Numerics

/// The engine's one loop: noise every item `K` times, send the copies through the network in
/// batches, and back-propagate from the prediction once for projected per-item gradients and
/// optionally once more for curvature evidence.
///
/// Items are independent through the network (group norm and attention act within an example),
/// so the output-gradient rows of copy `c` are exactly copy `c`'s, and an item's gradient is the
/// sum over its copies' rows whatever batch they share.
struct MonteCarloGradients {
    let model: UNet2DModel
    let scheduler: DDPMScheduler
    let projection: KroneckerProjection
    let draws: MonteCarloDraws
    let maxBatch: Int

    /// What to compute for a set of items.
    struct Request {
        /// `[B, C, H, W]`.
        let images: Tensor
        /// One key per image: its draws are keyed by it.
        let keys: [UInt64]
        /// The random stream of the `(t, ε)` draws.
        let stream: UInt64
        /// `K`.
        let drawsPerItem: Int
        /// `w(t)` per timestep, or nil for equal weights.
        let timestepWeights: [Float]?
    }

    /// Runs `request`. Returns `[B, dimension]` projected gradients of each item's
    /// `(1/K) Σ_k w(t_k) mean((ε̂ − ε_k)²)` when `gradients` is set; hands every layer's
    /// curvature evidence from `curvature` seeds to `handler` when both are given.
    func run(_ request: Request, gradients: Bool, curvature: CurvatureEstimator?,
             handler: ((LayerCurvatureBatch) -> Void)?) -> Tensor? {
        let items = request.keys.count
        let total = items * request.drawsPerItem
        let gradientObserver = gradients
            ? ProjectedGradientObserver(projection: projection, groups: items, samplesPerGroup: request.drawsPerItem) : nil
        let curvatureObserver = curvature == nil ? nil : handler.map { CurvatureEvidenceObserver(projection: projection, handler: $0) }
        let observedWeights = Set(model.observedLayers.map { "\($0.name).weight" })

        for start in stride(from: 0, to: total, by: maxBatch) {
            let copies = NoisedCopies(images: request.images, keys: request.keys, copies: start..<min(start + maxBatch, total),
                                      drawsPerItem: request.drawsPerItem, stream: request.stream, draws: draws,
                                      scheduler: scheduler)
            let tape = Tape()
            let parameters = Self.record(model.parameters, on: tape, constants: observedWeights)
            let prediction = model.forward(sample: tape.constant(copies.noisy), timesteps: copies.timesteps.map(Float.init),
                                           parameters: parameters, tape: tape)
            let predicted = tape.value(prediction)
            let elements = Float(copies.elementsPerCopy)

            if let gradientObserver {
                let scales = copies.timesteps.map { timestep in
                    2 * (request.timestepWeights?[timestep] ?? 1) / (elements * Float(request.drawsPerItem))
                }
                gradientObserver.firstSample = start
                tape.layerObserver = gradientObserver
                _ = tape.backward(from: prediction, seed: copies.residualSeed(prediction: predicted, scales: scales))
                gradientObserver.finishPass()
            }
            if let curvatureObserver, let curvature {
                let seed = switch curvature {
                case .mcGGN: copies.generalisedGaussNewtonSeed(draws: draws)
                case .empiricalFisher:
                    copies.residualSeed(prediction: predicted, scales: Array(repeating: 2 / elements, count: copies.timesteps.count))
                }
                tape.layerObserver = curvatureObserver
                _ = tape.backward(from: prediction, seed: seed)
                curvatureObserver.finishPass()
            }
        }
        return gradientObserver?.gradients
    }

    /// Records the parameters with the observed layers' weights as constants and everything else
    /// (biases, norm scales) as leaves.
    ///
    /// The observer builds every weight gradient it needs from projected rows, so the tape's own
    /// weight-gradient GEMMs would be wasted work; the leaves keep every layer's pullback alive
    /// (a layer whose input depends on no leaf, like the time embedding's, is still reached
    /// through its bias). ``LayerVisits`` checks that every layer was reached.
    static func record(_ parameters: ParameterSet, on tape: Tape, constants: Set<String>) -> [String: Variable] {
        var variables: [String: Variable] = [:]
        for (name, tensor) in parameters.entries {
            variables[name] = constants.contains(name) ? tape.constant(tensor) : tape.leaf(tensor)
        }
        return variables
    }
}
