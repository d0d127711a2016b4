import Model

/// A silence as Alertmanager's API v2 and the status page show it.
public struct SilenceInfo: Sendable, Equatable {
    /// Alertmanager's silence states, derived from the times.
    public enum State: String, Sendable {
        case pending, active, expired
    }

    /// Empty for a silence that is about to be created.
    public var id: String
    /// Alerts matching all of these are silenced.
    public var matchers: [Matcher]
    /// Start (ms).
    public var startsAt: Timestamp
    /// End (ms); expiring a silence sets it to now.
    public var endsAt: Timestamp
    /// Who created it.
    public var createdBy: String
    /// Why.
    public var comment: String
    /// Last change (ms).
    public var updatedAt: Timestamp

    /// Creates a silence description.
    public init(id: String = "", matchers: [Matcher], startsAt: Timestamp, endsAt: Timestamp,
                createdBy: String, comment: String, updatedAt: Timestamp) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.updatedAt = updatedAt
    }

    /// The state at `now`.
    public func state(at now: Timestamp) -> State {
        if now >= endsAt { return .expired }
        return now < startsAt ? .pending : .active
    }
}
