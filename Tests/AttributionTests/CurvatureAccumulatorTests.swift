@testable import Attribution
import Numerics
import Testing

@Suite struct CurvatureAccumulatorTests {
    typealias Support = CurvatureTestSupport
    /// Layer 1 has D = 20 > the limit of 16 used below, so its second moment is not tracked.
    let layout = Support.layout([(inputs: 3, outputs: 2), (inputs: 5, outputs: 4)])

    func batches() -> [LayerCurvatureBatch] {
        [Support.batch(layout, layer: 0, samples: 2, rowsPerSample: 3, keys: 1),
         Support.batch(layout, layer: 1, samples: 3, rowsPerSample: 2, keys: 2),
         Support.batch(layout, layer: 0, samples: 4, rowsPerSample: 3, keys: 3),
         Support.batch(layout, layer: 1, samples: 1, rowsPerSample: 2, keys: 4)]
    }

    @Test func factorsEqualBruteForceExpectations() throws {
        var accumulator = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        for batch in batches() { accumulator.add(batch) }
        for layer in 0..<2 {
            let mine = batches().filter { $0.layer == layer }
            let rows = mine.reduce(0) { $0 + $1.inputs.shape[0] }
            let samples = mine.reduce(0) { $0 + $1.samples }
            #expect(accumulator.rows(layer: layer) == rows)
            #expect(accumulator.samples(layer: layer) == samples)
            let inputSum = mine.map { Support.gram($0.inputs) }.reduce(into: [Double]()) { Self.accumulate(&$0, $1) }
            let outputSum = mine.map { Support.gram($0.outputGradients) }.reduce(into: [Double]()) { Self.accumulate(&$0, $1) }
            let a = try #require(accumulator.inputFactor(layer: layer))
            let s = try #require(accumulator.outputFactor(layer: layer))
            #expect(Support.relativeError(a, inputSum.map { $0 / Double(rows) }) < 1e-6)
            #expect(Support.relativeError(s, outputSum.map { $0 / Double(samples) }) < 1e-6)
        }
        #expect(accumulator.tracksSecondMoment(layer: 0))
        #expect(!accumulator.tracksSecondMoment(layer: 1))
        #expect(accumulator.secondMoment(layer: 1) == nil)
        let moment = try #require(accumulator.secondMoment(layer: 0))
        let mine = batches().filter { $0.layer == 0 }
        let momentSum = mine.map { Support.gram($0.sampleGradients) }.reduce(into: [Double]()) { Self.accumulate(&$0, $1) }
        #expect(Support.relativeError(moment, momentSum.map { $0 / 6 }) < 1e-6)
    }

    @Test func emptyAccumulatorHasNoFactors() {
        let accumulator = CurvatureAccumulator(layout: layout)
        #expect(accumulator.inputFactor(layer: 0) == nil)
        #expect(accumulator.outputFactor(layer: 1) == nil)
        #expect(accumulator.secondMoment(layer: 0) == nil)
    }

    @Test func mergingEqualsAccumulatingEverythingInOne() throws {
        var whole = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        var first = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        var second = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        for (index, batch) in batches().enumerated() {
            whole.add(batch)
            if index.isMultiple(of: 2) { first.add(batch) } else { second.add(batch) }
        }
        try first.merge(second)
        #expect(first.arrays.rowCounts == whole.arrays.rowCounts)
        #expect(first.arrays.sampleCounts == whole.arrays.sampleCounts)
        for layer in 0..<2 {
            #expect(Support.relativeError(try #require(first.inputFactor(layer: layer)),
                                          try #require(whole.inputFactor(layer: layer))) < 1e-12)
            #expect(Support.relativeError(try #require(first.outputFactor(layer: layer)),
                                          try #require(whole.outputFactor(layer: layer))) < 1e-12)
        }
        #expect(Support.relativeError(try #require(first.secondMoment(layer: 0)), try #require(whole.secondMoment(layer: 0))) < 1e-12)
    }

    @Test func mergingIncompatibleAccumulatorsThrows() {
        var accumulator = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        #expect(throws: CurvatureError.self) { try accumulator.merge(CurvatureAccumulator(layout: layout, secondMomentLimit: 100)) }
        let other = Support.layout([(inputs: 3, outputs: 2)])
        #expect(throws: CurvatureError.self) { try accumulator.merge(CurvatureAccumulator(layout: other, secondMomentLimit: 16)) }
    }

    @Test func arraysRoundTripAndKeepAccumulating() throws {
        var accumulator = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        let all = batches()
        for batch in all.prefix(2) { accumulator.add(batch) }
        let arrays = accumulator.arrays
        #expect(arrays.formatVersion == CurvatureArrays.currentFormatVersion)
        #expect(arrays.secondMomentSums[0].count == 36 && arrays.secondMomentSums[1].isEmpty)
        var restored = try CurvatureAccumulator(layout: layout, arrays: arrays)
        #expect(restored == accumulator)
        for batch in all.dropFirst(2) {
            accumulator.add(batch)
            restored.add(batch)
        }
        #expect(restored == accumulator)
    }

    @Test(arguments: [
        "version", "layers", "inputSize", "outputSize", "momentSize", "untrackedMoment", "nan", "counts", "negative", "limit",
    ])
    func corruptArraysAreRejected(_ corruption: String) throws {
        var accumulator = CurvatureAccumulator(layout: layout, secondMomentLimit: 16)
        for batch in batches() { accumulator.add(batch) }
        var arrays = accumulator.arrays
        switch corruption {
        case "version": arrays.formatVersion = 99
        case "layers": arrays.rowCounts.removeLast()
        case "inputSize": arrays.inputSums[0].removeLast()
        case "outputSize": arrays.outputSums[1].append(0)
        case "momentSize": arrays.secondMomentSums[0].removeLast()
        case "untrackedMoment": arrays.secondMomentSums[1] = [Double](repeating: 0, count: 400)
        case "nan": arrays.inputSums[1][3] = .nan
        case "counts": arrays.rowCounts[0] = 0
        case "negative": arrays.sampleCounts[1] = -1
        default: arrays.secondMomentLimit = -1
        }
        #expect(throws: CurvatureError.self) { try CurvatureAccumulator(layout: layout, arrays: arrays) }
    }

    @Test func relativeChangeMeasuresNormalisedFactorDrift() throws {
        var accumulator = CurvatureAccumulator(layout: layout)
        for batch in batches() { accumulator.add(batch) }
        #expect(accumulator.relativeChange(from: accumulator) == 0)
        #expect(accumulator.relativeChange(from: CurvatureAccumulator(layout: layout)) == .infinity)
        #expect(accumulator.relativeChange(from: CurvatureAccumulator(layout: Support.layout([(inputs: 3, outputs: 2)]))) == .infinity)

        // Doubling every sum and count leaves the normalised factors unchanged.
        var doubled = accumulator
        try doubled.merge(accumulator)
        #expect(doubled.relativeChange(from: accumulator) < 1e-12)

        // New evidence moves them by a measurable, finite amount that matches a direct computation.
        var grown = accumulator
        grown.add(Support.batch(layout, layer: 0, samples: 5, rowsPerSample: 3, keys: 9))
        let change = grown.relativeChange(from: accumulator)
        let old = try #require(accumulator.inputFactor(layer: 0)), new = try #require(grown.inputFactor(layer: 0))
        let inputChange = (zip(new, old).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / old.map { $0 * $0 }.reduce(0, +)).squareRoot()
        #expect(change >= inputChange && change > 0.01 && change.isFinite)
    }

    static func accumulate(_ sum: inout [Double], _ values: [Double]) {
        if sum.isEmpty { sum = values } else { for index in sum.indices { sum[index] += values[index] } }
    }
}
