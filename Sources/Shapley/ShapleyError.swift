/// Why a Shapley estimate cannot be set up, restored or continued.
public enum ShapleyError: Error, CustomStringConvertible {
    /// Games have 1 to 64 players (a coalition is a 64-bit mask).
    case invalidPlayers(Int)
    /// Every coalition value has at least one property.
    case invalidProperties(Int)
    /// Exact enumeration visits all 2^players coalitions; above `limit` players that is refused.
    case tooManyPlayersForExact(players: Int, limit: Int)
    /// A coalition value has `found` numbers where the game has `expected` properties.
    case wrongValueCount(coalition: Coalition, expected: Int, found: Int)
    /// A coalition value is NaN or infinite.
    case nonFiniteValue(coalition: Coalition, property: Int, value: Double)
    /// A restored memo lists the same coalition twice.
    case duplicateCoalition(Coalition)
    /// The memo holds values of `found` properties, the estimator `expected`.
    case propertyCountMismatch(expected: Int, found: Int)
    /// A sampler state to restore is inconsistent (array lengths, counts, non-finite sums).
    case invalidState(reason: String)
    /// The state to resume from belongs to a different game or sampling.
    case resumeMismatch(reason: String)
    /// A standard-error target must be a non-negative number.
    case invalidTarget(Double)
    /// `minSamples` and `maxNewEvaluations` cannot be negative.
    case invalidRunLimit(name: String, value: Int)
    /// Evaluating `coalition` failed; `cause` is the error of the evaluating closure.
    case evaluationFailed(coalition: Coalition, cause: any Error)

    /// A readable explanation naming the offending value or coalition.
    public var description: String {
        switch self {
        case .invalidPlayers(let players): "a Shapley game needs 1 to 64 players, not \(players)"
        case .invalidProperties(let properties): "a Shapley game needs at least one property, not \(properties)"
        case .tooManyPlayersForExact(let players, let limit):
            "exact enumeration of \(players) players (2^\(players) coalitions) is refused above \(limit) players; use kernel or permutation sampling"
        case .wrongValueCount(let coalition, let expected, let found):
            "coalition \(coalition) has \(found) values, the game has \(expected) properties"
        case .nonFiniteValue(let coalition, let property, let value):
            "coalition \(coalition) has the non-finite value \(value) for property \(property)"
        case .duplicateCoalition(let coalition): "coalition \(coalition) appears twice in the restored values"
        case .propertyCountMismatch(let expected, let found):
            "the coalition values have \(found) properties, the estimator \(expected)"
        case .invalidState(let reason): "invalid Shapley sampler state: \(reason)"
        case .resumeMismatch(let reason): "cannot resume the Shapley sampler: \(reason)"
        case .invalidTarget(let value): "a standard-error target must be a non-negative number, not \(value)"
        case .invalidRunLimit(let name, let value): "\(name) must not be negative, not \(value)"
        case .evaluationFailed(let coalition, let cause): "evaluating coalition \(coalition) failed: \(cause)"
        }
    }
}
