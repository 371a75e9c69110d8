import Numerics

/// Maps the layer names a ``Numerics/LayerObserver`` hears to layout indices, and checks that a
/// backward pass reported every layer exactly once: a layer the tape never reported would leave
/// its block silently zero.
struct LayerVisits {
    private let indices: [String: Int]
    private let names: [String]
    private var counts: [Int]

    init(layout: GradientLayout) {
        names = layout.blocks.map(\.layer)
        indices = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
        counts = Array(repeating: 0, count: names.count)
    }

    /// The layout index of `layer`, counting the visit.
    mutating func visit(_ layer: String) -> Int {
        guard let index = indices[layer] else { preconditionFailure("observed layer \(layer) is not in the gradient layout") }
        counts[index] += 1
        return index
    }

    /// Checks that the pass reported every layer once, and starts counting the next pass.
    mutating func finishPass() {
        if let index = counts.firstIndex(where: { $0 != 1 }) {
            preconditionFailure("layer \(names[index]) was observed \(counts[index]) times in one backward pass")
        }
        counts = Array(repeating: 0, count: names.count)
    }
}
