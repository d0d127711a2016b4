import Config

/// One rule to evaluate: what the group evaluator needs, independent of where it came from
/// (a Prometheus rule file or a shorthand alert).
public struct RuleSpec: Sendable, Hashable {
    /// Alerting or recording, with its name.
    public enum Kind: Sendable, Hashable {
        case alert(String)
        case record(String)
    }

    /// Alerting or recording, and the name.
    public var kind: Kind
    /// The PromQL expression.
    public var expr: String
    /// `for`, milliseconds (alerting rules).
    public var forDuration: Int64
    /// `keep_firing_for`, milliseconds (alerting rules).
    public var keepFiringFor: Int64
    /// Extra labels; for alerting rules the values are templates.
    public var labels: [String: String]
    /// Annotation templates (alerting rules).
    public var annotations: [String: String]

    /// Creates a rule.
    public init(kind: Kind, expr: String, forDuration: Int64 = 0, keepFiringFor: Int64 = 0,
                labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.kind = kind
        self.expr = expr
        self.forDuration = forDuration
        self.keepFiringFor = keepFiringFor
        self.labels = labels
        self.annotations = annotations
    }

    /// The alert or record name.
    public var name: String {
        switch kind {
        case .alert(let name), .record(let name): return name
        }
    }

    /// Maps a rule of a Prometheus rule file.
    public init(_ definition: RuleDefinition) {
        let mapped: Kind
        switch definition.kind {
        case .alert(let name): mapped = .alert(name)
        case .record(let name): mapped = .record(name)
        }
        self.init(kind: mapped, expr: definition.expr, forDuration: definition.forDuration,
                  keepFiringFor: definition.keepFiringFor, labels: definition.labels, annotations: definition.annotations)
    }
}

/// A rule group: rules evaluated in order at a fixed interval, independently of other groups.
public struct GroupSpec: Sendable, Hashable {
    /// The group name (unique within its file).
    public var name: String
    /// The file it came from (`""` for shorthand alerts); with `name` it identifies the group.
    public var file: String
    /// Evaluation interval, milliseconds.
    public var interval: Int64
    /// Maximum alerts or series a rule may produce per evaluation; 0 means unlimited.
    public var limit: Int
    /// The rules, in evaluation order.
    public var rules: [RuleSpec]

    /// Creates a group.
    public init(name: String, file: String = "", interval: Int64, limit: Int = 0, rules: [RuleSpec]) {
        self.name = name
        self.file = file
        self.interval = interval
        self.limit = limit
        self.rules = rules
    }

    /// Maps a group of a Prometheus rule file; groups without `interval` use `defaultInterval`.
    public init(_ group: RuleGroup, file: String, defaultInterval: Int64) {
        self.init(name: group.name, file: file, interval: group.interval ?? defaultInterval, limit: group.limit,
                  rules: group.rules.map(RuleSpec.init))
    }

    /// Every group of the configuration: rule files in order, then the shorthand alerts as one
    /// group named `lookout-alerts` on `global.evaluation_interval`.
    public static func all(from config: LookoutConfig) -> [GroupSpec] {
        var groups: [GroupSpec] = []
        for file in config.ruleFiles {
            groups += file.groups.map { GroupSpec($0, file: file.path, defaultInterval: config.global.evaluationInterval) }
        }
        if !config.alerts.isEmpty {
            groups.append(GroupSpec(name: Shorthand.groupName, interval: config.global.evaluationInterval,
                                    rules: config.alerts.map(Shorthand.compile)))
        }
        return groups
    }
}
