import Logging
import Synchronization

/// Keeps log lines in memory so tests can assert on them, including that secrets never appear.
/// Each line is `LEVEL message key=value…` with metadata sorted by key.
public struct RecordingLogHandler: LogHandler {
    /// The lines logged so far, shared by every copy of the handler.
    public final class Store: Sendable {
        let lines = Mutex<[String]>([])
        /// Every line, in order.
        public var all: [String] { lines.withLock { $0 } }
        /// Every line joined by newlines.
        public var text: String { all.joined(separator: "\n") }
    }

    let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let details = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.lines.withLock { $0.append("\(event.level) \(event.message) \(details)") }
    }

    /// A logger writing into a fresh store, and the store.
    public static func logger() -> (Logger, Store) {
        let store = Store()
        return (Logger(label: "test") { _ in RecordingLogHandler(store: store) }, store)
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held. The
/// default bound is loose: the whole suite runs its tests side by side on the cooperative pool
/// (two threads on a 2-core machine), so a condition that takes milliseconds alone can wait
/// behind the other tests for 10 s and more. It returns as soon as the condition holds.
public func eventually(_ seconds: Double = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
