import Model

/// Health of a rule's last evaluation, as `/api/v1/rules` reports it.
public enum RuleHealth: String, Sendable {
    case ok, err, unknown
}

/// One rule as `/api/v1/rules` lists it.
public struct RuleInfo: Sendable {
    /// Alerting rules carry their `for` clocks and current alerts; recording rules do not.
    public enum Kind: Sendable {
        case alerting(forMilliseconds: Int64, keepFiringForMilliseconds: Int64, alerts: [Alert])
        case recording
    }

    /// The alert name or recorded series name.
    public var name: String
    /// The expression as written.
    public var query: String
    /// Labels the rule adds.
    public var labels: Labels
    /// Annotation templates (alerting rules).
    public var annotations: Labels
    /// Alerting or recording, with what belongs to each.
    public var kind: Kind
    /// Outcome of the last evaluation.
    public var health: RuleHealth
    /// The last evaluation's error, empty when healthy.
    public var lastError: String
    /// Seconds the rule's last evaluation took.
    public var evaluationSeconds: Double
    /// When the last evaluation ran, nil before the first.
    public var lastEvaluation: Timestamp?

    /// Creates a rule description.
    public init(name: String, query: String, labels: Labels = Labels(), annotations: Labels = Labels(),
                kind: Kind, health: RuleHealth = .unknown, lastError: String = "",
                evaluationSeconds: Double = 0, lastEvaluation: Timestamp? = nil) {
        self.name = name
        self.query = query
        self.labels = labels
        self.annotations = annotations
        self.kind = kind
        self.health = health
        self.lastError = lastError
        self.evaluationSeconds = evaluationSeconds
        self.lastEvaluation = lastEvaluation
    }

    /// The rule's state as Prometheus derives it: the most severe state of its alerts.
    var alertState: AlertState {
        guard case .alerting(_, _, let alerts) = kind else { return .inactive }
        if alerts.contains(where: { $0.state == .firing }) { return .firing }
        if alerts.contains(where: { $0.state == .pending }) { return .pending }
        return .inactive
    }
}

/// One rule group as `/api/v1/rules` lists it.
public struct RuleGroupInfo: Sendable {
    /// The group's name.
    public var name: String
    /// The file the group came from (or the main config for shorthand alerts).
    public var file: String
    /// Evaluation interval.
    public var intervalMilliseconds: Int64
    /// The group's rules in file order.
    public var rules: [RuleInfo]
    /// Seconds the group's last evaluation took.
    public var evaluationSeconds: Double
    /// When the last evaluation ran, nil before the first.
    public var lastEvaluation: Timestamp?

    /// Creates a group description.
    public init(name: String, file: String, intervalMilliseconds: Int64, rules: [RuleInfo],
                evaluationSeconds: Double = 0, lastEvaluation: Timestamp? = nil) {
        self.name = name
        self.file = file
        self.intervalMilliseconds = intervalMilliseconds
        self.rules = rules
        self.evaluationSeconds = evaluationSeconds
        self.lastEvaluation = lastEvaluation
    }
}
