import Model

/// One periodic piece of collection work: a probe, a scrape target, an SQL source or host metrics.
protocol CollectJob: Sendable {
    /// Identifies the job's configuration: an unchanged key on reload keeps the job running.
    var key: JobKey { get }
    /// Names what the job writes (`check/api`): stable across config edits, and the seed of its schedule offset.
    var name: String { get }
    var interval: Duration { get }
    /// Runs one round stamped `timestamp`. Must finish within the interval (each job bounds
    /// its own I/O with a timeout) and never throws: failures become samples and log lines.
    func runOnce(at timestamp: Timestamp) async
    /// Called once after the job was removed by a reload and its last round ended (not on shutdown).
    func retire(at timestamp: Timestamp) async
}

extension CollectJob {
    func retire(at timestamp: Timestamp) async {}
}

/// A job's identity: its full specification.
enum JobKey: Hashable, Sendable {
    case probe(ProbeSpec)
    case scrape(ScrapeTargetSpec)
    case sql(SQLSourceSpec)
    case host(HostMetricsSpec)
}
