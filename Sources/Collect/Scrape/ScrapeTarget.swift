import Model

/// What the assembly step needs to know about one scrape target (one `job` × one address).
public struct ScrapeTarget: Sendable, Hashable {
    /// The `job` label.
    public var job: String
    /// The `instance` label, `host:port` as in Prometheus.
    public var instance: String
    /// Extra target labels from the config's `labels:`; `job` and `instance` here are overridden.
    public var labels: Labels
    /// On a clash between a scraped and a target label: true keeps the scraped value; false
    /// (the default, as in Prometheus) keeps the target's and renames the scraped one `exported_<name>`.
    public var honorLabels: Bool
    /// The most samples one scrape may hold; above it the whole scrape fails. 0 means no limit.
    public var sampleLimit: Int

    /// Creates a target description.
    public init(job: String, instance: String, labels: Labels = Labels(), honorLabels: Bool = false, sampleLimit: Int = 0) {
        self.job = job
        self.instance = instance
        self.labels = labels
        self.honorLabels = honorLabels
        self.sampleLimit = sampleLimit
    }

    /// `job`, `instance` and the extra labels: what every series of this target carries.
    var targetLabels: Labels {
        labels.setting("job", to: job).setting("instance", to: instance)
    }
}
