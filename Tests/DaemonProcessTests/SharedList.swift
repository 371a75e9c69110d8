import Synchronization

/// Values gathered from several threads, for the test's thread to check once they are done.
final class SharedList<Element: Sendable>: Sendable {
    private let items = Mutex<[Element]>([])

    /// Everything appended so far.
    var all: [Element] { items.withLock { $0 } }

    /// Adds `element`.
    func append(_ element: Element) {
        items.withLock { $0.append(element) }
    }
}

/// Failures seen on other threads.
typealias FailureLog = SharedList<String>

extension SharedList where Element == String {
    /// Runs `body`; if it throws, records the error under `label` and returns nil.
    func recording<Value>(_ label: String, _ body: () throws -> Value) -> Value? {
        do {
            return try body()
        } catch {
            append("\(label): \(error)")
            return nil
        }
    }
}
