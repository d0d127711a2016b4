import Model
import Rules
import Synchronization

/// Why each failing check last failed, so notifications about it can say so: an alert with a
/// `check` label naming a failing check gets a `description` annotation `failing: <reason>`
/// (e.g. `failing: checks.database was "unhealthy: timeout"`) unless it already has one.
final class CheckFailureReasons: Sendable {
    private let reasons = Mutex<[String: String]>([:])

    /// Records a probe result: a failure with its reason, or a success that clears it.
    func record(check: String, success: Bool, reason: String?) {
        reasons.withLock { map in
            if success || (reason ?? "").isEmpty { map[check] = nil } else { map[check] = reason }
        }
    }

    /// The reason `check` is failing, or nil when it is up or has not failed.
    func reason(for check: String) -> String? { reasons.withLock { $0[check] } }

    /// `alerts` with the failure reason of their check added to the firing ones.
    func annotate(_ alerts: [Alert]) -> [Alert] {
        alerts.map { alert in
            guard alert.resolvedAt == nil, alert.annotations["description"] == nil,
                  let check = alert.labels["check"], let reason = reason(for: check) else { return alert }
            var copy = alert
            copy.annotations = copy.annotations.setting("description", to: "failing: \(reason)")
            return copy
        }
    }

    /// `notify` receiving the annotated alerts.
    func annotating(_ notify: @escaping NotifyFunc) -> NotifyFunc {
        { [self] alerts in notify(annotate(alerts)) }
    }
}
