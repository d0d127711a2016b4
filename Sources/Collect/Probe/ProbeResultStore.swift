import Synchronization

/// The last result of every check, for the status page, `lookout status` and notifications.
public final class ProbeResultStore: Sendable {
    private let results = Mutex<[String: ProbeResult]>([:])

    /// An empty store.
    public init() {}

    /// The latest result of `check`, if it has run.
    public func latest(_ check: String) -> ProbeResult? {
        results.withLock { $0[check] }
    }

    /// The latest result of every check that has run, sorted by check name.
    public func all() -> [ProbeResult] {
        results.withLock { Array($0.values) }.sorted { $0.check < $1.check }
    }

    func record(_ result: ProbeResult) {
        results.withLock { $0[result.check] = result }
    }

    func forget(checksNotIn names: Set<String>) {
        results.withLock { $0 = $0.filter { names.contains($0.key) } }
    }
}
