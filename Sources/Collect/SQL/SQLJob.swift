import Logging
import Model
import Synchronization

/// An SQL source on its schedule; the query runs on a thread of its own. Rows that disappear
/// (a model with no calls today) get stale markers, as scraped series do. A failure is logged
/// when it starts or its reason changes, and once more when the source recovers, not every round
/// (`sql_up` shows each round).
final class SQLJob: CollectJob {
    let spec: SQLSourceSpec
    let appender: any SeriesAppender
    let logger: Logger
    private let staleness = Mutex(StalenessTracker())
    /// The reason of the failure last logged, nil while the source works.
    private let lastError = Mutex<String?>(nil)

    init(spec: SQLSourceSpec, appender: any SeriesAppender, logger: Logger) {
        self.spec = spec
        self.appender = appender
        self.logger = logger
    }

    var key: JobKey { .sql(spec) }
    var name: String { "sql/" + spec.name }
    var interval: Duration { spec.interval }

    func runOnce(at timestamp: Timestamp) async {
        let source = SQLSource(spec: spec)
        var (batch, error) = await BlockingWork.run { source.collect(at: timestamp) }
        let previous = lastError.withLock { last in defer { last = error }; return last }
        if let error, error != previous {
            logger.warning("sql source failed", metadata: ["source": "\(spec.name)", "error": "\(error)"])
        } else if error == nil, previous != nil {
            logger.info("sql source recovered", metadata: ["source": "\(spec.name)"])
        }
        let rows = Set(batch.lazy.filter { $0.labels[Labels.metricName] == self.spec.name }.map(\.labels))
        batch += staleness.withLock { error == nil ? $0.scraped(rows, at: timestamp) : $0.reset(at: timestamp) }
        append(batch)
    }

    func retire(at timestamp: Timestamp) async {
        let upSeries = Labels(sortedUnique: [Label(Labels.metricName, "sql_up"), Label("source", spec.name)])
        append(staleness.withLock { $0.reset(at: timestamp) } + [LabeledSample(upSeries, Sample(timestamp, StaleMarker.value))])
    }

    private func append(_ batch: [LabeledSample]) {
        do { try appender.append(batch) } catch {
            logger.error("storing sql source failed", metadata: ["source": "\(spec.name)", "error": "\(error)"])
        }
    }
}
