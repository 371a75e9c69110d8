import Numerics
import Testing

/// A tensor of standard normal draws times `scale` plus `offset`, reproducible from `seed`.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1, offset: Float = 0) -> Tensor {
    var generator = SeededGenerator(keys: 0x7E57, seed)
    let scalars = generator.normals(count: shape.reduce(1, *)).map { $0 * scale + offset }
    return Tensor(shape: shape, scalars: scalars)
}

/// Largest absolute elementwise difference of two tensors of equal shape.
func maxAbsDifference(_ a: Tensor, _ b: Tensor) -> Float {
    precondition(a.shape == b.shape, "compared shapes \(a.shape) and \(b.shape) differ")
    return zip(a.scalars, b.scalars).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Checks every tape gradient of `build` against central finite differences.
///
/// The objective is the random linear functional `f = Σ out ⊙ R` (so the tape is seeded with
/// `R`), evaluated in `Double` on a fresh tape for each perturbation. Inputs whose index is in
/// `constants` are recorded as constants and must receive no gradient.
///
/// Each element must satisfy `|finite difference − tape| ≤ tolerance · max(1, max|tape gradient|)`.
func expectGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], constants: Set<Int> = [], step: Float = 1e-2, tolerance: Float = 1e-3,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ build: (Tape, [Variable]) -> Variable
) throws {
    let tape = Tape()
    let variables = inputs.indices.map { constants.contains($0) ? tape.constant(inputs[$0]) : tape.leaf(inputs[$0]) }
    let output = build(tape, variables)
    let seed = randomTensor(tape.value(output).shape, seed: 0x5EED)
    let gradients = tape.backward(from: output, seed: seed)

    func objective(_ perturbed: [Tensor]) -> Double {
        let tape = Tape()
        let result = tape.value(build(tape, perturbed.map { tape.leaf($0) }))
        return zip(result.scalars, seed.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    for (index, input) in inputs.enumerated() {
        if constants.contains(index) {
            #expect(gradients[variables[index]] == nil, "constant input \(index) got a gradient", sourceLocation: sourceLocation)
            continue
        }
        let gradient = try #require(gradients[variables[index]], "no gradient for input \(index)", sourceLocation: sourceLocation)
        #expect(gradient.shape == input.shape, "gradient shape for input \(index)", sourceLocation: sourceLocation)
        var worstError: Float = 0
        var worstElement = 0
        var perturbed = inputs
        for element in 0..<input.count {
            // The step actually taken in Float, not the nominal one.
            let (up, down) = (input.scalars[element] + step, input.scalars[element] - step)
            perturbed[index].scalars[element] = up
            let plus = objective(perturbed)
            perturbed[index].scalars[element] = down
            let minus = objective(perturbed)
            perturbed[index].scalars[element] = input.scalars[element]
            let finiteDifference = Float((plus - minus) / (Double(up) - Double(down)))
            let error = abs(finiteDifference - gradient.scalars[element])
            if error > worstError { (worstError, worstElement) = (error, element) }
        }
        let scale = max(1, gradient.scalars.reduce(0) { max($0, abs($1)) })
        #expect(worstError <= tolerance * scale,
                "input \(index): element \(worstElement) differs by \(worstError) (gradient scale \(scale))",
                sourceLocation: sourceLocation)
    }
}
