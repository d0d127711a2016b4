import Model

/// What happened to one delivery attempt, for the status page's recent notifications.
public struct DeliveryRecord: Sendable, Equatable {
    /// The outcome of the attempt.
    public enum Outcome: String, Sendable {
        /// The receiver accepted it.
        case delivered
        /// It failed and stays queued for another attempt.
        case retrying
        /// Refused by the receiver, undecodable or its channel is gone: dropped.
        case failed
        /// Older than `max_age`: dropped.
        case expired
    }

    /// When the attempt ended (ms).
    public var time: Timestamp
    /// The channel name from the config.
    public var channel: String
    /// The notification's title, e.g. `[FIRING:2] HighErrorRate api (critical)`.
    public var title: String
    /// The outcome.
    public var outcome: Outcome
    /// The receiver's error or the reason for dropping it (empty when delivered).
    public var detail: String

    /// Creates a record.
    public init(time: Timestamp, channel: String, title: String, outcome: Outcome, detail: String = "") {
        self.time = time
        self.channel = channel
        self.title = title
        self.outcome = outcome
        self.detail = detail
    }
}

/// The last `capacity` delivery records, kept in memory (a restart starts an empty list).
struct RecentDeliveries {
    let capacity: Int
    private var records: [DeliveryRecord] = []
    private var next = 0

    init(capacity: Int = 50) {
        self.capacity = max(1, capacity)
    }

    mutating func add(_ record: DeliveryRecord) {
        if records.count < capacity {
            records.append(record)
        } else {
            records[next] = record
        }
        next = (next + 1) % capacity
    }

    /// The records, newest first.
    var newestFirst: [DeliveryRecord] {
        guard records.count == capacity else { return records.reversed() }
        return Array((records[next...] + records[..<next]).reversed())
    }
}
