import Synchronization

/// One endpoint's figures for Lookout's `/metrics`.
public struct RemoteWriteStatus: Sendable, Equatable {
    /// The endpoint URL without credentials or query string.
    public var url: String
    /// Samples the receiver accepted.
    public var samplesSent = 0
    /// Samples in batches the receiver refused for good (a 4xx other than 429).
    public var samplesFailed = 0
    /// Samples discarded by Lookout: older than `max_backlog_age`, beyond `max_backlog_bytes`,
    /// or overflowing the in-memory buffer while the backlog could not be written.
    public var samplesDropped = 0
    /// Samples waiting: in memory and in the backlog.
    public var samplesPending = 0
    /// Age of the oldest sample in the backlog, 0 when it is empty.
    public var backlogOldestSeconds = 0.0
    /// Concurrent senders.
    public var shards = 0
    /// Request body bytes sent (compressed), retries included.
    public var bytesSent = 0
}

/// Counters of one endpoint; kept across reloads so they only go up.
final class EndpointCounters: Sendable {
    struct Values: Sendable {
        var sent = 0
        var failed = 0
        var dropped = 0
        var bytes = 0
    }

    private let values = Mutex(Values())

    func add(sent: Int = 0, failed: Int = 0, dropped: Int = 0, bytes: Int = 0) {
        values.withLock {
            $0.sent += sent
            $0.failed += failed
            $0.dropped += dropped
            $0.bytes += bytes
        }
    }

    var current: Values { values.withLock { $0 } }
}
