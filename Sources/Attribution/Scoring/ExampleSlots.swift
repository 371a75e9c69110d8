/// Dense slots for example ids seen across checkpoints, so per-example sums live in arrays.
///
/// Stores usually write every checkpoint's examples in the same order, so the lookup first
/// tries the slot after the previous one and falls back to hashing only when that guess misses:
/// then a later checkpoint costs no hash lookup at all.
struct ExampleSlots {
    /// Example id of each slot, in order of first appearance.
    private(set) var ids: [Int64] = []
    private var slotOfID: [Int64: Int] = [:]
    private var guess = 0

    /// Number of slots.
    var count: Int { ids.count }

    /// The slot of `id` and whether it was just created.
    @inline(__always)
    mutating func slot(for id: Int64) -> (slot: Int, isNew: Bool) {
        if guess < ids.count && ids[guess] == id {
            defer { guess += 1 }
            return (guess, false)
        }
        if let slot = slotOfID[id] {
            guess = slot + 1
            return (slot, false)
        }
        let slot = ids.count
        ids.append(id)
        slotOfID[id] = slot
        guess = slot + 1
        return (slot, true)
    }
}
