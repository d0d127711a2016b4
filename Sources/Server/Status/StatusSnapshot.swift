import Model

/// One delivery attempt or outcome, for the status page's recent notifications.
public struct NotificationInfo: Sendable {
    /// What happened to the notification.
    public enum Result: String, Sendable {
        case sent, failed, retrying, queued
    }

    /// When it happened (ms).
    public var time: Timestamp
    /// The channel name from the config.
    public var channel: String
    /// A one-line summary such as `[FIRING:2] HighErrorRate api`.
    public var summary: String
    /// What happened.
    public var result: Result
    /// The receiver's error or other detail (empty when sent).
    public var detail: String

    /// Creates a notification entry.
    public init(time: Timestamp, channel: String, summary: String, result: Result, detail: String = "") {
        self.time = time
        self.channel = channel
        self.summary = summary
        self.result = result
        self.detail = detail
    }
}

/// The notification outbox as the status page shows it.
public struct QueueInfo: Sendable {
    /// Notifications waiting to be delivered.
    public var length: Int
    /// When the oldest undelivered notification was queued.
    public var oldest: Timestamp?

    /// Creates a queue description.
    public init(length: Int, oldest: Timestamp? = nil) {
        self.length = length
        self.oldest = oldest
    }
}

/// Everything the status page shows, gathered at one moment.
public struct StatusSnapshot: Sendable {
    /// When the snapshot was taken (ms); ages on the page are relative to it.
    public var generatedAt: Timestamp
    /// Lookout's version, shown in the header.
    public var version: String
    /// Checks in configuration order (the page lists failing ones first).
    public var checks: [CheckStatus]
    /// Scrape targets.
    public var targets: [TargetInfo]
    /// Pending and firing alerts (resolved ones are left out).
    public var alerts: [Alert]
    /// Silences; expired ones are not shown.
    public var silences: [Silence]
    /// Newest first.
    public var notifications: [NotificationInfo]
    /// The notification outbox.
    public var queue: QueueInfo

    /// Creates a snapshot.
    public init(generatedAt: Timestamp, version: String = "", checks: [CheckStatus] = [], targets: [TargetInfo] = [],
                alerts: [Alert] = [], silences: [Silence] = [], notifications: [NotificationInfo] = [],
                queue: QueueInfo = QueueInfo(length: 0)) {
        self.generatedAt = generatedAt
        self.version = version
        self.checks = checks
        self.targets = targets
        self.alerts = alerts
        self.silences = silences
        self.notifications = notifications
        self.queue = queue
    }
}
