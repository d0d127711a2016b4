import Foundation
import Logging
import Model
import SQLite
import Storage

/// The notification service: takes alerts from the rules (`receive`), runs them through
/// route → group → inhibit → silence → dedup, writes each notification to the SQLite outbox in the
/// same transaction as the notification log, and delivers the outbox in `run()` — one delivery in
/// flight per channel (order kept), channels in parallel, retries with backoff, nothing dropped
/// before `maxAge`. A new `Notifier` on the same database file drains what a previous one left.
public actor Notifier {
    /// The clock, in ms since the epoch; injectable for tests.
    public typealias Clock = @Sendable () -> Timestamp

    var settings: NotifySettings
    var channels: [String: any Channel]
    let logger: Logger
    let now: Clock
    let random: @Sendable () -> Double
    var core: NotifyCore
    let db: Connection
    let outbox: OutboxStore
    let nlog: NotificationLogStore
    let silences: SilenceStore
    let reportLog: ReportLogStore
    /// Deliveries running: channel → outbox id → group key.
    var inFlight: [String: [Int64: String]] = [:]
    /// Channels that may have queued notifications.
    var pendingChannels: Set<String> = []
    var metricsState = NotifierMetrics()
    /// The last delivery outcomes, for the status page.
    var recent = RecentDeliveries()
    /// Titles of the deliveries in flight, by outbox id, for `recent`.
    var titles: [Int64: String] = [:]
    /// Channels whose receiver is failing, so an outage is logged once rather than per retry.
    var outages = ChannelOutages()
    /// Outcomes the outbox could not record yet (disk full); see `UnsavedOutcomes`.
    var unsaved = UnsavedOutcomes()
    let wakeup = Wakeup()
    var lastHousekeeping: Timestamp = 0

    /// Opens (creating when needed) the notifier's tables in the SQLite file at `databasePath` and
    /// loads the notification log. `channels` are keyed by configured name.
    public init(settings: NotifySettings, channels: [String: any Channel], databasePath: String, logger: Logger,
                clock: @escaping Clock = Notifier.wallClock,
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) throws {
        self.settings = settings
        self.channels = channels
        self.logger = logger
        self.now = clock
        self.random = random
        db = try Connection(path: databasePath)
        outbox = try OutboxStore(db)
        nlog = try NotificationLogStore(db)
        silences = try SilenceStore(db)
        reportLog = try ReportLogStore(db)
        var log: [NotifyCore.LogKey: NotificationLogEntry] = [:]
        for r in try nlog.all() {
            log[.init(channel: r.channel, groupKey: r.groupKey)] =
                NotificationLogEntry(firing: Set(r.firing), resolved: Set(r.resolved), sentAt: r.sentAt)
        }
        core = NotifyCore(settings: settings, log: log)
        pendingChannels = Set(try outbox.stats().map(\.channel))
    }

    /// Milliseconds since the epoch from the system clock.
    public static let wallClock: Clock = { Timestamp((Date().timeIntervalSince1970 * 1000).rounded()) }

    /// Hands in the rules' current alerts (the `NotifyFunc`): firing ones, and resolved ones
    /// (with `resolvedAt`) for as long as the rules keep re-sending them.
    public func receive(alerts: [Alert]) {
        core.receive(alerts, now: now())
        wakeup.signal()
    }

    /// Swaps in a new configuration (on reload) and keeps the state: the current alerts are
    /// regrouped under the new routes, the notification log and the outbox stay. Deliveries in
    /// flight finish on the channels they started with.
    public func reload(settings: NotifySettings, channels: [String: any Channel]) {
        let alerts = core.dispatcher.alerts
        self.settings = settings
        self.channels = channels
        outages.retain(channels.keys)
        core = NotifyCore(settings: settings, log: core.log)
        core.receive(alerts, now: now())
        pendingChannels.formUnion(channels.keys)
        wakeup.signal()
    }

    /// Runs until the task is cancelled: flushes groups when due and drains the outbox.
    public func run() async {
        logger.info("notifier started", metadata: ["queued": "\((try? outbox.count()) ?? 0)"])
        await withTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                housekeep()
                flushDueGroups()
                let wait = startDeliveries(in: &group)
                await wakeup.wait(milliseconds: wait)
            }
            group.cancelAll()
        }
    }

    /// Sends a clearly marked test notification through one channel, bypassing grouping and the
    /// outbox, and returns the receiver's verdict (for `lookout notify test CHANNEL`).
    public func sendTest(channel name: String) async -> DeliveryResult {
        guard let channel = channels[name] else { return .permanent(reason: "unknown channel \(name)") }
        return await channel.deliver(Self.testNotification(channel: name, externalURL: settings.externalURL, now: now()))
    }

    /// A snapshot of the metrics, with the queue read from the database.
    /// The most recent delivery outcomes (at most 50, newest first) since this notifier started.
    public func recentDeliveries() -> [DeliveryRecord] { recent.newestFirst }

    public func metrics() -> NotifierMetrics {
        var m = metricsState
        let t = now()
        for name in channels.keys {
            m.queueLength[name] = 0
            m.oldestQueuedSeconds[name] = 0
        }
        for stat in (try? outbox.stats()) ?? [] {
            m.queueLength[stat.channel] = stat.count
            m.oldestQueuedSeconds[stat.channel] = Double(max(0, t - stat.oldestCreatedAt)) / 1000
        }
        return m
    }

    /// A test notification: one firing alert named `LookoutTest`.
    public static func testNotification(channel: String, externalURL: String, now: Timestamp) -> GroupNotification {
        let alert = Alert(labels: ["alertname": "LookoutTest", "severity": "info"],
                          annotations: ["summary": "Test notification from Lookout: this channel works.",
                                        "description": "Sent by `lookout notify test`; no action needed."],
                          state: .firing, value: 1, activeAt: now, firedAt: now)
        return GroupNotification(channel: channel, groupKey: "lookout-test:\(channel):\(now)",
                                 groupLabels: ["alertname": "LookoutTest"], alerts: [alert], externalURL: externalURL,
                                 isTest: true, createdAt: now)
    }

    // MARK: - Flushing

    private func flushDueGroups() {
        let t = now()
        guard let deadline = core.nextDeadline, deadline <= t else { return }
        let active: [Silence]
        do {
            active = try silences.all()
        } catch {
            logger.error("cannot read silences", metadata: ["error": "\(error)"])
            active = []
        }
        let flushes = core.tick(now: t, silences: active)
        do {
            // One transaction for the whole tick: a burst of groups costs one commit.
            try db.withTransaction { for (_, planned) in flushes { try store(planned) } }
            for (flush, planned) in flushes { core.commit(flush, planned) }
        } catch {
            // Not committed: the groups flush again at their next interval, against the unchanged log.
            logger.error("cannot queue notifications", metadata: ["groups": "\(flushes.count)", "error": "\(error)"])
        }
        for (_, planned) in flushes {
            for p in planned {
                logger.debug("dedup decision", metadata: ["channel": "\(p.channel)", "group": "\(p.groupKey)",
                                                          "decision": "\(p.decision.rawValue)"])
            }
        }
    }

    /// Hourly: forgets notification-log entries and silences nobody needs any more (after five
    /// days, as Alertmanager's retention; longer when a repeat interval is longer).
    private func housekeep() {
        let t = now()
        guard t - lastHousekeeping >= 3_600_000 else { return }
        lastHousekeeping = t
        let retention = max(5 * 86_400_000, 2 * settings.route.longestRepeatInterval)
        do {
            try nlog.prune(before: t - retention)
            try silences.prune(endedBefore: t - 5 * 86_400_000)
            core.log = core.log.filter { $0.value.sentAt >= t - retention }
        } catch {
            logger.error("cannot prune notification state", metadata: ["error": "\(error)"])
        }
    }

    private func store(_ planned: [PlannedDelivery]) throws {
        let encoder = JSONEncoder()
        for p in planned {
            if let n = p.notification {
                try supersede(by: n)
                try outbox.enqueue(channel: p.channel, groupKey: p.groupKey, payload: Array(try encoder.encode(n)),
                                   createdAt: n.createdAt)
                pendingChannels.insert(p.channel)
            }
            if let e = p.logEntry {
                try nlog.upsert(NotificationLogRecord(channel: p.channel, groupKey: p.groupKey, firing: Array(e.firing),
                                                      resolved: Array(e.resolved), sentAt: e.sentAt))
            }
        }
    }

    /// Removes the group's queued notifications to the same channel that `n` makes redundant —
    /// every alert they report firing `n` reports firing, every alert they report resolved `n`
    /// reports resolved — unless an attempt is under way. A receiver that was down then gets the
    /// group's current state once, not one stale copy per repeat or group interval of the outage;
    /// a notification that tells something `n` does not (an alert that fired and resolved since)
    /// stays queued.
    private func supersede(by n: GroupNotification) throws {
        let running = inFlight[n.channel] ?? [:]
        let firing = Set(n.firing.map(\.labels)), resolved = Set(n.resolved.map(\.labels))
        for (id, payload) in try outbox.queued(channel: n.channel, groupKey: n.groupKey) where running[id] == nil {
            guard case .alerts(let old)? = try? QueuedMessage.decode(payload), old.isTest == n.isTest,
                  Set(old.firing.map(\.labels)).isSubset(of: firing), Set(old.resolved.map(\.labels)).isSubset(of: resolved)
            else { continue }
            try outbox.delete(id: id)
            logger.info("queued notification superseded by the group's newer state",
                        metadata: ["channel": "\(n.channel)", "group": "\(n.groupKey)", "title": "\(old.title)"])
        }
    }
}
