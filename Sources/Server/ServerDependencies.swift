import Model
import Query

/// Everything the server reads or changes, as closures and a querier, so it never depends on
/// the concrete stages; the Daemon adapts them. Every member has a harmless default (empty data,
/// ready, reload succeeds), so callers and tests set only what they have.
///
/// Closures may be called concurrently from many requests.
public struct ServerDependencies: Sendable {
    /// Evaluates an instant query at a time (milliseconds). Throw `APIError` to choose the error
    /// type (a parse error is `.badData`, with `APIError.invalidParameter("query", ...)`); any
    /// other error is answered as `execution` (422). `timeout` is the client's (or the default) limit.
    public typealias InstantQuery = @Sendable (_ expression: String, _ time: Timestamp, _ timeout: Duration) async throws -> APIQueryResult
    /// Evaluates a range query; `step` is in milliseconds. Errors as for `InstantQuery`.
    public typealias RangeQuery = @Sendable (_ expression: String, _ start: Timestamp, _ end: Timestamp, _ step: Int64, _ timeout: Duration) async throws -> APIQueryResult

    /// Answers `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/NAME/values`.
    public var querier: any SeriesQuerier
    /// Answers `/api/v1/query`.
    public var instantQuery: InstantQuery
    /// Answers `/api/v1/query_range`.
    public var rangeQuery: RangeQuery
    /// Parses a series selector (`up{job="api"}`) into matchers for `match[]`; throws with a
    /// message on bad input. Defaults to the server's own selector parser.
    public var parseSelector: @Sendable (String) throws -> [Matcher]
    /// Active alerts (pending and firing).
    public var alerts: @Sendable () async -> [Alert]
    /// Rule groups for `/api/v1/rules`.
    public var ruleGroups: @Sendable () async -> [RuleGroupInfo]
    /// Scrape targets for `/api/v1/targets`.
    public var targets: @Sendable () async -> [TargetInfo]
    /// Every silence, expired ones included (Alertmanager lists them too).
    public var silences: @Sendable () async throws -> [Silence]
    /// Creates a silence (or replaces the one with the same non-empty id) and returns its id.
    /// Throw `APIError(.badData, ...)` for an invalid one.
    public var createSilence: @Sendable (Silence) async throws -> String
    /// Expires a silence; returns false when no silence has that id.
    public var expireSilence: @Sendable (String) async throws -> Bool
    /// What the status page shows.
    public var status: @Sendable () async -> StatusSnapshot
    /// Lookout's own metrics for `/metrics`; the server appends process metrics itself.
    public var metrics: @Sendable () async -> MetricsText
    /// Whether `/-/ready` answers 200.
    public var isReady: @Sendable () async -> Bool
    /// Reloads the configuration for `POST /-/reload`; a thrown error is reported with 500.
    public var reload: @Sendable () async throws -> Void
    /// The current time in milliseconds (the default `time` of an instant query).
    public var now: @Sendable () -> Timestamp
    /// How long `/graph` (each alert's "Source" link) evaluates its expression before it answers
    /// with a timeout and cancels the evaluation (default 30 s).
    public var expressionPageTimeout: Duration = .seconds(30)
    /// Where `/api/v1/query`, `query_range`, `series`, `labels`, `label/NAME/values` and `/graph`
    /// evaluate: off Swift's cooperative pool, at most `limit` at once (default 4).
    public var queryThreads = QueryThreads(limit: 4)

    /// Creates dependencies in which everything is empty except the queries, which run on the
    /// PromQL engine over `querier` with default options (see `useQueryEngine`); set the members you have.
    public init(querier: any SeriesQuerier = MemorySeriesStore()) {
        self.querier = querier
        instantQuery = { _, _, _ in .vector([]) }
        rangeQuery = { _, _, _, _, _ in .matrix([]) }
        parseSelector = { try SelectorParser.parse($0) }
        alerts = { [] }
        ruleGroups = { [] }
        targets = { [] }
        silences = { [] }
        createSilence = { _ in throw APIError(.unavailable, "silences are not available") }
        expireSilence = { _ in false }
        let clock = { @Sendable in Timestamp(SystemTime.nowMilliseconds()) }
        status = { StatusSnapshot(generatedAt: clock()) }
        metrics = { MetricsText() }
        isReady = { true }
        reload = {}
        now = clock
        useQueryEngine(Engine(querier: querier))
    }
}
