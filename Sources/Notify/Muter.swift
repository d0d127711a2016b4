import Model
import Storage

/// Decides whether an alert is muted. Serves both inhibition and silences (Alertmanager's `Muter`).
public protocol Muter: Sendable {
    /// Whether an alert with these labels must not be notified.
    func mutes(_ labels: Labels) -> Bool
}

/// Mutes when any of several muters does.
struct AnyMuter: Muter {
    var muters: [any Muter]
    func mutes(_ labels: Labels) -> Bool { muters.contains { $0.mutes(labels) } }
}

/// Inhibition: a firing alert matching a rule's source mutes alerts matching its target when the
/// `equal` labels agree. Built from a snapshot of the current alerts.
public struct Inhibitor: Muter {
    private let rules: [InhibitRule]
    private let sources: [[Labels]]

    /// Indexes the firing alerts that match each rule's source matchers.
    public init(rules: [InhibitRule], alerts: [Alert]) {
        self.rules = rules
        let firing = alerts.filter { !$0.isResolved }.map(\.labels)
        sources = rules.map { rule in firing.filter { labels in rule.source.allSatisfy { $0.matches(labels) } } }
    }

    public func mutes(_ labels: Labels) -> Bool {
        for (rule, sources) in zip(rules, sources) where rule.target.allSatisfy({ $0.matches(labels) }) {
            let targetIsAlsoSource = rule.source.allSatisfy { $0.matches(labels) }
            for source in sources where source != labels {
                // An alert matching both sides does not inhibit others that do too (Alertmanager),
                // so two such alerts never silence each other.
                if targetIsAlsoSource && rule.target.allSatisfy({ $0.matches(source) }) { continue }
                if rule.equal.allSatisfy({ source[$0] == labels[$0] }) { return true }
            }
        }
        return false
    }
}

/// Silences active at one instant.
public struct SilenceMuter: Muter {
    private let active: [Silence]

    /// Keeps the silences active at `now`.
    public init(silences: [Silence], now: Timestamp) {
        active = silences.filter { $0.state(at: now) == .active }
    }

    public func mutes(_ labels: Labels) -> Bool {
        active.contains { $0.matches(labels) }
    }
}
