import Model

/// One notification: the state of one alert group, addressed to one channel. This is the unit
/// written to the outbox, so it is `Codable` and self-contained; channels render it when sending,
/// which keeps secrets (URLs, keys) out of the database.
public struct GroupNotification: Sendable, Codable, Hashable {
    /// The channel's configured name.
    public var channel: String
    /// Stable identity of the alert group (route + group labels); the same across restarts.
    public var groupKey: String
    /// The values of the `group_by` labels.
    public var groupLabels: Labels
    /// Firing alerts first, then resolved ones; each sorted by labels.
    public var alerts: [Alert]
    /// Base URL of Lookout's status page ("" for none).
    public var externalURL: String
    /// Set for `lookout notify test`: receivers show it as a test.
    public var isTest: Bool
    /// When the notification was queued (ms).
    public var createdAt: Timestamp

    public init(channel: String, groupKey: String, groupLabels: Labels, alerts: [Alert],
                externalURL: String = "", isTest: Bool = false, createdAt: Timestamp) {
        self.channel = channel
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.alerts = GroupNotification.ordered(alerts)
        self.externalURL = externalURL
        self.isTest = isTest
        self.createdAt = createdAt
    }

    /// The firing alerts.
    public var firing: [Alert] { alerts.filter { !$0.isResolved } }
    /// The resolved alerts.
    public var resolved: [Alert] { alerts.filter(\.isResolved) }
    /// Whether the group as a whole is resolved (no firing alert left).
    public var isResolved: Bool { alerts.allSatisfy(\.isResolved) }

    /// Labels every alert shares with the same value.
    public var commonLabels: Labels { GroupNotification.common(alerts.map(\.labels)) }
    /// Annotations every alert shares with the same value.
    public var commonAnnotations: Labels { GroupNotification.common(alerts.map(\.annotations)) }

    /// The group's worst severity label among firing alerts (or all alerts when resolved).
    public var severity: String {
        let pool = isResolved ? alerts : firing
        let values = pool.compactMap { $0.labels["severity"] }
        return values.max { Severity.rank($0) < Severity.rank($1) } ?? ""
    }

    /// A short title: `[FIRING:2] HighErrorRate api (critical)`, as Alertmanager's default subject.
    public var title: String {
        var out = isResolved ? "[RESOLVED]" : "[FIRING:\(firing.count)]"
        if isTest { out = "[TEST] " + out }
        let values = groupLabels.filter { $0.name != "severity" }.map(\.value)
        if !values.isEmpty { out += " " + values.joined(separator: " ") }
        if !severity.isEmpty { out += " (\(severity))" }
        return out
    }

    private static func ordered(_ alerts: [Alert]) -> [Alert] {
        alerts.sorted { a, b in
            if a.isResolved != b.isResolved { return !a.isResolved }
            return a.labels < b.labels
        }
    }

    private static func common(_ sets: [Labels]) -> Labels {
        guard let first = sets.first else { return Labels() }
        var shared = Array(first)
        for set in sets.dropFirst() { shared = shared.filter { set[$0.name] == $0.value } }
        return Labels(sortedUnique: shared)
    }
}

/// Severity names as alert rules spell them, ranked so a group can report its worst.
public enum Severity {
    /// Higher is worse; unknown values rank lowest.
    public static func rank(_ value: String) -> Int {
        switch value.lowercased() {
        case "critical", "page", "emergency", "fatal": return 4
        case "error", "high", "major": return 3
        case "warning", "warn", "medium", "minor": return 2
        case "info", "low", "notice": return 1
        default: return 0
        }
    }
}
