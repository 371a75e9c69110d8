import Foundation
@testable import Numerics
import Testing

@Suite("Vector loops, softmax rows and channel sums")
struct VectorKernelTests {
    /// Every length up to three vectors and a bit, so that every tail length is covered.
    @Test(arguments: Array(0...27))
    func mapsCoverEveryElementOnce(count: Int) {
        let (a, b, c) = ((0..<count).map { Float($0) }, (0..<count).map { Float(2 * $0 + 1) }, (0..<count).map { Float(-$0) })
        var unary = [Float](repeating: -1, count: count), binary = unary, ternary = unary
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeBufferPointer { c in
                    unary.withUnsafeMutableBufferPointer { VectorLoop.map(a, into: $0) { $0 * 3 } }
                    binary.withUnsafeMutableBufferPointer { VectorLoop.map(a, b, into: $0) { $0 + $1 } }
                    ternary.withUnsafeMutableBufferPointer { VectorLoop.map(a, b, c, into: $0) { $0 * $1 + $2 } }
                }
            }
        }
        #expect(unary == a.map { $0 * 3 })
        #expect(binary == zip(a, b).map { $0 + $1 })
        #expect(ternary == (0..<count).map { a[$0] * b[$0] + c[$0] })
    }

    @Test(arguments: [1, 5, 8, 13, 64])
    func softmaxRowsMatchTheDefinition(columns: Int) {
        let rows = 3
        let scores = randomTensor([rows, columns], seed: 70, scale: 4)
        var probabilities = scores.scalars
        probabilities.withUnsafeMutableBufferPointer { SoftmaxRows.forward($0.baseAddress!, rows: rows, columns: columns) }
        for row in 0..<rows {
            let values = scores.scalars[(row * columns)..<((row + 1) * columns)].map(Double.init)
            let maximum = values.max()!
            let total = values.reduce(0.0) { $0 + exp($1 - maximum) }
            for column in 0..<columns {
                let expected = exp(values[column] - maximum) / total
                #expect(abs(Double(probabilities[row * columns + column]) - expected) < 1e-6)
            }
        }
    }

    @Test(arguments: [3, 8, 21])
    func softmaxBackwardMatchesTheJacobian(columns: Int) {
        var probabilities = (0..<(2 * columns)).map { Float($0 % 7 + 1) }
        probabilities.withUnsafeMutableBufferPointer { SoftmaxRows.forward($0.baseAddress!, rows: 2, columns: columns) }
        let upstream = randomTensor([2, columns], seed: 71)
        var gradient = upstream.scalars
        gradient.withUnsafeMutableBufferPointer { g in
            probabilities.withUnsafeBufferPointer { SoftmaxRows.backward(g.baseAddress!, probabilities: $0.baseAddress!, rows: 2, columns: columns) }
        }
        for row in 0..<2 {
            let range = (row * columns)..<((row + 1) * columns)
            let dot = range.reduce(Float(0)) { $0 + upstream.scalars[$1] * probabilities[$1] }
            for index in range {
                #expect(abs(gradient[index] - probabilities[index] * (upstream.scalars[index] - dot)) < 1e-6)
            }
        }
    }

    /// More positions than one Float run (64) and channels that are not a multiple of 8.
    @Test func channelSumsMatchDoubleSums() {
        let (positions, channels) = (150, 11)
        let block = randomTensor([positions, channels], seed: 72, offset: 100)
        var sums = [Double](repeating: -1, count: channels)
        block.scalars.withUnsafeBufferPointer { x in
            sums.withUnsafeMutableBufferPointer { s in
                ChannelSums.compute(positions: positions, channels: channels, into: s.baseAddress!) { offset, _, lanes in
                    x.baseAddress!.loadVector(at: offset, lanes: lanes)
                }
            }
        }
        for channel in 0..<channels {
            let exact = (0..<positions).reduce(0.0) { $0 + Double(block.scalars[$1 * channels + channel]) }
            #expect(abs(sums[channel] - exact) < 1e-6 * abs(exact))
        }
    }

    @Test func repeatingRowAndUninitialisedTensors() {
        let row = Tensor(shape: [3], scalars: [1, 2, 3])
        #expect(Tensor(repeatingRow: row, count: 2) == Tensor(shape: [2, 3], scalars: [1, 2, 3, 1, 2, 3]))
        #expect(Tensor(repeatingRow: row, count: 0).shape == [0, 3])
        let filled = Tensor(shape: [2, 2]) { buffer in
            for index in buffer.indices { buffer[index] = Float(index) }
        }
        #expect(filled == Tensor(shape: [2, 2], scalars: [0, 1, 2, 3]))
    }
}
