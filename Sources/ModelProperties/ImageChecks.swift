import Numerics

/// Checks shared by everything that reads a batch of images.
enum ImageChecks {
    /// Throws unless `images` is `[N, C, H, W]` with at least `minimum` finite images (and, when
    /// given, each of shape `expected`); no images at all from a held-out set is
    /// ``PropertyError/emptyHeldOutSet(property:)``.
    static func validate(_ images: Tensor, property: String, minimum: Int, expected: [Int]? = nil, heldOut: Bool) throws(PropertyError) {
        guard images.rank == 4 else {
            throw .invalidSetting(name: "\(property) images", value: "shape \(images.shape)", reason: "must be [N, C, H, W]")
        }
        if images.shape[0] == 0 && heldOut { throw .emptyHeldOutSet(property: property) }
        if images.shape[0] < minimum { throw .tooFewImages(property: property, needed: minimum, found: images.shape[0]) }
        let shape = Array(images.shape.dropFirst())
        if let expected, shape != expected { throw .imageShapeMismatch(property: property, found: shape, expected: expected) }
        guard images.isFinite else { throw .nonFiniteImages(property: property) }
    }
}
