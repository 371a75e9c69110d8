extension Tape {
    /// Multi-head scaled dot-product attention without projections (diffusers' `Attention` core).
    ///
    /// For every example and head `h` (channels `h·d ..< (h+1)·d`, `d = C / heads`):
    /// `out_h = softmax(q_h k_hᵀ / √d) v_h`. Heads are addressed in place through GEMM leading
    /// dimensions, never copied. The attention probabilities are kept for the backward pass.
    ///
    /// - Parameters:
    ///   - query: `[N, Tq, C]`.
    ///   - key: `[N, Tk, C]`.
    ///   - value: `[N, Tk, C]`.
    ///   - heads: Number of heads; must divide C.
    /// - Returns: `[N, Tq, C]`, heads side by side in the channel dimension.
    public func attention(query: Variable, key: Variable, value values: Variable, heads: Int) -> Variable {
        let q = value(query)
        let k = value(key)
        let v = value(values)
        let shape = AttentionShape(query: q.shape, key: k.shape, value: v.shape, heads: heads)
        // Both are written whole, head by head, by GEMMs with beta 0.
        var probabilities = Tensor(shape: [shape.batch, heads, shape.queries, shape.keys],
                                   unsafeUninitializedScalarsWith: { _ in })
        var output = Tensor(shape: q.shape, unsafeUninitializedScalarsWith: { _ in })
        q.scalars.withUnsafeBufferPointer { q in
            k.scalars.withUnsafeBufferPointer { k in
                v.scalars.withUnsafeBufferPointer { v in
                    probabilities.scalars.withUnsafeMutableBufferPointer { p in
                        output.scalars.withUnsafeMutableBufferPointer { out in
                            shape.forEachHead { queryStart, keyStart, probabilityStart in
                                let scores = p.baseAddress! + probabilityStart
                                sgemm(.none, .transposed, m: shape.queries, n: shape.keys, k: shape.headSize,
                                      alpha: shape.scale, a: q.baseAddress! + queryStart, lda: shape.channels,
                                      b: k.baseAddress! + keyStart, ldb: shape.channels, c: scores, ldc: shape.keys)
                                SoftmaxRows.forward(scores, rows: shape.queries, columns: shape.keys)
                                sgemm(.none, .none, m: shape.queries, n: shape.headSize, k: shape.keys,
                                      a: scores, lda: shape.keys, b: v.baseAddress! + keyStart, ldb: shape.channels,
                                      c: out.baseAddress! + queryStart, ldc: shape.channels)
                            }
                        }
                    }
                }
            }
        }
        let needs = (query: requiresGradient(query), key: requiresGradient(key), value: requiresGradient(values))
        return record(output, operands: [query, key, values]) { gradient in
            var (dq, dk, dv) = (Tensor(zerosLike: q), Tensor(zerosLike: k), Tensor(zerosLike: v))
            var scoreGradient = [Float](repeating: 0, count: shape.queries * shape.keys)
            q.scalars.withUnsafeBufferPointer { q in
            k.scalars.withUnsafeBufferPointer { k in
            v.scalars.withUnsafeBufferPointer { v in
            probabilities.scalars.withUnsafeBufferPointer { p in
            gradient.scalars.withUnsafeBufferPointer { dOut in
            dq.scalars.withUnsafeMutableBufferPointer { dq in
            dk.scalars.withUnsafeMutableBufferPointer { dk in
            dv.scalars.withUnsafeMutableBufferPointer { dv in
            scoreGradient.withUnsafeMutableBufferPointer { dS in
                let ld = shape.channels
                shape.forEachHead { queryStart, keyStart, probabilityStart in
                    let probability = p.baseAddress! + probabilityStart
                    let outputGradient = dOut.baseAddress! + queryStart
                    if needs.value {  // dV_h = Pᵀ dO_h
                        sgemm(.transposed, .none, m: shape.keys, n: shape.headSize, k: shape.queries,
                              a: probability, lda: shape.keys, b: outputGradient, ldb: ld,
                              c: dv.baseAddress! + keyStart, ldc: ld)
                    }
                    guard needs.query || needs.key else { return }
                    // dP = dO_h V_hᵀ, then through the softmax: dS = P ⊙ (dP − rowsum(dP ⊙ P)).
                    sgemm(.none, .transposed, m: shape.queries, n: shape.keys, k: shape.headSize,
                          a: outputGradient, lda: ld, b: v.baseAddress! + keyStart, ldb: ld,
                          c: dS.baseAddress!, ldc: shape.keys)
                    SoftmaxRows.backward(dS.baseAddress!, probabilities: probability,
                                         rows: shape.queries, columns: shape.keys)
                    if needs.query {  // dQ_h = scale · dS K_h
                        sgemm(.none, .none, m: shape.queries, n: shape.headSize, k: shape.keys, alpha: shape.scale,
                              a: dS.baseAddress!, lda: shape.keys, b: k.baseAddress! + keyStart, ldb: ld,
                              c: dq.baseAddress! + queryStart, ldc: ld)
                    }
                    if needs.key {  // dK_h = scale · dSᵀ Q_h
                        sgemm(.transposed, .none, m: shape.keys, n: shape.headSize, k: shape.queries, alpha: shape.scale,
                              a: dS.baseAddress!, lda: shape.keys, b: q.baseAddress! + queryStart, ldb: ld,
                              c: dk.baseAddress! + keyStart, ldc: ld)
                    }
                }
            }}}}}}}}}
            var contributions: [(Variable, Tensor)] = []
            if needs.query { contributions.append((query, dq)) }
            if needs.key { contributions.append((key, dk)) }
            if needs.value { contributions.append((values, dv)) }
            return contributions
        }
    }
}

/// Extents of one attention call and where each (example, head) block starts.
private struct AttentionShape {
    let batch, queries, keys, channels, heads, headSize: Int
    /// `1 / √headSize`.
    let scale: Float

    init(query: [Int], key: [Int], value: [Int], heads: Int) {
        precondition(query.count == 3 && key.count == 3 && key == value && query[0] == key[0] && query[2] == key[2],
                     "attention: query \(query), key \(key), value \(value) are not [N, T, C] alike")
        precondition(heads > 0 && query[2] % heads == 0, "attention: \(heads) heads do not divide \(query[2]) channels")
        (batch, queries, keys, channels) = (query[0], query[1], key[1], query[2])
        self.heads = heads
        headSize = channels / heads
        scale = 1 / Float(headSize).squareRoot()
    }

    /// Calls `body` for every (example, head) with the flat offsets of the head's first query
    /// element, first key/value element, and first attention probability.
    func forEachHead(_ body: (_ queryStart: Int, _ keyStart: Int, _ probabilityStart: Int) -> Void) {
        for example in 0..<batch {
            for head in 0..<heads {
                body(example * queries * channels + head * headSize,
                     example * keys * channels + head * headSize,
                     (example * heads + head) * queries * keys)
            }
        }
    }
}
