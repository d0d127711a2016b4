import Foundation
import Model

/// The whole validated configuration. Durations are milliseconds (`Int64`), as in `PromDuration`.
/// A value type: reloading builds a new one and the daemon swaps it in.
public struct LookoutConfig: Sendable {
    /// The file it came from (`<default>` for the embedded config).
    public var source: String
    public var global: GlobalConfig
    public var checks: [CheckConfig]
    public var scrape: [ScrapeConfig]
    /// Collect node_exporter-named metrics of this machine.
    public var hostMetrics: Bool
    public var sql: [SQLSourceConfig]
    /// The `rule_files` globs as written.
    public var ruleFileGlobs: [String]
    /// Every rule file the globs matched, loaded and validated.
    public var ruleFiles: [RuleFile]
    /// The `rule_files` globs (resolved against the config's directory) that matched no file: not
    /// an error, as in Prometheus, but `lookout check` and the daemon's log say so.
    public var unmatchedRuleFileGlobs: [String] = []
    public var alerts: [AlertConfig]
    public var notify: NotifyConfig
    public var remoteWrite: [RemoteWriteConfig]
    public var alertmanagers: [AlertmanagerConfig]
    public var reports: [ReportConfig]

    /// Memberwise initialiser, for building configs in code.
    public init(
        source: String, global: GlobalConfig, checks: [CheckConfig], scrape: [ScrapeConfig],
        hostMetrics: Bool, sql: [SQLSourceConfig], ruleFileGlobs: [String], ruleFiles: [RuleFile],
        alerts: [AlertConfig], notify: NotifyConfig, remoteWrite: [RemoteWriteConfig],
        alertmanagers: [AlertmanagerConfig], reports: [ReportConfig]
    ) {
        self.source = source
        self.global = global
        self.checks = checks
        self.scrape = scrape
        self.hostMetrics = hostMetrics
        self.sql = sql
        self.ruleFileGlobs = ruleFileGlobs
        self.ruleFiles = ruleFiles
        self.alerts = alerts
        self.notify = notify
        self.remoteWrite = remoteWrite
        self.alertmanagers = alertmanagers
        self.reports = reports
    }
}

/// `global:`
public struct GlobalConfig: Sendable {
    /// Default scrape interval, ms (default 15s).
    public var scrapeInterval: Int64
    /// How often rules run, ms (default 15s).
    public var evaluationInterval: Int64
    /// Holds `lookout.db` (default `/var/lib/lookout`, or the loader's override).
    public var dataDir: String
    /// How long samples are kept, ms (default 30d).
    public var retention: Int64
    /// What "today" means for daily rules and reports (default: the system zone).
    public var timezone: TimeZone
    /// Address of the API and status page; nil when `listen: ""` (default 127.0.0.1:9464).
    public var listen: HostPort?
    public var externalLabels: Labels
    /// Public URL of this instance, used in notification links (default `http://<listen>`).
    public var externalURL: String?
    /// Dead man's switch: a URL pinged every `interval` while Lookout is healthy.
    public var heartbeat: HeartbeatConfig?
    /// Run an always-firing `Watchdog` alert so receivers can tell the pipeline works (default false).
    public var watchdogAlert: Bool
    /// Authentication required by the HTTP API (default none).
    public var apiAuth: APIAuth?
    /// How many API queries evaluate at once; more wait in line (default 4).
    public var maxConcurrentQueries: Int = 4

    /// Memberwise initialiser, for building configs in code.
    public init(
        scrapeInterval: Int64, evaluationInterval: Int64, dataDir: String, retention: Int64,
        timezone: TimeZone, listen: HostPort? = nil, externalLabels: Labels, externalURL: String? = nil,
        heartbeat: HeartbeatConfig? = nil, watchdogAlert: Bool, apiAuth: APIAuth? = nil
    ) {
        self.scrapeInterval = scrapeInterval
        self.evaluationInterval = evaluationInterval
        self.dataDir = dataDir
        self.retention = retention
        self.timezone = timezone
        self.listen = listen
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.heartbeat = heartbeat
        self.watchdogAlert = watchdogAlert
        self.apiAuth = apiAuth
    }
}

/// `global.heartbeat`
public struct HeartbeatConfig: Sendable {
    public var url: Secret
    /// ms, default 1m.
    public var interval: Int64

    /// Memberwise initialiser, for building configs in code.
    public init(url: Secret, interval: Int64) {
        self.url = url
        self.interval = interval
    }
}

/// `global.api_auth`: exactly one of a bearer token or basic auth.
public enum APIAuth: Sendable {
    case bearerToken(Secret)
    /// `passwordHash` is a bcrypt hash or the SHA-256 of the password as 64 hex digits (checked when decoding; see `PasswordHash`); never the password.
    case basic(username: String, passwordHash: Secret)
}
