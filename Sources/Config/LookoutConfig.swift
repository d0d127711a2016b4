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
    public var alerts: [AlertConfig]
    public var notify: NotifyConfig
    public var remoteWrite: [RemoteWriteConfig]
    public var alertmanagers: [AlertmanagerConfig]
    public var reports: [ReportConfig]
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
}

/// `global.heartbeat`
public struct HeartbeatConfig: Sendable {
    public var url: Secret
    /// ms, default 1m.
    public var interval: Int64
}

/// `global.api_auth`: exactly one of a bearer token or basic auth.
public enum APIAuth: Sendable {
    case bearerToken(Secret)
    /// `passwordHash` is a bcrypt or SHA-256 hash as written by the operator; never the password.
    case basic(username: String, passwordHash: Secret)
}
