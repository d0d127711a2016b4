import Model

/// One alert as the rule tracks it: the shared `Alert` plus the bookkeeping Prometheus keeps
/// on its alerts (keep-firing clock, last time it was handed to the notifier).
public struct TrackedAlert: Sendable, Hashable, Codable {
    /// The alert (labels, annotations, state, timeline).
    public var alert: Alert
    /// When the condition stopped holding while `keep_firing_for` keeps the alert firing.
    public var keepFiringSince: Timestamp?
    /// When the alert was last handed to the notifier.
    public var lastSentAt: Timestamp?

    /// Creates a tracked alert.
    public init(alert: Alert, keepFiringSince: Timestamp? = nil, lastSentAt: Timestamp? = nil) {
        self.alert = alert
        self.keepFiringSince = keepFiringSince
        self.lastSentAt = lastSentAt
    }
}

/// A change worth persisting and logging.
public enum AlertTransition: Sendable, Hashable {
    /// The condition started holding; the `for` clock runs.
    case pending(TrackedAlert)
    /// `for` elapsed (or was zero): the alert fires.
    case firing(TrackedAlert)
    /// The condition stopped holding but `keep_firing_for` keeps it firing.
    case keepFiring(TrackedAlert)
    /// The condition cleared: the alert resolved (kept 15 minutes so the resolve is resent).
    case resolved(TrackedAlert)
    /// The alert was forgotten (a pending alert that cleared, or a resolved one past retention).
    case removed(Labels)
    /// The alert was handed to the notifier at `lastSentAt`.
    case sent(TrackedAlert)
}

/// One element of an alerting rule's result, with its final labels and expanded annotations.
struct AlertCandidate: Sendable {
    var labels: Labels
    var annotations: Labels
    var value: Double
}

/// The alerts of one alerting rule: inactive → pending → firing → resolved, with `for` and
/// `keep_firing_for`, as Prometheus' rules/alerting.go. A value type; `now` is passed in and
/// every event method returns the transitions for the caller to persist, log and notify.
public struct AlertRuleState: Sendable {
    /// How long a resolved alert is kept (and its resolve resent), as Prometheus' `resolvedRetention`.
    public static let resolvedRetention: Int64 = 15 * 60 * 1000

    /// `for`, in milliseconds.
    public let holdDuration: Int64
    /// `keep_firing_for`, in milliseconds.
    public let keepFiringFor: Int64
    /// Active alerts by label set: pending, firing, and resolved ones within retention.
    public private(set) var alerts: [Labels: TrackedAlert] = [:]

    /// Creates the state of a rule, optionally with alerts restored from the database.
    public init(holdDuration: Int64, keepFiringFor: Int64 = 0, restored: [TrackedAlert] = []) {
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        for tracked in restored { alerts[tracked.alert.labels] = tracked }
    }

    /// Feeds one evaluation's result. Candidates must have distinct label sets.
    mutating func evaluate(_ candidates: [AlertCandidate], at now: Timestamp, generatorURL: String = "") -> [AlertTransition] {
        var transitions: [AlertTransition] = []
        var present = Set<Labels>()
        for candidate in candidates {
            present.insert(candidate.labels)
            if var existing = alerts[candidate.labels], existing.alert.state != .inactive {
                existing.alert.value = candidate.value
                existing.alert.annotations = candidate.annotations
                alerts[candidate.labels] = existing
            } else {
                let alert = Alert(labels: candidate.labels, annotations: candidate.annotations, state: .pending,
                                  value: candidate.value, activeAt: now, generatorURL: generatorURL)
                let tracked = TrackedAlert(alert: alert)
                alerts[candidate.labels] = tracked
                transitions.append(.pending(tracked))
            }
        }
        for labels in alerts.keys.sorted() {
            guard var tracked = alerts[labels] else { continue }
            if present.contains(labels) {
                if tracked.keepFiringSince != nil { tracked.keepFiringSince = nil; alerts[labels] = tracked }
            } else {
                guard let kept = absent(&tracked, at: now, transitions: &transitions) else { continue }
                tracked = kept
            }
            if tracked.alert.state == .pending && now - tracked.alert.activeAt >= holdDuration {
                tracked.alert.state = .firing
                tracked.alert.firedAt = now
                alerts[labels] = tracked
                transitions.append(.firing(tracked))
            }
        }
        return transitions
    }

    /// Handles an alert whose condition no longer holds; returns it when it stays active (keep firing).
    private mutating func absent(_ tracked: inout TrackedAlert, at now: Timestamp, transitions: inout [AlertTransition]) -> TrackedAlert? {
        let labels = tracked.alert.labels
        var keepFiring = false
        if tracked.alert.state == .firing && keepFiringFor > 0 {
            if tracked.keepFiringSince == nil {
                tracked.keepFiringSince = now
                transitions.append(.keepFiring(tracked))
            }
            keepFiring = now - tracked.keepFiringSince! < keepFiringFor
        }
        if tracked.alert.state == .pending
            || (tracked.alert.resolvedAt.map { now - $0 > AlertRuleState.resolvedRetention } ?? false) {
            alerts[labels] = nil
            transitions.append(.removed(labels))
            return nil
        }
        if tracked.alert.state != .inactive && !keepFiring {
            tracked.alert.state = .inactive
            tracked.alert.resolvedAt = now
            tracked.keepFiringSince = nil
            transitions.append(.resolved(tracked))
        }
        alerts[labels] = tracked
        return keepFiring ? tracked : nil
    }

    /// The alerts to hand to the notifier now (Prometheus' `needsSending`): firing ones every
    /// `resendDelay`, resolved ones right after they resolved and then every `resendDelay` while
    /// retained. Marks them sent.
    mutating func alertsToSend(at now: Timestamp, resendDelay: Int64) -> ([Alert], [AlertTransition]) {
        var out: [Alert] = []
        var transitions: [AlertTransition] = []
        for labels in alerts.keys.sorted() {
            guard var tracked = alerts[labels], tracked.alert.state != .pending else { continue }
            let resolvedSinceSent = tracked.alert.resolvedAt.map { resolved in tracked.lastSentAt.map { resolved > $0 } ?? true } ?? false
            let due = tracked.lastSentAt.map { $0 + resendDelay < now } ?? true
            guard resolvedSinceSent || due else { continue }
            tracked.lastSentAt = now
            alerts[labels] = tracked
            out.append(tracked.alert)
            transitions.append(.sent(tracked))
        }
        return (out, transitions)
    }

    /// `ALERTS` and `ALERTS_FOR_STATE` samples for the active (pending or firing) alerts, as Prometheus writes them.
    func seriesSamples(at now: Timestamp) -> [LabeledSample] {
        var out: [LabeledSample] = []
        for labels in alerts.keys.sorted() {
            let alert = alerts[labels]!.alert
            guard alert.state != .inactive else { continue }
            out.append(LabeledSample(labels.setting(Labels.metricName, to: "ALERTS").setting("alertstate", to: alert.state.rawValue),
                                     Sample(now, 1)))
            out.append(LabeledSample(labels.setting(Labels.metricName, to: "ALERTS_FOR_STATE"),
                                     Sample(now, Double(floorDiv(alert.activeAt, 1000)))))
        }
        return out
    }
}

func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
