/// The vector width of the elementwise kernels: eight floats (two SSE registers, one AVX register).
///
/// Swift's `SIMD8<Float>` lowers to native vector instructions in optimised builds, so a loop over
/// vectors does the work of eight scalar iterations without per-element bounds checks.
typealias FloatVector = SIMD8<Float>

extension UnsafePointer<Float> {
    /// The eight floats starting at `offset`, which need not be vector-aligned.
    @inline(__always)
    func loadVector(at offset: Int) -> FloatVector {
        UnsafeRawPointer(self + offset).loadUnaligned(as: FloatVector.self)
    }

    /// The first `lanes` (at most 8) floats starting at `offset`, and `padding` in the other lanes.
    @inline(__always)
    func loadVector(at offset: Int, lanes: Int, padding: Float = 0) -> FloatVector {
        if lanes == FloatVector.scalarCount { return loadVector(at: offset) }
        var vector = FloatVector(repeating: padding)
        for lane in 0..<lanes { vector[lane] = self[offset + lane] }
        return vector
    }
}

extension UnsafeMutablePointer<Float> {
    /// Writes eight floats starting at `offset`, which need not be vector-aligned.
    @inline(__always)
    func storeVector(_ vector: FloatVector, at offset: Int) {
        UnsafeMutableRawPointer(self + offset).storeBytes(of: vector, as: FloatVector.self)
    }

    /// Writes the first `lanes` (at most 8) floats of `vector` starting at `offset`.
    @inline(__always)
    func storeVector(_ vector: FloatVector, at offset: Int, lanes: Int) {
        if lanes == FloatVector.scalarCount { return storeVector(vector, at: offset) }
        for lane in 0..<lanes { self[offset + lane] = vector[lane] }
    }
}

extension FloatVector {
    /// The sum of the eight lanes, added pairwise.
    @inline(__always)
    var laneSum: Float {
        let four = lowHalf + highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    /// The largest of the eight lanes (NaN lanes are ignored unless all are NaN).
    @inline(__always)
    var laneMaximum: Float {
        var maximum = self[0]
        for lane in 1..<FloatVector.scalarCount where self[lane] > maximum || maximum.isNaN { maximum = self[lane] }
        return maximum
    }

    /// Lane by lane, the larger of `self` and `other` (written as a select: the standard
    /// library's `pointwiseMax` goes through unspecialised generics).
    @inline(__always)
    func lanewiseMaximum(_ other: FloatVector) -> FloatVector {
        replacing(with: other, where: other .> self)
    }
}

/// Elementwise loops over buffers of equal length, eight elements at a time.
///
/// The last `count % 8` elements go through the same vector function on a zero-padded vector, so
/// callers write one function and every element sees identical arithmetic. The output may be one
/// of the inputs.
enum VectorLoop {
    /// `output[i] = function(input[i])`.
    @inline(__always)
    static func map(
        _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
        _ function: (FloatVector) -> FloatVector
    ) {
        precondition(input.count == output.count, "map over \(input.count) into \(output.count) elements")
        guard let x = input.baseAddress, let y = output.baseAddress else { return }
        forEachVector(count: output.count) { index, lanes in
            y.storeVector(function(x.loadVector(at: index, lanes: lanes)), at: index, lanes: lanes)
        }
    }

    /// `output[i] = function(first[i], second[i])`.
    @inline(__always)
    static func map(
        _ first: UnsafeBufferPointer<Float>, _ second: UnsafeBufferPointer<Float>,
        into output: UnsafeMutableBufferPointer<Float>, _ function: (FloatVector, FloatVector) -> FloatVector
    ) {
        precondition(first.count == output.count && second.count == output.count,
                     "map over \(first.count) and \(second.count) into \(output.count) elements")
        guard let a = first.baseAddress, let b = second.baseAddress, let y = output.baseAddress else { return }
        forEachVector(count: output.count) { index, lanes in
            let value = function(a.loadVector(at: index, lanes: lanes), b.loadVector(at: index, lanes: lanes))
            y.storeVector(value, at: index, lanes: lanes)
        }
    }

    /// `output[i] = function(first[i], second[i], third[i])`.
    @inline(__always)
    static func map(
        _ first: UnsafeBufferPointer<Float>, _ second: UnsafeBufferPointer<Float>, _ third: UnsafeBufferPointer<Float>,
        into output: UnsafeMutableBufferPointer<Float>, _ function: (FloatVector, FloatVector, FloatVector) -> FloatVector
    ) {
        precondition(first.count == output.count && second.count == output.count && third.count == output.count,
                     "map over \(first.count), \(second.count) and \(third.count) into \(output.count) elements")
        guard let a = first.baseAddress, let b = second.baseAddress, let c = third.baseAddress,
              let y = output.baseAddress else { return }
        forEachVector(count: output.count) { index, lanes in
            let value = function(a.loadVector(at: index, lanes: lanes), b.loadVector(at: index, lanes: lanes),
                                 c.loadVector(at: index, lanes: lanes))
            y.storeVector(value, at: index, lanes: lanes)
        }
    }

    /// Calls `body(index, lanes)` for consecutive vectors covering `0..<count`: `lanes` is 8 except
    /// possibly for the last one.
    @inline(__always)
    static func forEachVector(count: Int, _ body: (_ index: Int, _ lanes: Int) -> Void) {
        let width = FloatVector.scalarCount
        let whole = count - count % width
        var index = 0
        while index < whole {
            body(index, width)
            index += width
        }
        if index < count { body(index, count - index) }
    }
}
