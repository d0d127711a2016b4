import Model

/// A snapshot of the notifier's metrics for `/metrics` and `lookout status`.
public struct NotifierMetrics: Sendable {
    /// `lookout_notifications_total{channel,result}`; result is delivered, retried, failed or expired.
    public var notificationsTotal: [String: [String: Int]]
    /// `lookout_notification_queue_length` per channel.
    public var queueLength: [String: Int]
    /// `lookout_notification_oldest_queued_seconds` per channel (0 when empty).
    public var oldestQueuedSeconds: [String: Double]
    /// `lookout_notification_delivery_seconds` histogram: upper bounds → cumulative counts.
    public var latencyBuckets: [(Double, Int)] { zip(Self.bounds, latencyCounts).map { ($0, $1) } }
    public var latencyCounts: [Int]
    public var latencySum: Double
    public var latencyCount: Int

    /// Histogram bucket upper bounds in seconds (the last is +Inf).
    public static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, .infinity]

    init() {
        notificationsTotal = [:]
        queueLength = [:]
        oldestQueuedSeconds = [:]
        latencyCounts = Array(repeating: 0, count: Self.bounds.count)
        latencySum = 0
        latencyCount = 0
    }

    mutating func count(_ channel: String, _ result: String) {
        notificationsTotal[channel, default: [:]][result, default: 0] += 1
    }

    mutating func observe(latencySeconds: Double) {
        latencySum += latencySeconds
        latencyCount += 1
        for (index, bound) in Self.bounds.enumerated() where latencySeconds <= bound { latencyCounts[index] += 1 }
    }
}

extension NotifierMetrics {
    /// The metrics in the Prometheus text format, for the daemon's `/metrics`.
    public var exposition: String {
        var out = ["# HELP lookout_notifications_total Notifications by channel and result (delivered, retried, failed, expired).",
                   "# TYPE lookout_notifications_total counter"]
        for channel in notificationsTotal.keys.sorted() {
            for (result, n) in notificationsTotal[channel]!.sorted(by: { $0.key < $1.key }) {
                out.append("lookout_notifications_total{channel=\"\(Labels.escape(channel))\",result=\"\(result)\"} \(n)")
            }
        }
        out += ["# HELP lookout_notification_queue_length Notifications waiting in the outbox.",
                "# TYPE lookout_notification_queue_length gauge"]
        for (channel, n) in queueLength.sorted(by: { $0.key < $1.key }) {
            out.append("lookout_notification_queue_length{channel=\"\(Labels.escape(channel))\"} \(n)")
        }
        out += ["# HELP lookout_notification_oldest_queued_seconds Age of the oldest queued notification.",
                "# TYPE lookout_notification_oldest_queued_seconds gauge"]
        for (channel, s) in oldestQueuedSeconds.sorted(by: { $0.key < $1.key }) {
            out.append("lookout_notification_oldest_queued_seconds{channel=\"\(Labels.escape(channel))\"} \(s)")
        }
        out += ["# HELP lookout_notification_delivery_seconds Time from sending to the receiver's acceptance.",
                "# TYPE lookout_notification_delivery_seconds histogram"]
        for (bound, n) in latencyBuckets {
            let le = bound.isInfinite ? "+Inf" : "\(bound)"
            out.append("lookout_notification_delivery_seconds_bucket{le=\"\(le)\"} \(n)")
        }
        out.append("lookout_notification_delivery_seconds_sum \(latencySum)")
        out.append("lookout_notification_delivery_seconds_count \(latencyCount)")
        return out.joined(separator: "\n") + "\n"
    }
}
