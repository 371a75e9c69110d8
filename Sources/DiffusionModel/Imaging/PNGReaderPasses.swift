/// The sub-images a PNG's scanlines are split into: one for a plain image, seven for Adam7
/// interlacing (specification §8.2), each filtered and stored on its own, one after another.
struct PNGReaderPass {
    /// Where the pass's first pixel sits in the full image, and the spacing of its pixels.
    let column: Int, row: Int, columnStep: Int, rowStep: Int
    /// The pass's own size; either may be 0 for small images, and then the pass holds no bytes.
    let width: Int, height: Int

    /// Adam7's seven passes as (column, row, column step, row step).
    private static let adam7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]

    /// The passes of an image with this header, in storage order.
    static func passes(for header: PNGImageHeader) -> [PNGReaderPass] {
        guard header.isInterlaced else {
            return [PNGReaderPass(column: 0, row: 0, columnStep: 1, rowStep: 1, width: header.width, height: header.height)]
        }
        return adam7.map { column, row, columnStep, rowStep in
            PNGReaderPass(
                column: column, row: row, columnStep: columnStep, rowStep: rowStep,
                width: (header.width - column + columnStep - 1) / columnStep,
                height: (header.height - row + rowStep - 1) / rowStep
            )
        }
    }

    /// Copies the pass's RGB pixels (`width * height * 3` bytes) to their places in the full image.
    func scatter(_ passPixels: [UInt8], into image: inout [UInt8], imageWidth: Int) {
        for y in 0..<height {
            for x in 0..<width {
                let source = (y * width + x) * 3
                let target = ((row + y * rowStep) * imageWidth + column + x * columnStep) * 3
                image[target] = passPixels[source]
                image[target + 1] = passPixels[source + 1]
                image[target + 2] = passPixels[source + 2]
            }
        }
    }
}
