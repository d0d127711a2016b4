import Model

/// One alert group of one route: the alerts sharing the route's `group_by` values, and when they
/// are next due. A value-type state machine driven by `now`; the caller performs the I/O.
struct AggregationGroup: Sendable {
    struct Entry: Sendable, Hashable {
        var alert: Alert
        /// When the rules last handed this alert in (for the resolve timeout).
        var lastSeen: Timestamp
    }

    let key: String
    let route: ResolvedRoute
    let groupLabels: Labels
    private(set) var entries: [Labels: Entry] = [:]
    /// When the group is next flushed.
    private(set) var nextFlush: Timestamp
    private(set) var hasFlushed = false

    init(route: ResolvedRoute, groupLabels: Labels, now: Timestamp) {
        self.route = route
        self.groupLabels = groupLabels
        self.key = route.id + ":" + groupLabels.description
        self.nextFlush = now + route.options.groupWait
    }

    var isEmpty: Bool { entries.isEmpty }
    var alerts: [Alert] { entries.values.map(\.alert) }

    /// Adds or replaces an alert (same labels = same alert).
    mutating func insert(_ alert: Alert, now: Timestamp) {
        entries[alert.labels] = Entry(alert: alert, lastSeen: now)
        // An alert already firing longer than group_wait (e.g. after a restart) is not held back.
        let since = alert.firedAt ?? alert.activeAt
        if !hasFlushed && since + route.options.groupWait <= now { nextFlush = min(nextFlush, now) }
    }

    /// Resolves firing alerts the rules stopped handing in for longer than `timeout`.
    mutating func expire(now: Timestamp, timeout: Int64) {
        for (labels, entry) in entries where !entry.alert.isResolved && entry.lastSeen + timeout <= now {
            entries[labels]?.alert.resolvedAt = entry.lastSeen + timeout
        }
    }

    /// The alerts to notify about when the group is due, advancing the timer by `group_interval`.
    mutating func flush(now: Timestamp) -> [Alert]? {
        guard now >= nextFlush, !entries.isEmpty else { return nil }
        hasFlushed = true
        nextFlush = now + route.options.groupInterval
        return alerts.sorted { $0.labels < $1.labels }
    }

    /// After a flush was handed on: resolved alerts that did not change since are forgotten.
    mutating func flushed(_ sent: [Alert]) {
        for alert in sent where alert.isResolved && entries[alert.labels]?.alert == alert {
            entries[alert.labels] = nil
        }
    }
}
