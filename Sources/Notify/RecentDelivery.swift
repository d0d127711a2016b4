import Model

/// One outcome of a delivery attempt, kept in memory for the status page's recent notifications.
public struct RecentDelivery: Sendable, Hashable {
    /// What happened to the notification.
    public enum Outcome: String, Sendable {
        case delivered, retrying, failed, expired
    }

    /// When it happened (ms).
    public var time: Timestamp
    /// The channel name from the config.
    public var channel: String
    /// The notification's title, e.g. `[FIRING:2] HighErrorRate api (critical)`.
    public var title: String
    public var outcome: Outcome
    /// The receiver's error or why it was dropped (empty when delivered), at most 200 characters.
    public var detail: String

    /// How many outcomes are kept, newest first.
    public static let limit = 50

    public init(time: Timestamp, channel: String, title: String, outcome: Outcome, detail: String = "") {
        self.time = time
        self.channel = channel
        self.title = title
        self.outcome = outcome
        self.detail = detail.count > 200 ? String(detail.prefix(199)) + "…" : detail
    }
}

extension NotifierMetrics {
    /// Records an outcome, keeping the newest `RecentDelivery.limit`.
    mutating func remember(_ delivery: RecentDelivery) {
        recentDeliveries.insert(delivery, at: 0)
        if recentDeliveries.count > RecentDelivery.limit { recentDeliveries.removeLast() }
    }
}

extension QueuedMessage {
    /// The title shown in lists of notifications.
    var title: String {
        switch self {
        case .alerts(let group): return group.title
        case .report(let report): return report.title
        }
    }
}
