import Synchronization

/// Whether a repeated operation is in a run of failures, so a failure is reported when the run
/// begins and the recovery when it ends, not once per attempt.
public final class FailureRun: Sendable {
    private let failing = Atomic<Bool>(false)

    /// Creates a tracker with no failure run going.
    public init() {}

    /// Notes a failure; true if it begins a run (the one to report loudly).
    public func failed() -> Bool {
        !failing.exchange(true, ordering: .relaxed)
    }

    /// Notes a success; true if it ends a run (the one to report as recovery).
    public func succeeded() -> Bool {
        failing.exchange(false, ordering: .relaxed)
    }
}
