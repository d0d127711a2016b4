import Model

/// One scheduled digest (`reports:`), addressed to one channel. Like `GroupNotification` it is the
/// unit written to the outbox: `Codable`, self-contained, free of secrets. The daemon fills the
/// sections it was asked to include; a missing section is `nil`.
public struct ReportNotification: Sendable, Codable, Hashable {
    /// The channel's configured name.
    public var channel: String
    /// The report's configured name.
    public var name: String
    /// The local day the report was sent on (`YYYY-MM-DD` in `global.timezone`).
    public var day: String
    /// The zone identifier days are counted in.
    public var timeZone: String
    /// When the report was built (ms).
    public var generatedAt: Timestamp
    /// Base URL of Lookout's status page ("" for none).
    public var externalURL: String
    /// Set for `lookout report NAME --send`: receivers show it as a preview.
    public var isPreview: Bool
    public var cost: CostSection?
    public var alerts: AlertsSection?
    public var uptime: UptimeSection?

    public init(channel: String, name: String, day: String, timeZone: String, generatedAt: Timestamp,
                externalURL: String = "", isPreview: Bool = false, cost: CostSection? = nil,
                alerts: AlertsSection? = nil, uptime: UptimeSection? = nil) {
        self.channel = channel
        self.name = name
        self.day = day
        self.timeZone = timeZone
        self.generatedAt = generatedAt
        self.externalURL = externalURL
        self.isPreview = isPreview
        self.cost = cost
        self.alerts = alerts
        self.uptime = uptime
    }

    /// `[REPORT] daily-cost — 2026-11-23` (with `[PREVIEW]` in front for previews).
    public var title: String { (isPreview ? "[PREVIEW] " : "") + "[REPORT] \(name) — \(day)" }

    /// The same report addressed to another channel.
    public func addressed(to channel: String) -> ReportNotification {
        var copy = self
        copy.channel = channel
        return copy
    }
}

/// Cost per `daily_cost` rule: today so far, yesterday's full day, and the average of the 7 days
/// before yesterday. Empty `series` means no `daily_cost` rule is configured.
public struct CostSection: Sendable, Codable, Hashable {
    public struct Line: Sendable, Codable, Hashable {
        /// The `daily_cost` alert's name.
        public var name: String
        /// The expression evaluated at the end of each day (cost accumulated since local midnight).
        public var expr: String
        /// Since local midnight, up to the report (nil: no data).
        public var today: Double?
        /// Yesterday's full local day (nil: no data).
        public var yesterday: Double?
        /// Mean of the days among the 7 before yesterday that have data (nil: none has).
        public var average7d: Double?
        /// How many of those 7 days had data.
        public var averageDays: Int
        /// Yesterday against `average7d`, in percent (nil when either is missing or the average is 0).
        public var changePercent: Double?

        public init(name: String, expr: String, today: Double?, yesterday: Double?, average7d: Double?,
                    averageDays: Int) {
            self.name = name
            self.expr = expr
            self.today = today
            self.yesterday = yesterday
            self.average7d = average7d
            self.averageDays = averageDays
            if let yesterday, let average7d, average7d != 0 {
                changePercent = (yesterday - average7d) / average7d * 100
            }
        }
    }

    /// Yesterday's local date (`YYYY-MM-DD`).
    public var yesterdayDay: String
    public var series: [Line]

    public init(yesterdayDay: String, series: [Line]) {
        self.yesterdayDay = yesterdayDay
        self.series = series
    }
}

/// Alerts that fired during the window (24 h before the report), from the stored `ALERTS` series.
public struct AlertsSection: Sendable, Codable, Hashable {
    public struct Entry: Sendable, Codable, Hashable {
        public var name: String
        /// The alert's labels without `alertname`.
        public var labels: Labels
        /// First firing evaluation seen in the window (ms).
        public var firstFiredAt: Timestamp
        /// Time spent firing within the window (ms).
        public var firingMilliseconds: Int64
        /// Separate firing episodes within the window.
        public var episodes: Int
        /// Still firing when the report was built.
        public var stillFiring: Bool

        public init(name: String, labels: Labels, firstFiredAt: Timestamp, firingMilliseconds: Int64,
                    episodes: Int, stillFiring: Bool) {
            self.name = name
            self.labels = labels
            self.firstFiredAt = firstFiredAt
            self.firingMilliseconds = firingMilliseconds
            self.episodes = episodes
            self.stillFiring = stillFiring
        }
    }

    /// The window, ms (24 h).
    public var windowMilliseconds: Int64
    /// Most recently started first.
    public var entries: [Entry]

    public init(windowMilliseconds: Int64, entries: [Entry]) {
        self.windowMilliseconds = windowMilliseconds
        self.entries = entries
    }
}

/// Per configured check: uptime over 24 h and 7 d from `probe_success`, failures in 24 h, and the
/// last failure with its reason.
public struct UptimeSection: Sendable, Codable, Hashable {
    public struct Check: Sendable, Codable, Hashable {
        public var name: String
        /// Latest result (nil: never probed).
        public var up: Bool?
        /// Ratios 0…1 (nil: no probe in the window).
        public var uptime24h: Double?
        public var uptime7d: Double?
        /// Failed probes in the last 24 h.
        public var failures24h: Int
        public var lastFailureAt: Timestamp?
        public var lastFailureReason: String?

        public init(name: String, up: Bool?, uptime24h: Double?, uptime7d: Double?, failures24h: Int,
                    lastFailureAt: Timestamp?, lastFailureReason: String?) {
            self.name = name
            self.up = up
            self.uptime24h = uptime24h
            self.uptime7d = uptime7d
            self.failures24h = failures24h
            self.lastFailureAt = lastFailureAt
            self.lastFailureReason = lastFailureReason
        }
    }

    public var checks: [Check]

    public init(checks: [Check]) { self.checks = checks }
}
