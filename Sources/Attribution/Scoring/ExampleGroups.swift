/// Which group (e.g. contributor) each training example belongs to, for per-group score sums.
///
/// Groups get dense indices (in ascending group-id order) once, so a session adds each example's
/// scores to an array slot instead of hashing group ids. Build it once and share it between
/// sessions. Examples without a group are left out of group sums (they are still ranked).
public struct ExampleGroups: Sendable {
    /// Group ids in dense-index order (ascending).
    let groupIDs: [Int64]
    private let indexOfExample: [Int64: Int]

    /// Groups examples by `groupOfExample[exampleID] = groupID`.
    public init(groupOfExample: [Int64: Int64]) {
        groupIDs = Array(Set(groupOfExample.values)).sorted()
        let indexOfGroup = Dictionary(uniqueKeysWithValues: groupIDs.enumerated().map { ($1, $0) })
        indexOfExample = groupOfExample.compactMapValues { indexOfGroup[$0] }
    }

    /// Number of distinct groups.
    public var count: Int { groupIDs.count }

    /// The dense index of the group holding example `id`, if any.
    @inline(__always)
    func groupIndex(of id: Int64) -> Int? { indexOfExample[id] }
}

/// Per-query, per-group sums of example scores, in double precision.
struct GroupScoreAccumulator {
    let groups: ExampleGroups
    private let queries: Int
    private var sums: [Double]     // [groups × queries]
    private var members: [Int]     // scored examples per group

    init(groups: ExampleGroups, queries: Int) {
        self.groups = groups
        self.queries = queries
        sums = [Double](repeating: 0, count: groups.count * queries)
        members = [Int](repeating: 0, count: groups.count)
    }

    /// Adds example `id`'s scores (`scores[q]` for query q) to its group, if it has one.
    @inline(__always)
    mutating func add(id: Int64, scores: UnsafePointer<Float>) {
        guard let group = groups.groupIndex(of: id) else { return }
        members[group] += 1
        let base = group * queries
        for query in 0..<queries { sums[base + query] += Double(scores[query]) }
    }

    /// Per query, the groups with at least one scored example, highest sum first.
    func results() -> [[GroupScore]] {
        (0..<queries).map { query in
            groups.groupIDs.indices
                .filter { members[$0] > 0 }
                .map { GroupScore(group: groups.groupIDs[$0], score: sums[$0 * queries + query], examples: members[$0]) }
                .sorted { $0.score > $1.score || ($0.score == $1.score && $0.group < $1.group) }
        }
    }
}
