import Model

/// One Prometheus `/metrics` job (`scrape[]`).
public struct ScrapeConfig: Sendable {
    public var job: String
    public var targets: [HostPort]
    /// Default `/metrics`.
    public var metricsPath: String
    /// `http` (default) or `https`.
    public var scheme: String
    /// ms, default `global.scrape_interval`.
    public var interval: Int64
    /// ms, default min(10s, interval); never more than the interval.
    public var timeout: Int64
    /// Added to every sample of the job.
    public var labels: Labels
    /// Default false: on clashes the target's labels win over scraped ones, as in Prometheus.
    public var honorLabels: Bool
    /// Bytes, 0 = unlimited (default).
    public var bodySizeLimit: Int
    /// Samples per scrape, 0 = unlimited (default).
    public var sampleLimit: Int
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(
        job: String, targets: [HostPort], metricsPath: String, scheme: String, interval: Int64,
        timeout: Int64, labels: Labels, honorLabels: Bool, bodySizeLimit: Int, sampleLimit: Int,
        position: SourcePosition
    ) {
        self.job = job
        self.targets = targets
        self.metricsPath = metricsPath
        self.scheme = scheme
        self.interval = interval
        self.timeout = timeout
        self.labels = labels
        self.honorLabels = honorLabels
        self.bodySizeLimit = bodySizeLimit
        self.sampleLimit = sampleLimit
        self.position = position
    }
}

/// One SQL source (`sql[]`): each row of `query` becomes a sample of series `name`.
public struct SQLSourceConfig: Sendable {
    /// The series name (a valid metric name).
    public var name: String
    /// SQLite file, opened read-only.
    public var database: String
    /// ms, default `global.scrape_interval`.
    public var interval: Int64
    public var query: String
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(name: String, database: String, interval: Int64, query: String, position: SourcePosition) {
        self.name = name
        self.database = database
        self.interval = interval
        self.query = query
        self.position = position
    }
}

/// One `remote_write[]` endpoint.
public struct RemoteWriteConfig: Sendable {
    public var url: String
    public var auth: ClientAuth?
    public var headers: [String: Secret]
    public var writeRelabelConfigs: [RelabelRule]
    public var queue: RemoteWriteQueue
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(
        url: String, auth: ClientAuth? = nil, headers: [String: Secret], writeRelabelConfigs: [RelabelRule],
        queue: RemoteWriteQueue, position: SourcePosition
    ) {
        self.url = url
        self.auth = auth
        self.headers = headers
        self.writeRelabelConfigs = writeRelabelConfigs
        self.queue = queue
        self.position = position
    }
}

/// `write_relabel_configs[]`: keep or drop samples whose joined source labels match `regex`.
public struct RelabelRule: Sendable {
    public enum Action: String, Sendable { case keep, drop }
    /// Default `[__name__]`.
    public var sourceLabels: [String]
    /// Joins the source label values (default `;`).
    public var separator: String
    /// Fully anchored, as in Prometheus (default `(.*)`).
    public var regex: String
    public var action: Action

    /// Memberwise initialiser, for building configs in code.
    public init(sourceLabels: [String], separator: String, regex: String, action: Action) {
        self.sourceLabels = sourceLabels
        self.separator = separator
        self.regex = regex
        self.action = action
    }
}

/// `remote_write[].queue`
public struct RemoteWriteQueue: Sendable {
    /// Default 2000.
    public var maxSamplesPerSend: Int
    /// Default 1.
    public var shards: Int
    /// Samples older than this are dropped instead of sent, ms (default 2h).
    public var maxBacklogAge: Int64
    /// Bytes of queued samples kept at most (default 256MiB).
    public var maxBacklogBytes: Int

    /// Memberwise initialiser, for building configs in code.
    public init(maxSamplesPerSend: Int, shards: Int, maxBacklogAge: Int64, maxBacklogBytes: Int) {
        self.maxSamplesPerSend = maxSamplesPerSend
        self.shards = shards
        self.maxBacklogAge = maxBacklogAge
        self.maxBacklogBytes = maxBacklogBytes
    }
}

/// One scheduled digest (`reports[]`).
public struct ReportConfig: Sendable {
    public enum Section: String, Sendable, CaseIterable { case cost, alerts, uptime }
    public var name: String
    /// Local time in `global.timezone`.
    public var hour: Int
    public var minute: Int
    public var channels: [String]
    /// Default: all sections.
    public var include: [Section]
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(
        name: String, hour: Int, minute: Int, channels: [String], include: [Section],
        position: SourcePosition
    ) {
        self.name = name
        self.hour = hour
        self.minute = minute
        self.channels = channels
        self.include = include
        self.position = position
    }
}
