import Model

/// What the notification log remembers of the last notification of one group to one channel.
public struct NotificationLogEntry: Sendable, Hashable, Codable {
    /// Fingerprints of the alerts that were firing.
    public var firing: Set<UInt64>
    /// Fingerprints of the alerts that were resolved.
    public var resolved: Set<UInt64>
    /// When it was queued (ms).
    public var sentAt: Timestamp

    public init(firing: Set<UInt64>, resolved: Set<UInt64>, sentAt: Timestamp) {
        self.firing = firing
        self.resolved = resolved
        self.sentAt = sentAt
    }
}

/// The dedup decision for one group and channel, with its reason (Alertmanager's `needsUpdate`).
public enum DedupDecision: String, Sendable, Hashable {
    case firstNotification = "first notification"
    case newFiring = "new firing alerts"
    case allResolved = "all alerts resolved"
    case newlyResolved = "newly resolved alerts"
    case repeatDue = "repeat interval elapsed"
    case onlyResolvedNeverNotified = "only resolved alerts, never notified"
    case resolvedBeforeNotified = "alerts fired and resolved between notifications"
    case unchanged = "nothing changed within repeat interval"

    /// Whether to notify (and update the log).
    public var needsUpdate: Bool {
        switch self {
        case .firstNotification, .newFiring, .allResolved, .newlyResolved, .repeatDue: return true
        case .onlyResolvedNeverNotified, .resolvedBeforeNotified, .unchanged: return false
        }
    }

    /// Decides whether the group's current state must be notified.
    public static func decide(entry: NotificationLogEntry?, firing: Set<UInt64>, resolved: Set<UInt64>,
                              repeatInterval: Int64, sendResolved: Bool, now: Timestamp) -> DedupDecision {
        guard let entry else { return firing.isEmpty ? .onlyResolvedNeverNotified : .firstNotification }
        if !firing.isSubset(of: entry.firing) { return .newFiring }
        if firing.isEmpty {
            // Sent even without send_resolved, so the log forgets the firing alerts.
            return entry.firing.isEmpty ? .resolvedBeforeNotified : .allResolved
        }
        if sendResolved && !resolved.isSubset(of: entry.resolved) { return .newlyResolved }
        return entry.sentAt + repeatInterval <= now ? .repeatDue : .unchanged
    }
}
