/// A Prometheus rule file, loaded verbatim (no `${…}` expansion).
public struct RuleFile: Sendable {
    public var path: String
    public var groups: [RuleGroup]

    /// Memberwise initialiser, for building configs in code.
    public init(path: String, groups: [RuleGroup]) {
        self.path = path
        self.groups = groups
    }
}

/// One rule group.
public struct RuleGroup: Sendable {
    public var name: String
    /// ms; nil means `global.evaluation_interval`.
    public var interval: Int64?
    /// Alerts/series per evaluation, 0 = unlimited.
    public var limit: Int
    /// Evaluate this far in the past, ms (Prometheus `query_offset`, default 0).
    public var queryOffset: Int64
    /// Added to every rule of the group (rule labels win).
    public var labels: [String: String]
    public var rules: [RuleDefinition]
    public var position: SourcePosition

    /// Memberwise initialiser, for building configs in code.
    public init(
        name: String, interval: Int64? = nil, limit: Int = 0, queryOffset: Int64 = 0, labels: [String: String] = [:],
        rules: [RuleDefinition], position: SourcePosition
    ) {
        self.name = name
        self.interval = interval
        self.limit = limit
        self.queryOffset = queryOffset
        self.labels = labels
        self.rules = rules
        self.position = position
    }
}

/// One alerting or recording rule.
public struct RuleDefinition: Sendable {
    public enum Kind: Sendable, Hashable {
        case alert(String)
        case record(String)
    }

    public var kind: Kind
    public var expr: String
    /// Where `expr` starts in the file, for errors found later.
    public var exprPosition: SourcePosition
    /// ms, alerting rules only.
    public var forDuration: Int64
    public var keepFiringFor: Int64
    public var labels: [String: String]
    public var annotations: [String: String]
    public var position: SourcePosition

    /// The alert or record name.
    public var name: String {
        switch kind {
        case .alert(let name), .record(let name): return name
        }
    }

    /// Memberwise initialiser, for building configs in code.
    public init(
        kind: Kind, expr: String, exprPosition: SourcePosition, forDuration: Int64, keepFiringFor: Int64,
        labels: [String: String], annotations: [String: String], position: SourcePosition
    ) {
        self.kind = kind
        self.expr = expr
        self.exprPosition = exprPosition
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
        self.position = position
    }
}
