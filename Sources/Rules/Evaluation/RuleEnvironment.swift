import Logging
import Model
import Storage

/// What rule evaluation needs from the rest of the daemon, wired by `Daemon` (as Prometheus'
/// rules manager takes `QueryFunc`, `Appendable` and `NotifyFunc`).
public struct RuleEnvironment: Sendable {
    /// Answers PromQL at an instant.
    public var query: QueryFunc
    /// Receives recording-rule results and the `ALERTS` / `ALERTS_FOR_STATE` series, one batch per rule.
    public var appender: any SeriesAppender
    /// Receives alerts to notify about.
    public var notify: NotifyFunc
    /// Where alert state is persisted on every transition; nil keeps it in memory only.
    public var stateStore: AlertStatePersistence?
    /// `global.external_labels`: visible to templates and added to notified alerts.
    public var externalLabels: Labels
    /// Base of generator links, `$externalURL` in templates.
    public var externalURL: String
    /// How often a firing alert is handed to the notifier again (Prometheus: 1m).
    public var resendDelay: Int64
    /// Logs failures, transitions and missed evaluations.
    public var logger: Logger

    /// Creates an environment.
    public init(query: @escaping QueryFunc, appender: any SeriesAppender, notify: @escaping NotifyFunc,
                stateStore: AlertStatePersistence? = nil, externalLabels: Labels = Labels(), externalURL: String = "",
                resendDelay: Int64 = 60_000, logger: Logger = Logger(label: "lookout.rules")) {
        self.query = query
        self.appender = appender
        self.notify = notify
        self.stateStore = stateStore
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.resendDelay = resendDelay
        self.logger = logger
    }
}

/// Persistence of alert state, written on every transition and read once at start.
/// `AlertStateStore` (Storage, SQLite) conforms; implementations are thread-safe.
public protocol AlertStatePersistence: Sendable {
    /// Inserts or replaces the row of each alert under its rule key.
    func save(_ alerts: [PersistedAlert]) throws
    /// Removes alerts by rule key and labels.
    func delete(_ keys: [(ruleKey: String, labels: Labels)]) throws
    /// Every stored alert.
    func loadAll() throws -> [PersistedAlert]
}

extension AlertStateStore: AlertStatePersistence {}
