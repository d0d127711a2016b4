/// A Prometheus rule file, loaded verbatim (no `${…}` expansion).
public struct RuleFile: Sendable {
    public var path: String
    public var groups: [RuleGroup]
}

/// One rule group.
public struct RuleGroup: Sendable {
    public var name: String
    /// ms; nil means `global.evaluation_interval`.
    public var interval: Int64?
    /// Alerts/series per evaluation, 0 = unlimited.
    public var limit: Int
    public var rules: [RuleDefinition]
    public var position: SourcePosition
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
}
