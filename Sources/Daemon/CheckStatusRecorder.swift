import Logging
import Model
import Storage

/// Writes each probe result to the check status table. When that fails (disk full, read-only
/// file) it warns once, not once per probe — 22 warnings a second for 20 checks in a soak with
/// the data dir full — and logs when writing works again.
final class CheckStatusRecorder: Sendable {
    private let store: CheckStatusStore
    private let logger: Logger
    private let failures = FailureRun()

    init(store: CheckStatusStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Records one result; a failure is logged when it starts, and its end once.
    func record(check: String, success: Bool, at timestamp: Int64, duration: Duration, reason: String?) {
        let seconds = PromDuration.seconds(duration)
        do {
            try store.record(check: check, success: success, at: timestamp, durationSeconds: seconds, reason: reason)
            if failures.succeeded() {
                logger.info("check status recorded again")
            }
        } catch {
            logger.log(level: failures.failed() ? .warning : .debug, "cannot record check status",
                       metadata: ["check": "\(check)", "error": "\(error)"])
        }
    }
}
