/// Row-wise softmax and its pullback on `rows × columns` blocks, vectorised along the rows.
enum SoftmaxRows {
    /// Replaces each row by its softmax, subtracting the row maximum first.
    static func forward(_ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let values = scores + row * columns
            let input = UnsafePointer(values)
            // Padding lanes hold −∞: neutral for the maximum, and e^−∞ = 0 for the sum.
            var maxima = FloatVector(repeating: -.infinity)
            VectorLoop.forEachVector(count: columns) { index, lanes in
                maxima = maxima.lanewiseMaximum(input.loadVector(at: index, lanes: lanes, padding: -.infinity))
            }
            let maximum = maxima.laneMaximum
            var sums = FloatVector()
            VectorLoop.forEachVector(count: columns) { index, lanes in
                let exponential = vectorExp(input.loadVector(at: index, lanes: lanes, padding: -.infinity) - maximum)
                sums += exponential
                values.storeVector(exponential, at: index, lanes: lanes)
            }
            let reciprocal = 1 / sums.laneSum
            let row = UnsafeMutableBufferPointer(start: values, count: columns)
            VectorLoop.map(UnsafeBufferPointer(row), into: row) { $0 * reciprocal }
        }
    }

    /// Turns the gradient with respect to the probabilities into the gradient with respect to
    /// the scores, in place: `dS = P ⊙ (dP − Σ_j dP_j P_j)` row by row.
    static func backward(_ gradient: UnsafeMutablePointer<Float>, probabilities: UnsafePointer<Float>,
                         rows: Int, columns: Int) {
        for row in 0..<rows {
            let dp = UnsafeMutableBufferPointer(start: gradient + row * columns, count: columns)
            let p = UnsafeBufferPointer(start: probabilities + row * columns, count: columns)
            var dots = FloatVector()
            VectorLoop.forEachVector(count: columns) { index, lanes in
                dots += UnsafePointer(dp.baseAddress!).loadVector(at: index, lanes: lanes)
                    * p.baseAddress!.loadVector(at: index, lanes: lanes)
            }
            let dot = dots.laneSum
            VectorLoop.map(UnsafeBufferPointer(dp), p, into: dp) { dp, p in p * (dp - dot) }
        }
    }
}
