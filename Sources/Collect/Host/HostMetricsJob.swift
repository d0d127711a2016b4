import Logging
import Model
import Synchronization

/// Host metrics on their schedule, read on a thread of their own (`statvfs` can hang on a dead
/// mount). Series that disappear (an unmounted filesystem) get stale markers.
final class HostMetricsJob: CollectJob {
    let spec: HostMetricsSpec
    let appender: any SeriesAppender
    let logger: Logger
    private let staleness = Mutex(StalenessTracker())

    init(spec: HostMetricsSpec, appender: any SeriesAppender, logger: Logger) {
        self.spec = spec
        self.appender = appender
        self.logger = logger
    }

    var key: JobKey { .host(spec) }
    var name: String { "host/" + spec.instance }
    var interval: Duration { spec.interval }

    func runOnce(at timestamp: Timestamp) async {
        let host = HostMetrics(spec: spec)
        var (batch, problems) = await BlockingWork.run { host.collect(at: timestamp) }
        for problem in problems { logger.warning("host metrics: \(problem)") }
        let current = Set(batch.map(\.labels))
        batch += staleness.withLock { $0.scraped(current, at: timestamp) }
        append(batch)
    }

    func retire(at timestamp: Timestamp) async {
        append(staleness.withLock { $0.reset(at: timestamp) })
    }

    private func append(_ batch: [LabeledSample]) {
        guard !batch.isEmpty else { return }
        do { try appender.append(batch) } catch {
            logger.error("storing host metrics failed", metadata: ["error": "\(error)"])
        }
    }
}
