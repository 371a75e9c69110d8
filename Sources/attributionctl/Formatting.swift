import AttributionProtocol
import Foundation

/// How values are written in tables.
enum Formatting {
    /// A score with four significant digits ("0.01235", "-3.2e-05").
    static func score(_ value: Double) -> String {
        String(format: "%.4g", value)
    }

    /// A score with four significant digits.
    static func score(_ value: Float) -> String {
        score(Double(value))
    }

    /// A span of seconds as "3d 4h 05m", "2h 03m 11s", "4m 07s" or "12.3s".
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        let whole = Int(seconds)
        let (days, hours, minutes, rest) = (whole / 86_400, whole / 3600 % 24, whole / 60 % 60, whole % 60)
        if days > 0 { return String(format: "%dd %dh %02dm", days, hours, minutes) }
        if hours > 0 { return String(format: "%dh %02dm %02ds", hours, minutes, rest) }
        return String(format: "%dm %02ds", minutes, rest)
    }

    /// A moment in ISO 8601, UTC, to the second.
    static func date(_ date: Date?) -> String {
        guard let date else { return "-" }
        return date.formatted(.iso8601)
    }

    /// Where an example lives: "shard-00001.safetensors:17".
    static func location(_ example: ScoredExample) -> String {
        "\(example.shard):\(example.row)"
    }

    /// A contributor as "name (id)", the id alone when it has no name, "-" when unknown.
    static func contributor(id: Int64, name: String?) -> String {
        if id < 0 { return "-" }
        guard let name, !name.isEmpty else { return "\(id)" }
        return "\(name) (\(id))"
    }

    /// Steps as "200, 400, 600".
    static func steps(_ steps: [Int]) -> String {
        steps.map(String.init).joined(separator: ", ")
    }
}
