import Model

/// One health check as the status page shows it: current state, why it last failed, an
/// uptime bar of equal time buckets (oldest first) and recent latencies.
public struct CheckStatus: Sendable {
    /// One bucket of the uptime bar: how many probes ran and how many succeeded.
    public struct Bucket: Sendable, Equatable {
        /// Start of the bucket (ms).
        public var start: Timestamp
        /// Probes that ran in the bucket.
        public var total: Int
        /// Probes that succeeded.
        public var successes: Int

        /// Creates a bucket.
        public init(start: Timestamp, total: Int, successes: Int) {
            self.start = start
            self.total = total
            self.successes = successes
        }

        /// Successes / total, nil when nothing ran.
        public var ratio: Double? { total == 0 ? nil : Double(successes) / Double(total) }
    }

    /// One probe result, for the per-check history page.
    public struct Event: Sendable, Equatable {
        /// When the probe ran (ms).
        public var time: Timestamp
        /// Whether it succeeded.
        public var success: Bool
        /// Its duration in seconds.
        public var seconds: Double
        /// The HTTP status, nil for TCP checks or when no response came.
        public var statusCode: Int?
        /// Why it failed (empty on success).
        public var reason: String

        /// Creates a history entry.
        public init(time: Timestamp, success: Bool, seconds: Double, statusCode: Int? = nil, reason: String = "") {
            self.time = time
            self.success = success
            self.seconds = seconds
            self.statusCode = statusCode
            self.reason = reason
        }
    }

    /// One stretch of failed probes, for the per-check page.
    public struct Outage: Sendable, Equatable {
        /// The first failed probe (ms), nil if the stretch began before the window.
        public var start: Timestamp?
        /// The first successful probe after it (ms), nil while it lasts.
        public var end: Timestamp?
        /// Failed probes in the stretch.
        public var failures: Int
        /// Why the first failed probe failed (empty if not kept).
        public var reason: String

        /// Creates an outage.
        public init(start: Timestamp?, end: Timestamp?, failures: Int, reason: String) {
            self.start = start
            self.end = end
            self.failures = failures
            self.reason = reason
        }
    }

    /// The check's name (`probe_*{check="NAME"}`).
    public var name: String
    /// What is probed (a URL or host:port), shown beside the name.
    public var target: String
    /// nil when the check has not run yet.
    public var up: Bool?
    /// Why the last probe failed (empty when it succeeded).
    public var reason: String
    /// When the last probe ran.
    public var lastCheck: Timestamp?
    /// The last probe's duration in seconds.
    public var latencySeconds: Double?
    /// Since when the check has been in its current state.
    public var since: Timestamp?
    /// Uptime over the bar's whole window, 0...1.
    public var uptimeRatio: Double?
    /// The bucket width in milliseconds (for the legend: 90 buckets of 16 minutes is 24 h).
    public var bucketMilliseconds: Int64
    /// The uptime bar, oldest first (the page is designed for 90).
    public var buckets: [Bucket]
    /// Recent probe durations in seconds, oldest first; nil where a probe failed.
    public var latencies: [Double?]
    /// Recent probe results, newest first.
    public var history: [Event]
    /// Outages within the bar's window, newest first.
    public var outages: [Outage]

    /// Creates a check description.
    public init(name: String, target: String, up: Bool?, reason: String = "", lastCheck: Timestamp? = nil,
                latencySeconds: Double? = nil, since: Timestamp? = nil, uptimeRatio: Double? = nil,
                bucketMilliseconds: Int64 = 960_000, buckets: [Bucket] = [], latencies: [Double?] = [],
                history: [Event] = [], outages: [Outage] = []) {
        self.name = name
        self.target = target
        self.up = up
        self.reason = reason
        self.lastCheck = lastCheck
        self.latencySeconds = latencySeconds
        self.since = since
        self.uptimeRatio = uptimeRatio
        self.bucketMilliseconds = bucketMilliseconds
        self.buckets = buckets
        self.latencies = latencies
        self.history = history
        self.outages = outages
    }
}
