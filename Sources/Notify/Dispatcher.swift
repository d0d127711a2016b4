import Model

/// A group that is due: its alerts as of `now`, to run through mute → dedup → outbox.
struct Flush: Sendable, Hashable {
    var groupKey: String
    var route: ResolvedRoute
    var groupLabels: Labels
    var alerts: [Alert]
}

/// Routes alerts into aggregation groups and says which groups are due. A value type driven by
/// `now`; it performs no I/O.
struct Dispatcher: Sendable {
    let router: Router
    let resolveTimeout: Int64
    private(set) var groups: [String: AggregationGroup] = [:]
    /// The earliest time a group may be due: exact after `due`, a lower bound otherwise, so the
    /// caller's loop never scans every group.
    private(set) var nextDeadline: Timestamp?

    init(router: Router, resolveTimeout: Int64) {
        self.router = router
        self.resolveTimeout = resolveTimeout
    }

    /// Routes one alert into every group it belongs to.
    mutating func insert(_ alert: Alert, now: Timestamp) {
        for route in router.match(alert.labels) {
            let groupLabels = route.options.groupLabels(of: alert.labels)
            let key = route.id + ":" + groupLabels.description
            var group = groups[key] ?? AggregationGroup(route: route, groupLabels: groupLabels, now: now)
            group.insert(alert, now: now)
            groups[key] = group
            nextDeadline = min(nextDeadline ?? group.nextFlush, group.nextFlush)
        }
    }

    /// The groups due at `now`, with their timers advanced.
    mutating func due(now: Timestamp) -> [Flush] {
        var out: [Flush] = []
        for key in groups.keys.sorted() {
            groups[key]!.expire(now: now, timeout: resolveTimeout)
            guard let alerts = groups[key]!.flush(now: now) else { continue }
            let group = groups[key]!
            out.append(Flush(groupKey: key, route: group.route, groupLabels: group.groupLabels, alerts: alerts))
        }
        nextDeadline = groups.values.lazy.filter { !$0.isEmpty }.map(\.nextFlush).min()
        return out
    }

    /// Records that a flush was handed on; groups left empty are removed.
    mutating func completed(_ flush: Flush) {
        guard var group = groups[flush.groupKey] else { return }
        group.flushed(flush.alerts)
        groups[flush.groupKey] = group.isEmpty ? nil : group
    }

    /// Every alert currently held, firing or resolved, once each.
    var alerts: [Alert] {
        var seen: [Labels: Alert] = [:]
        for group in groups.values { for alert in group.alerts { seen[alert.labels] = alert } }
        return seen.values.sorted { $0.labels < $1.labels }
    }
}
