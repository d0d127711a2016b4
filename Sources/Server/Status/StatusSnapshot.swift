import Model

/// One delivery attempt or outcome, for the status page's recent notifications.
public struct NotificationInfo: Sendable {
    /// What happened to the notification.
    public enum Result: String, Sendable {
        case sent, failed, retrying, queued
    }

    public var time: Timestamp
    public var channel: String
    /// A one-line summary such as `[FIRING:2] HighErrorRate api`.
    public var summary: String
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
    public var generatedAt: Timestamp
    public var version: String
    public var checks: [CheckStatus]
    public var targets: [TargetInfo]
    /// Pending and firing alerts (resolved ones are left out).
    public var alerts: [Alert]
    public var silences: [SilenceInfo]
    /// Newest first.
    public var notifications: [NotificationInfo]
    public var queue: QueueInfo

    /// Creates a snapshot.
    public init(generatedAt: Timestamp, version: String = "", checks: [CheckStatus] = [], targets: [TargetInfo] = [],
                alerts: [Alert] = [], silences: [SilenceInfo] = [], notifications: [NotificationInfo] = [],
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
