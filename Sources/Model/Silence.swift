/// A silence: alerts matching every matcher are not notified between `startsAt` and `endsAt`.
public struct Silence: Sendable, Hashable {
    /// Where a silence is in its life at a given instant (Alertmanager's `status.state`).
    public enum State: String, Sendable, Hashable, Codable {
        case pending, active, expired
    }

    /// A UUID string.
    public var id: String
    public var matchers: [Matcher]
    public var startsAt: Timestamp
    public var endsAt: Timestamp
    public var createdBy: String
    public var comment: String
    public var updatedAt: Timestamp

    public init(id: String, matchers: [Matcher], startsAt: Timestamp, endsAt: Timestamp,
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

    /// Whether the silence's matchers all accept `labels` (whatever its state).
    public func matches(_ labels: Labels) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }
}
