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

    public var name: String
    public var query: String
    public var labels: Labels
    public var annotations: Labels
    public var kind: Kind
    public var health: RuleHealth
    public var lastError: String
    /// Seconds the last evaluation took.
    public var evaluationSeconds: Double
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
    public var name: String
    public var file: String
    public var intervalMilliseconds: Int64
    public var rules: [RuleInfo]
    public var evaluationSeconds: Double
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
