import Model

/// The outcome of one flush for one channel: what to queue and what to remember.
struct PlannedDelivery: Sendable, Hashable {
    var channel: String
    var groupKey: String
    var decision: DedupDecision
    /// The notification to queue, nil when nothing is to be sent (dedup said no, or only
    /// resolved alerts remain and the route does not send resolved).
    var notification: GroupNotification?
    /// The new log entry when the decision needs an update.
    var logEntry: NotificationLogEntry?
}

/// The mute → dedup stages of the pipeline as one pure function.
enum FlushPlanner {
    static func plan(_ flush: Flush, muter: any Muter, log: (String, String) -> NotificationLogEntry?,
                     externalURL: String, now: Timestamp) -> [PlannedDelivery] {
        let alerts = flush.alerts.filter { !muter.mutes($0.labels) }
        let firing = Set(alerts.filter { !$0.isResolved }.map { Fingerprint.of($0.labels) })
        let resolved = Set(alerts.filter(\.isResolved).map { Fingerprint.of($0.labels) })
        let options = flush.route.options
        var out: [PlannedDelivery] = []
        for channel in uniqued(flush.route.channels) {
            let decision = DedupDecision.decide(entry: log(channel, flush.groupKey), firing: firing, resolved: resolved,
                                                repeatInterval: options.repeatInterval,
                                                sendResolved: options.sendResolved, now: now)
            var planned = PlannedDelivery(channel: channel, groupKey: flush.groupKey, decision: decision)
            if decision.needsUpdate {
                planned.logEntry = NotificationLogEntry(firing: firing, resolved: resolved, sentAt: now)
                let toSend = options.sendResolved ? alerts : alerts.filter { !$0.isResolved }
                if !toSend.isEmpty {
                    planned.notification = GroupNotification(channel: channel, groupKey: flush.groupKey,
                                                             groupLabels: flush.groupLabels, alerts: toSend,
                                                             externalURL: externalURL, createdAt: now)
                }
            }
            out.append(planned)
        }
        return out
    }

    private static func uniqued(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
