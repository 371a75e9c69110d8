import Foundation

/// Polls `probe` every `interval` seconds until it returns a value, and returns it. A probe that
/// throws counts as "not yet" (the daemon may not listen yet), except for `StopWaiting`, which
/// ends the wait at once. At the deadline it throws, naming what was awaited and the last thing
/// the probe said, so a test that waits for the daemon fails with a reason instead of hanging.
func eventually<Value>(
    _ what: String, timeout: Double, interval: Double = 0.05, _ probe: () throws -> Value?
) throws -> Value {
    let deadline = Date().addingTimeInterval(timeout)
    var last = "no answer yet"
    while true {
        do {
            if let value = try probe() { return value }
            last = "not yet"
        } catch let error as StopWaiting {
            throw TestFailure("\(what): \(error.reason)")
        } catch {
            last = "\(error)"
        }
        guard Date() < deadline else { throw TestFailure("\(what): not within \(timeout) s (last: \(last))") }
        Thread.sleep(forTimeInterval: interval)
    }
}

/// Polls `condition` until it holds (see `eventually`).
func waitUntil(_ what: String, timeout: Double, interval: Double = 0.05, _ condition: () throws -> Bool) throws {
    _ = try eventually(what, timeout: timeout, interval: interval) { try condition() ? true : nil }
}

/// Thrown by a probe when what it waits for can no longer happen (the daemon exited, the
/// checkpoint failed): `eventually` gives up at once with the reason.
struct StopWaiting: Error {
    let reason: String
}
