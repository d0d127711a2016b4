import Model
import Storage

/// The pure heart of the notifier: route → group → mute → dedup, driven by `now`. It keeps the
/// notification log in memory; the `Notifier` mirrors log entries and queued notifications to
/// SQLite before it reports a flush completed, so nothing is lost or sent twice across restarts.
struct NotifyCore: Sendable {
    struct LogKey: Hashable, Sendable {
        var channel: String
        var groupKey: String
    }

    private(set) var dispatcher: Dispatcher
    var log: [LogKey: NotificationLogEntry]
    let inhibitRules: [InhibitRule]
    let externalURL: String

    init(settings: NotifySettings, log: [LogKey: NotificationLogEntry] = [:]) {
        dispatcher = Dispatcher(router: Router(settings.route), resolveTimeout: settings.resolveTimeout)
        self.log = log
        inhibitRules = settings.inhibitRules
        externalURL = settings.externalURL
    }

    /// Takes the alerts the rules hand in (firing, and resolved ones still being re-sent).
    mutating func receive(_ alerts: [Alert], now: Timestamp) {
        for alert in alerts where alert.state == .firing || alert.isResolved {
            dispatcher.insert(alert, now: now)
        }
    }

    /// Flushes every due group through mute and dedup. Call `commit` for each flush once its
    /// deliveries are stored.
    mutating func tick(now: Timestamp, silences: [Silence]) -> [(Flush, [PlannedDelivery])] {
        let flushes = dispatcher.due(now: now)
        guard !flushes.isEmpty else { return [] }
        let muter = AnyMuter(muters: [Inhibitor(rules: inhibitRules, alerts: dispatcher.alerts),
                                      SilenceMuter(silences: silences, now: now)])
        let snapshot = log
        return flushes.map { flush in
            let planned = FlushPlanner.plan(flush, muter: muter,
                                            log: { snapshot[LogKey(channel: $0, groupKey: $1)] },
                                            externalURL: externalURL, now: now)
            return (flush, planned)
        }
    }

    /// Records a flush whose deliveries were stored.
    mutating func commit(_ flush: Flush, _ planned: [PlannedDelivery]) {
        for delivery in planned {
            if let entry = delivery.logEntry { log[LogKey(channel: delivery.channel, groupKey: delivery.groupKey)] = entry }
        }
        dispatcher.completed(flush)
    }

    /// When the next group is due.
    var nextDeadline: Timestamp? { dispatcher.nextDeadline }
}
