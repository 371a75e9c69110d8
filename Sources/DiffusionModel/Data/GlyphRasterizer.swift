/// Anti-aliased rasterisation of a `GlyphShape`.
enum GlyphRasterizer {
    /// Samples per pixel side; the coverage of a pixel is the fraction of its 3×3 sample points
    /// inside the shape, which smooths edges enough to keep small shapes recognisable.
    static let samplesPerSide = 3

    /// Per-pixel coverage in 0…1, row-major `size × size`, for a shape centred at `centre` with
    /// `radius`, both as fractions of the image side.
    static func coverage(of shape: GlyphShape, size: Int, centre: SIMD2<Float>, radius: Float) -> [Float] {
        let side = Float(size)
        let step = 1 / Float(samplesPerSide)
        let sampleCount = Float(samplesPerSide * samplesPerSide)
        var coverage = [Float](repeating: 0, count: size * size)
        for y in 0..<size {
            for x in 0..<size {
                var inside = 0
                for sy in 0..<samplesPerSide {
                    for sx in 0..<samplesPerSide {
                        let point = SIMD2(Float(x) + (Float(sx) + 0.5) * step, Float(y) + (Float(sy) + 0.5) * step) / side
                        let local = (point - centre) / radius
                        if shape.contains(u: local.x, v: local.y) { inside += 1 }
                    }
                }
                coverage[y * size + x] = Float(inside) / sampleCount
            }
        }
        return coverage
    }
}
