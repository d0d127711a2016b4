import ServiceLifecycle
import Synchronization

/// A stage whose config-scoped instance is rebuilt on reload: `swap` cancels the running loop,
/// waits for it to finish, and starts the new one. `run()` keeps whichever is current running
/// until graceful shutdown.
final class SwappableStage: Service, Sendable, CustomStringConvertible {
    let description: String
    private let state = Mutex<Task<Void, Never>?>(nil)

    init(_ name: String) { description = name }

    /// Replaces the running loop with `body`; returns once the old loop has stopped.
    func swap(_ body: @escaping @Sendable () async -> Void) async {
        let old = state.withLock { current -> Task<Void, Never>? in
            let previous = current
            current = nil
            return previous
        }
        old?.cancel()
        await old?.value
        let task = Task { await body() }
        state.withLock { $0 = task }
    }

    func run() async throws {
        try? await gracefulShutdown()
        let task = state.withLock { current -> Task<Void, Never>? in
            let running = current
            current = nil
            return running
        }
        task?.cancel()
        await task?.value
    }
}
