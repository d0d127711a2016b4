import Model
import Synchronization

/// How the last scrape of a target went, for `/api/v1/targets` and the status page.
public struct ScrapeStatus: Sendable, Equatable {
    /// The `job` label.
    public var job: String
    /// The `instance` label.
    public var instance: String
    /// The URL scraped.
    public var url: String
    /// When the last scrape started (milliseconds since the epoch).
    public var lastScrape: Timestamp
    /// How long the last scrape took.
    public var duration: Duration
    /// Nil when the last scrape succeeded (`up` 1).
    public var lastError: String?
    /// Samples in the last payload.
    public var samplesScraped: Int
}

/// The last scrape status of every target, keyed by job and instance.
public final class ScrapeStatusStore: Sendable {
    private let statuses = Mutex<[String: ScrapeStatus]>([:])

    /// An empty store.
    public init() {}

    /// Every target that has been scraped, sorted by job then instance.
    public func all() -> [ScrapeStatus] {
        statuses.withLock { Array($0.values) }.sorted { ($0.job, $0.instance) < ($1.job, $1.instance) }
    }

    func record(_ status: ScrapeStatus) {
        statuses.withLock { $0[status.job + "\u{0}" + status.instance] = status }
    }

    func remove(job: String, instance: String) {
        _ = statuses.withLock { $0.removeValue(forKey: job + "\u{0}" + instance) }
    }
}
