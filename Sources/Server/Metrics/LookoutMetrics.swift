import Model

/// Lookout's own metrics with the names SPEC.md promises, so the Daemon fills in numbers and
/// `/metrics` gets names, types and help text from one place.
public struct LookoutMetrics: Sendable {
    /// Delivery outcomes per channel and result (`sent`, `failed`, `retried`, ...), as counters.
    public var notifications: [(channel: String, result: String, count: Double)]
    /// Notifications waiting in the outbox.
    public var notificationQueueLength: Int
    /// Duration of the last evaluation of each rule group, in seconds.
    public var ruleEvaluationSeconds: [(group: String, seconds: Double)]
    /// Duration of the last scrape of each target, in seconds.
    public var scrapeDurationSeconds: [(job: String, instance: String, seconds: Double)]
    /// Size of the database files in bytes.
    public var storageBytes: Double

    /// Creates an empty set of figures.
    public init(notifications: [(channel: String, result: String, count: Double)] = [], notificationQueueLength: Int = 0,
                ruleEvaluationSeconds: [(group: String, seconds: Double)] = [],
                scrapeDurationSeconds: [(job: String, instance: String, seconds: Double)] = [], storageBytes: Double = 0) {
        self.notifications = notifications
        self.notificationQueueLength = notificationQueueLength
        self.ruleEvaluationSeconds = ruleEvaluationSeconds
        self.scrapeDurationSeconds = scrapeDurationSeconds
        self.storageBytes = storageBytes
    }

    /// The figures in the text format.
    public var text: MetricsText {
        var out = MetricsText()
        out.family("lookout_notifications_total", .counter, help: "Notifications handed to channels, by channel and result.")
        for item in notifications {
            out.sample("lookout_notifications_total", ["channel": item.channel, "result": item.result], item.count)
        }
        out.single("lookout_notification_queue_length", .gauge, help: "Notifications waiting in the durable outbox.",
                   Double(notificationQueueLength))
        out.family("lookout_rule_evaluation_seconds", .gauge, help: "Duration of the last evaluation of each rule group.")
        for item in ruleEvaluationSeconds { out.sample("lookout_rule_evaluation_seconds", ["rule_group": item.group], item.seconds) }
        out.family("lookout_scrape_duration_seconds", .gauge, help: "Duration of the last scrape of each target.")
        for item in scrapeDurationSeconds {
            out.sample("lookout_scrape_duration_seconds", ["job": item.job, "instance": item.instance], item.seconds)
        }
        out.single("lookout_storage_bytes", .gauge, help: "Size of the SQLite database files in bytes.", storageBytes)
        return out
    }
}
