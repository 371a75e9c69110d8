import AttributionProtocol
import Foundation

/// Reads just the `id` of a request line, leniently, for the answers the server gives on its own
/// (timed out, shutting down) without knowing anything else about the request.
enum RequestIDProbe {
    /// What the server should echo.
    enum Outcome: Equatable {
        /// A request: answer with this id (null when the line is not an object with a readable id).
        case request(JSONRPCID)
        /// An object without an `id` member: a notification, which gets no answer.
        case notification
    }

    static func probe(_ line: [UInt8]) -> Outcome {
        guard let envelope = try? JSONDecoder().decode(IDOnly.self, from: Data(line)) else { return .request(.null) }
        return envelope.outcome
    }

    private struct IDOnly: Decodable {
        let outcome: Outcome

        private enum CodingKeys: String, CodingKey { case id }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard container.contains(.id) else {
                outcome = .notification
                return
            }
            outcome = .request((try? container.decode(JSONRPCID.self, forKey: .id)) ?? .null)
        }
    }
}
