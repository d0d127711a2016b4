import Model

/// One scrape target as `/api/v1/targets` and the status page show it.
public struct TargetInfo: Sendable {
    /// `up`, `down` or `unknown` (not scraped yet).
    public enum Health: String, Sendable {
        case up, down, unknown
    }

    /// The target's labels after relabelling (`job`, `instance` and target labels).
    public var labels: Labels
    public var scrapeURL: String
    public var health: Health
    public var lastError: String
    public var lastScrape: Timestamp?
    public var lastScrapeSeconds: Double
    public var intervalMilliseconds: Int64
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
