import DiffusionModel
import Numerics

/// One batch of noised copies: copy `c` of a run is draw `c % K` of item `c / K`, noised to its
/// drawn timestep, laid out channels-last for the network.
struct NoisedCopies {
    /// `[n, H, W, C]`: `√ᾱ_t x + √(1 − ᾱ_t) ε` per copy.
    let noisy: Tensor
    /// `[n, H, W, C]`: ε per copy.
    let noise: Tensor
    /// `t` per copy.
    let timesteps: [Int]
    /// The item key of each copy.
    let keys: [UInt64]
    /// The draw index of each copy.
    let drawIndices: [Int]

    /// Copies `copies` of a run over `images` `[B, C, H, W]` with `drawsPerItem` draws each.
    init(images: Tensor, keys itemKeys: [UInt64], copies: Range<Int>, drawsPerItem: Int, stream: UInt64,
         draws: MonteCarloDraws, scheduler: DDPMScheduler) {
        let perImage = images.shape.dropFirst().reduce(1, *)
        var originals = [Float](repeating: 0, count: copies.count * perImage)
        var noise = [Float]()
        noise.reserveCapacity(originals.count)
        var timesteps: [Int] = [], keys: [UInt64] = [], drawIndices: [Int] = []
        for (position, copy) in copies.enumerated() {
            let (item, draw) = copy.quotientAndRemainder(dividingBy: drawsPerItem)
            originals.withUnsafeMutableBufferPointer { out in
                images.scalars.withUnsafeBufferPointer { source in
                    (out.baseAddress! + position * perImage).update(from: source.baseAddress! + item * perImage, count: perImage)
                }
            }
            let (timestep, values) = draws.timestepAndNoise(stream: stream, key: itemKeys[item], draw: draw,
                                                            trainTimesteps: scheduler.trainTimesteps, count: perImage)
            noise.append(contentsOf: values)
            timesteps.append(timestep)
            keys.append(itemKeys[item])
            drawIndices.append(draw)
        }
        let shape = [copies.count] + Array(images.shape.dropFirst())
        let noiseNCHW = Tensor(shape: shape, scalars: noise)
        noisy = scheduler.addNoise(original: Tensor(shape: shape, scalars: originals), noise: noiseNCHW,
                                   timesteps: timesteps).nchwToNHWC()
        self.noise = noiseNCHW.nchwToNHWC()
        self.timesteps = timesteps
        self.keys = keys
        self.drawIndices = drawIndices
    }

    /// Elements per copy, `D = C·H·W`.
    var elementsPerCopy: Int { timesteps.isEmpty ? 0 : noise.count / timesteps.count }

    /// `scales[c] · (ε̂_c − ε_c)` per copy: the gradient of `Σ_c scales[c]/2 · ‖ε̂_c − ε_c‖²`
    /// with respect to the prediction.
    func residualSeed(prediction: Tensor, scales: [Float]) -> Tensor {
        precondition(prediction.shape == noise.shape && scales.count == timesteps.count,
                     "residual seed: prediction \(prediction.shape) vs noise \(noise.shape), \(scales.count) scales")
        var seed = prediction
        seed.add(noise, scaledBy: -1)
        let perCopy = elementsPerCopy
        for (copy, scale) in scales.enumerated() {
            for index in copy * perCopy..<(copy + 1) * perCopy { seed.scalars[index] *= scale }
        }
        return seed
    }

    /// `sqrt(2/D) · z` per copy, `z ~ N(0, I)` from each copy's own curvature stream: the MC-GGN
    /// seed, whose outer product has expectation `(2/D)·I`, the Hessian of `mean((ε̂ − ε)²)`.
    func generalisedGaussNewtonSeed(draws: MonteCarloDraws) -> Tensor {
        let perCopy = elementsPerCopy
        let scale = (2 / Float(perCopy)).squareRoot()
        var values = [Float]()
        values.reserveCapacity(noise.count)
        for (key, draw) in zip(keys, drawIndices) {
            values.append(contentsOf: draws.curvatureNoise(key: key, draw: draw, count: perCopy).map { $0 * scale })
        }
        // Drawn in NCHW order like ε, then laid out like the prediction.
        var nchw = noise.shape
        nchw = [nchw[0], nchw[3], nchw[1], nchw[2]]
        return Tensor(shape: nchw, scalars: values).nchwToNHWC()
    }
}
