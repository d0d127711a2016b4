import Logging
import Model
import Synchronization

/// An SQL source on its schedule; the query runs on a thread of its own. Rows that disappear
/// (a model with no calls today) get stale markers, as scraped series do.
final class SQLJob: CollectJob {
    let spec: SQLSourceSpec
    let appender: any SeriesAppender
    let logger: Logger
    private let staleness = Mutex(StalenessTracker())

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
        if let error {
            logger.warning("sql source failed", metadata: ["source": "\(spec.name)", "error": "\(error)"])
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
