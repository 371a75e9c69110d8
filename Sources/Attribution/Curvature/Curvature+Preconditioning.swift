import Numerics

extension Curvature {
    /// Inverse-(damped-)curvature-vector products of many flat gradients at once.
    ///
    /// Per layer, every query's block `V` becomes `Q_S [(Q_Sᵀ V Q_A) ⊘ (Λ + λ)] Q_Aᵀ`, computed
    /// with GEMMs over all queries together. In identity mode the queries are returned unchanged.
    ///
    /// - Parameter queries: `[Q, layout.dimension]` flat gradients.
    /// - Returns: `[Q, layout.dimension]`: `(H + λI)⁻¹ v` for every row `v`.
    public func precondition(_ queries: Tensor) -> Tensor {
        checkFlat(queries)
        if mode == .identity { return queries }
        let (count, dimension) = (queries.shape[0], queries.shape[1])
        var result = queries
        for (layer, block) in zip(layers, layout.blocks) {
            guard let basis = layer.basis else { continue }
            var rotated = basis.rotate(Self.gather(block, of: queries), rows: count, .intoEigenbasis)
            for row in 0..<count {
                for index in 0..<block.count {
                    rotated[row * block.count + index] /= layer.eigenvalues[index] + layer.damping
                }
            }
            let solved = basis.rotate(rotated, rows: count, .fromEigenbasis)
            for row in 0..<count {
                let start = row * dimension + block.offset
                result.scalars.replaceSubrange(start..<(start + block.count),
                                               with: solved[(row * block.count)..<((row + 1) * block.count)])
            }
        }
        return result
    }

    /// `gᵀ (H + λI)⁻¹ g` for every row `g` of `rows` (`gᵀg` in identity mode).
    ///
    /// Only the rotation into the eigenbasis is needed: `Σ_{jk} (Q_Sᵀ G̃ Q_A)²_{jk} / (Λ_{jk} + λ)`.
    ///
    /// - Parameter rows: `[N, layout.dimension]` flat gradients.
    public func selfInfluence(_ rows: Tensor) -> [Float] {
        checkFlat(rows)
        let count = rows.shape[0]
        var totals = [Double](repeating: 0, count: count)
        for (layer, block) in zip(layers, layout.blocks) {
            let values = Self.gather(block, of: rows)
            guard let basis = layer.basis else {
                for row in 0..<count {
                    for index in 0..<block.count {
                        let value = Double(values[row * block.count + index])
                        totals[row] += value * value
                    }
                }
                continue
            }
            let rotated = basis.rotate(values, rows: count, .intoEigenbasis)
            for row in 0..<count {
                for index in 0..<block.count {
                    let value = Double(rotated[row * block.count + index])
                    totals[row] += value * value / Double(layer.eigenvalues[index] + layer.damping)
                }
            }
        }
        return totals.map { Float($0) }
    }

    private func checkFlat(_ tensor: Tensor) {
        Swift.precondition(tensor.rank == 2 && tensor.shape[1] == layout.dimension,
                           "flat gradients must be [rows, \(layout.dimension)], got \(tensor.shape)")
    }

    /// The `[rows, block.count]` columns of `block` in `[rows, dimension]` flat vectors.
    private static func gather(_ block: GradientLayout.Block, of flat: Tensor) -> [Float] {
        let (rows, dimension) = (flat.shape[0], flat.shape[1])
        var values: [Float] = []
        values.reserveCapacity(rows * block.count)
        for row in 0..<rows {
            let start = row * dimension + block.offset
            values.append(contentsOf: flat.scalars[start..<(start + block.count)])
        }
        return values
    }
}
