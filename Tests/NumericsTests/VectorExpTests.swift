import Foundation
@testable import Numerics
import Testing

@Suite("Vectorised exp and sigmoid")
struct VectorExpTests {
    /// `vectorExp` of every element of `inputs`, eight at a time.
    static func exponentials(_ inputs: [Float]) -> [Float] {
        var outputs = [Float](repeating: 0, count: inputs.count)
        inputs.withUnsafeBufferPointer { x in
            outputs.withUnsafeMutableBufferPointer { y in VectorLoop.map(x, into: y, vectorExp) }
        }
        return outputs
    }

    /// Distance in units in the last place of the correctly rounded result.
    static func ulps(_ value: Float, from exact: Double) -> Double {
        let rounded = Float(exact)
        return abs(Double(value) - exact) / Double(rounded.ulp)
    }

    @Test func withinTwoUlpsOverTheNormalRange() {
        // 200 000 points spread over every input with a normal, finite result.
        let (low, high): (Float, Float) = (-87.3, 88.72)
        let count = 200_000
        let inputs = (0..<count).map { low + (high - low) * Float($0) / Float(count - 1) }
        let outputs = Self.exponentials(inputs)
        let worst = zip(inputs, outputs).map { Self.ulps($1, from: Foundation.exp(Double($0))) }.max() ?? .infinity
        #expect(worst <= 2, "worst error \(worst) ulp")
    }

    @Test func smallArgumentsAreAccurateToo() {
        let inputs: [Float] = [0, 1e-8, -1e-8, 1e-3, -1e-3, 0.5, -0.5, 0.3465736, -0.3465736, 1, -1]
        let outputs = Self.exponentials(inputs)
        for (x, y) in zip(inputs, outputs) {
            #expect(Self.ulps(y, from: Foundation.exp(Double(x))) <= 1, "exp(\(x)) = \(y)")
        }
        #expect(outputs[0] == 1)
    }

    @Test func subnormalResultsHaveTinyAbsoluteError() {
        let inputs = (0..<1000).map { -87.4 - 16.5 * Float($0) / 999 }
        let outputs = Self.exponentials(inputs)
        for (x, y) in zip(inputs, outputs) {
            // Two ulps of relative error of the reduced exponential, plus the subnormal rounding.
            let exact = Foundation.exp(Double(x))
            let tolerance = 2.5e-7 * exact + Double(Float.leastNonzeroMagnitude)
            #expect(abs(Double(y) - exact) <= tolerance, "exp(\(x)) = \(y), exact \(exact)")
        }
    }

    @Test func saturatesAndPropagatesNaN() {
        let outputs = Self.exponentials([-200, -105, 89, 200, -.infinity, .infinity, .nan, 88.7])
        #expect(outputs[0] == 0 && outputs[1] == 0 && outputs[4] == 0)
        #expect(outputs[2] == .infinity && outputs[3] == .infinity && outputs[5] == .infinity)
        #expect(outputs[6].isNaN)
        #expect(outputs[7].isFinite && outputs[7] > 3e38)
    }

    @Test func sigmoidMatchesTheLogisticFunctionAndSaturates() {
        let inputs = (0..<2001).map { Float($0 - 1000) / 40 } + [-200, 200]
        var outputs = [Float](repeating: 0, count: inputs.count)
        inputs.withUnsafeBufferPointer { x in
            outputs.withUnsafeMutableBufferPointer { y in VectorLoop.map(x, into: y, vectorSigmoid) }
        }
        for (x, y) in zip(inputs, outputs) {
            let exact = 1 / (1 + Foundation.exp(-Double(x)))
            #expect(abs(Double(y) - exact) <= 4 * Double(Float(exact).ulp), "σ(\(x)) = \(y)")
        }
        #expect(Array(outputs.suffix(2)) == [0, 1])
    }
}
