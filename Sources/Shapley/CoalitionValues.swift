/// The memo of evaluated coalitions: one value per property for each coalition evaluated so far.
///
/// Estimators read it before evaluating anything, so values kept from an earlier refresh (or a
/// store) are never evaluated again.
public struct CoalitionValues: Sendable, Equatable {
    /// Number of properties: the length of every value array.
    public let properties: Int
    private var table: [Coalition: [Double]] = [:]

    /// An empty memo for values of `properties` properties.
    public init(properties: Int) {
        precondition(properties >= 1, "a coalition value has at least one property")
        self.properties = properties
    }

    /// A memo restored from `entries` (e.g. read from a store); every value is checked as by
    /// `record(_:for:)` and a coalition may appear only once.
    public init(properties: Int, entries: [(coalition: Coalition, values: [Double])]) throws(ShapleyError) {
        guard properties >= 1 else { throw .invalidProperties(properties) }
        self.init(properties: properties)
        for entry in entries {
            guard table[entry.coalition] == nil else { throw .duplicateCoalition(entry.coalition) }
            try record(entry.values, for: entry.coalition)
        }
    }

    /// The values of `coalition`, or `nil` when it has not been evaluated.
    public subscript(_ coalition: Coalition) -> [Double]? { table[coalition] }

    /// Number of coalitions evaluated.
    public var count: Int { table.count }

    /// Every evaluated coalition with its values, in increasing mask order.
    public var entries: [(coalition: Coalition, values: [Double])] {
        table.keys.sorted().map { (coalition: $0, values: table[$0]!) }
    }

    /// Stores (or replaces) the values of `coalition`; refuses a value array whose length is
    /// not `properties` and values that are NaN or infinite.
    public mutating func record(_ values: [Double], for coalition: Coalition) throws(ShapleyError) {
        guard values.count == properties else {
            throw .wrongValueCount(coalition: coalition, expected: properties, found: values.count)
        }
        if let property = values.firstIndex(where: { !$0.isFinite }) {
            throw .nonFiniteValue(coalition: coalition, property: property, value: values[property])
        }
        table[coalition] = values
    }
}
