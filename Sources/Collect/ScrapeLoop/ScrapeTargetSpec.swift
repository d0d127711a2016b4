/// One scrape target (one `job` × one address) as the scrape loop fetches it.
public struct ScrapeTargetSpec: Sendable, Hashable {
    /// Labels, honor_labels and sample limit: what assembly needs.
    public var target: ScrapeTarget
    /// The full URL to fetch: `scheme://address/metrics_path`.
    public var url: String
    /// How often the target is scraped.
    public var interval: Duration = .seconds(15)
    /// Capped at `interval`, so a scrape never overlaps the next.
    public var timeout: Duration = .seconds(10)
    /// The largest uncompressed body accepted; a larger one fails the scrape. 0 means no limit.
    public var bodySizeLimit = 0
    /// A PEM file of CAs trusted for an HTTPS target.
    public var caFile: String?
    /// Skips certificate verification.
    public var insecure = false

    /// A target fetched from `url` every 15 s with a 10 s timeout.
    public init(target: ScrapeTarget, url: String) {
        self.target = target
        self.url = url
    }
}
