import Model

/// One scrape target as `/api/v1/targets` and the status page show it.
public struct TargetInfo: Sendable {
    /// `up`, `down` or `unknown` (not scraped yet).
    public enum Health: String, Sendable {
        case up, down, unknown
    }

    /// The target's labels after relabelling (`job`, `instance` and target labels).
    public var labels: Labels
    /// The URL scraped.
    public var scrapeURL: String
    /// Result of the last scrape.
    public var health: Health
    /// Why the last scrape failed, empty when it succeeded.
    public var lastError: String
    /// When the last scrape ran (ms), nil before the first.
    public var lastScrape: Timestamp?
    /// How long it took.
    public var lastScrapeSeconds: Double
    /// Scrape interval.
    public var intervalMilliseconds: Int64
    /// Scrape timeout.
    public var timeoutMilliseconds: Int64

    /// Creates a target description.
    public init(labels: Labels, scrapeURL: String, health: Health, lastError: String = "",
                lastScrape: Timestamp? = nil, lastScrapeSeconds: Double = 0,
                intervalMilliseconds: Int64, timeoutMilliseconds: Int64) {
        self.labels = labels
        self.scrapeURL = scrapeURL
        self.health = health
        self.lastError = lastError
        self.lastScrape = lastScrape
        self.lastScrapeSeconds = lastScrapeSeconds
        self.intervalMilliseconds = intervalMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// The scrape pool (Prometheus' name for the job).
    var job: String { labels["job"] ?? "" }
}
