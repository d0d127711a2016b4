import Model

/// How a rule fared in its last evaluation, for `/api/v1/rules` and `lookout status`.
public struct RuleStatus: Sendable, Hashable {
    /// `ok`, `err` or `unknown` (not evaluated yet), as Prometheus reports health.
    public enum Health: String, Sendable, Hashable { case ok, err, unknown }

    /// The rule.
    public var rule: RuleSpec
    /// Health after the last evaluation.
    public var health: Health
    /// The last evaluation's error, if it failed.
    public var lastError: String?
    /// When it was last evaluated (ms).
    public var lastEvaluation: Timestamp?
    /// How long the last evaluation took, seconds.
    public var evaluationSeconds: Double
    /// Active alerts (pending, firing, and resolved ones still retained) of an alerting rule.
    public var alerts: [Alert]
}

/// Counters of one group, kept in memory for `/metrics`
/// (`lookout_rule_evaluation_seconds`, failures, missed iterations).
public struct RuleGroupMetrics: Sendable, Hashable {
    /// The group name.
    public var group: String
    /// The rule file of the group (`""` for shorthand alerts).
    public var file: String
    /// Completed evaluation rounds.
    public var evaluations: Int = 0
    /// Rule evaluations that failed (query error, duplicate labels, limit).
    public var failures: Int = 0
    /// Rounds skipped because the previous one overran its interval.
    public var missedIterations: Int = 0
    /// Duration of the last round, seconds.
    public var lastDurationSeconds: Double = 0
    /// Duration of all rounds, seconds (with `evaluations`, a summary metric).
    public var totalDurationSeconds: Double = 0
    /// When the last round ran (ms).
    public var lastEvaluation: Timestamp?
}

/// A snapshot of one group.
public struct RuleGroupStatus: Sendable, Hashable {
    /// The group.
    public var spec: GroupSpec
    /// Each rule, in order.
    public var rules: [RuleStatus]
    /// Its counters.
    public var metrics: RuleGroupMetrics
}
