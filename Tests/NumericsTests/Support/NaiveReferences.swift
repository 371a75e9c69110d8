import Foundation
import Numerics

/// Direct-loop reference implementations, written for clarity, accumulated in `Double`.
enum Naive {
    /// `y[r, o] = b[o] + Σ_i x[r, i] · w[o, i]` over the rows of `x [..., dIn]`.
    static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let (outer, inner) = (weight.shape[0], weight.shape[1])
        let rows = x.count / inner
        var y = [Float](repeating: 0, count: rows * outer)
        for row in 0..<rows {
            for o in 0..<outer {
                var sum = Double(bias?.scalars[o] ?? 0)
                for i in 0..<inner { sum += Double(x.scalars[row * inner + i]) * Double(weight.scalars[o * inner + i]) }
                y[row * outer + o] = Float(sum)
            }
        }
        return Tensor(shape: Array(x.shape.dropLast()) + [outer], scalars: y)
    }

    /// The input value a convolution tap reads, or 0 in the padding.
    static func pixel(_ x: Tensor, _ n: Int, _ y: Int, _ xPosition: Int, _ c: Int) -> Float {
        let (h, w, channels) = (x.shape[1], x.shape[2], x.shape[3])
        guard y >= 0 && y < h && xPosition >= 0 && xPosition < w else { return 0 }
        return x.scalars[((n * h + y) * w + xPosition) * channels + c]
    }

    /// Direct convolution of channels-last `x` with a PyTorch-layout weight.
    static func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int) -> Tensor {
        let (n, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let (ho, wo) = ((h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1)
        var y = [Float](repeating: 0, count: n * ho * wo * cout)
        for example in 0..<n {
            for oy in 0..<ho {
                for ox in 0..<wo {
                    for o in 0..<cout {
                        var sum = Double(bias?.scalars[o] ?? 0)
                        for c in 0..<cin {
                            for ky in 0..<kh {
                                for kx in 0..<kw {
                                    let input = pixel(x, example, oy * stride - padding + ky, ox * stride - padding + kx, c)
                                    sum += Double(input) * Double(weight.scalars[((o * cin + c) * kh + ky) * kw + kx])
                                }
                            }
                        }
                        y[((example * ho + oy) * wo + ox) * cout + o] = Float(sum)
                    }
                }
            }
        }
        return Tensor(shape: [n, ho, wo, cout], scalars: y)
    }

    /// The im2col patch matrix, columns in PyTorch's `(Cin, kh, kw)` order.
    static func patches(_ x: Tensor, kernel: (Int, Int), stride: Int, padding: Int) -> Tensor {
        let (n, h, w, cin) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw) = kernel
        let (ho, wo) = ((h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1)
        var rows: [Float] = []
        for example in 0..<n {
            for oy in 0..<ho {
                for ox in 0..<wo {
                    for c in 0..<cin {
                        for ky in 0..<kh {
                            for kx in 0..<kw {
                                rows.append(pixel(x, example, oy * stride - padding + ky, ox * stride - padding + kx, c))
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n * ho * wo, cin * kh * kw], scalars: rows)
    }

    /// Group normalisation by collecting each group's values, then mean and variance in two passes.
    static func groupNorm(_ x: Tensor, groups: Int, gamma: Tensor, beta: Tensor, epsilon: Float) -> Tensor {
        let channels = x.shape[x.rank - 1]
        let examples = x.shape[0]
        let positions = x.count / (examples * channels)
        let groupSize = channels / groups
        var y = x.scalars
        for example in 0..<examples {
            for group in 0..<groups {
                var indices: [Int] = []
                for position in 0..<positions {
                    for c in (group * groupSize)..<((group + 1) * groupSize) {
                        indices.append((example * positions + position) * channels + c)
                    }
                }
                let mean = indices.reduce(0.0) { $0 + Double(x.scalars[$1]) } / Double(indices.count)
                let variance = indices.reduce(0.0) { $0 + pow(Double(x.scalars[$1]) - mean, 2) } / Double(indices.count)
                for index in indices {
                    let c = index % channels
                    let normalized = (Double(x.scalars[index]) - mean) / (variance + Double(epsilon)).squareRoot()
                    y[index] = Float(normalized * Double(gamma.scalars[c]) + Double(beta.scalars[c]))
                }
            }
        }
        return Tensor(shape: x.shape, scalars: y)
    }

    /// Multi-head attention with explicit loops over examples, heads, queries and keys.
    static func attention(query q: Tensor, key k: Tensor, value v: Tensor, heads: Int) -> Tensor {
        let (n, tq, channels, tk) = (q.shape[0], q.shape[1], q.shape[2], k.shape[1])
        let d = channels / heads
        var out = [Float](repeating: 0, count: q.count)
        for example in 0..<n {
            for head in 0..<heads {
                for i in 0..<tq {
                    var scores = [Double](repeating: 0, count: tk)
                    for j in 0..<tk {
                        for c in (head * d)..<((head + 1) * d) {
                            scores[j] += Double(q.scalars[(example * tq + i) * channels + c])
                                * Double(k.scalars[(example * tk + j) * channels + c])
                        }
                        scores[j] /= Double(d).squareRoot()
                    }
                    let maximum = scores.max() ?? 0
                    let weights = scores.map { exp($0 - maximum) }
                    let total = weights.reduce(0, +)
                    for c in (head * d)..<((head + 1) * d) {
                        var sum = 0.0
                        for j in 0..<tk { sum += weights[j] / total * Double(v.scalars[(example * tk + j) * channels + c]) }
                        out[(example * tq + i) * channels + c] = Float(sum)
                    }
                }
            }
        }
        return Tensor(shape: q.shape, scalars: out)
    }
}
