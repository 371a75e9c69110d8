import AttributionStore
import Foundation

extension Timestamp {
    /// The instant as a `Date` (to the fraction of a microsecond a `Double` holds).
    var date: Date {
        Date(timeIntervalSince1970: Double(nanosecondsSinceEpoch) / 1e9)
    }
}
