/// A set of players (contributors numbered 0..<players), as a bit mask.
///
/// At most 64 players; the estimators refuse more. Ordered by mask so that stored coalition
/// tables have one canonical order.
public struct Coalition: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bit `i` is set when player `i` is a member.
    public let bits: UInt64

    /// The coalition with mask `bits`.
    public init(bits: UInt64) { self.bits = bits }

    /// The coalition of `members` (each in 0..<64).
    public init(members: some Sequence<Int>) {
        var bits: UInt64 = 0
        for member in members {
            precondition((0..<64).contains(member), "a player index must be in 0..<64")
            bits |= 1 << UInt64(member)
        }
        self.bits = bits
    }

    /// No players.
    public static let empty = Coalition(bits: 0)

    /// All of `players` players.
    public static func grand(players: Int) -> Coalition {
        precondition((0...64).contains(players), "at most 64 players")
        return Coalition(bits: players == 64 ? .max : (1 << UInt64(players)) - 1)
    }

    /// Whether `player` is a member.
    public func contains(_ player: Int) -> Bool { bits & (1 << UInt64(player)) != 0 }

    /// Number of members.
    public var count: Int { bits.nonzeroBitCount }

    /// The members in increasing order.
    public var members: [Int] { (0..<64).filter(contains) }

    /// This coalition with `player` added.
    public func adding(_ player: Int) -> Coalition { Coalition(bits: bits | (1 << UInt64(player))) }

    /// The players of a `players`-player game that are not members.
    public func complement(players: Int) -> Coalition { Coalition(bits: Coalition.grand(players: players).bits & ~bits) }

    public static func < (lhs: Coalition, rhs: Coalition) -> Bool { lhs.bits < rhs.bits }

    public var description: String { "{" + members.map(String.init).joined(separator: ",") + "}" }
}
