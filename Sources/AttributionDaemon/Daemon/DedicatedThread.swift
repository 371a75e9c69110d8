import Foundation

/// Runs long compute work (ingest, Shapley refreshes) on a thread of its own, outside Swift's
/// cooperative pool, whose few threads must stay free for I/O and coordination.
enum DedicatedThread {
    /// Runs `body` on a new thread named `name` and returns when it ends. The stack is 8 MiB,
    /// as on the main thread, since the model code recurses through the UNet's blocks.
    static func run(named name: String, _ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread {
                body()
                continuation.resume()
            }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
