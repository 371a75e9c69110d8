/// Gathering tap-major patches from a channels-last image and scatter-adding patch gradients
/// back onto it.
///
/// In a tap-major patch `(kh, kw, Cin)`, kernel row `tapY` of output position `(y, x)` covers the
/// input pixels `(y·stride − padding + tapY, x·stride − padding + tapX)` for consecutive `tapX`:
/// one contiguous run of `kw·Cin` floats of the image, minus the taps that fall into the padding.
extension ConvolutionGeometry {
    /// Writes the patches of `rows` into `patches` (`[rows.count, patchSize]`, every element).
    func fillPatches(from input: UnsafePointer<Float>, rows: Range<Int>, into patches: UnsafeMutablePointer<Float>) {
        let kernelRow = kernelWidth * inChannels
        var destination = patches
        for row in rows {
            forEachKernelRow(of: row) { tapY, pixel, validTaps in
                let start = destination + tapY * kernelRow
                guard let pixel else { return start.update(repeating: 0, count: kernelRow) }
                let (before, inside) = (validTaps.lowerBound * inChannels, validTaps.count * inChannels)
                start.update(repeating: 0, count: before)
                (start + before).update(from: input + pixel, count: inside)
                (start + before + inside).update(repeating: 0, count: kernelRow - before - inside)
            }
            destination += patchSize
        }
    }

    /// Adds the patch gradients of `rows` (`[rows.count, patchSize]`) onto the pixels they were
    /// gathered from; gradients of taps in the padding are dropped.
    func addPatches(_ patches: UnsafePointer<Float>, rows: Range<Int>, into image: UnsafeMutablePointer<Float>) {
        let kernelRow = kernelWidth * inChannels
        var source = patches
        for row in rows {
            forEachKernelRow(of: row) { tapY, pixel, validTaps in
                guard let pixel else { return }
                let count = validTaps.count * inChannels
                let gradient = UnsafeBufferPointer(start: source + tapY * kernelRow + validTaps.lowerBound * inChannels,
                                                   count: count)
                let target = UnsafeMutableBufferPointer(start: image + pixel, count: count)
                VectorLoop.map(UnsafeBufferPointer(target), gradient, into: target) { $0 + $1 }
            }
            source += patchSize
        }
    }

    /// Calls `body(tapY, pixel, validTaps)` for each kernel row of output `row`: `validTaps` are
    /// the `tapX` that fall inside the image and `pixel` is the flat index of channel 0 of the
    /// first of them, or `nil` when the whole kernel row is in the padding.
    @inline(__always)
    private func forEachKernelRow(of row: Int, _ body: (_ tapY: Int, _ pixel: Int?, _ validTaps: Range<Int>) -> Void) {
        let example = row / (outHeight * outWidth)
        let outY = row / outWidth % outHeight
        let left = row % outWidth * stride - padding  // input column of tap 0
        let firstTap = min(kernelWidth, max(0, -left))
        let validTaps = firstTap..<max(firstTap, min(kernelWidth, width - left))
        for tapY in 0..<kernelHeight {
            let inY = outY * stride - padding + tapY
            let inside = inY >= 0 && inY < height && !validTaps.isEmpty
            body(tapY, inside ? ((example * height + inY) * width + left + validTaps.lowerBound) * inChannels : nil,
                 validTaps)
        }
    }
}
