/// The state of an alert as the rule evaluator sees it.
public enum AlertState: String, Sendable, Hashable, Codable, CaseIterable {
    case inactive, pending, firing
}

/// One alert instance: a rule's output for one label set, with its timeline.
/// Times are milliseconds since the epoch; `resolvedAt` is set once the condition cleared.
public struct Alert: Sendable, Hashable, Codable {
    public var labels: Labels
    public var annotations: Labels
    public var state: AlertState
    public var value: Double
    /// When the condition first held (the start of the `for` clock).
    public var activeAt: Timestamp
    /// When the alert went from pending to firing.
    public var firedAt: Timestamp?
    /// When the condition stopped holding (after `keep_firing_for`).
    public var resolvedAt: Timestamp?
    /// Link back to the rule, for receivers that show one.
    public var generatorURL: String

    public init(labels: Labels, annotations: Labels = Labels(), state: AlertState, value: Double,
                activeAt: Timestamp, firedAt: Timestamp? = nil, resolvedAt: Timestamp? = nil,
                generatorURL: String = "") {
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.generatorURL = generatorURL
    }

    /// The alert's name (`alertname` label).
    public var name: String { labels["alertname"] ?? "" }

    /// Whether the alert has resolved.
    public var isResolved: Bool { resolvedAt != nil }
}
