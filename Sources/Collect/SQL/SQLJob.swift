import Logging
import Model

/// An SQL source on its schedule; the query runs on a thread of its own.
struct SQLJob: CollectJob {
    let spec: SQLSourceSpec
    let appender: any SeriesAppender
    let logger: Logger

    var key: JobKey { .sql(spec) }
    var name: String { "sql/" + spec.name }
    var interval: Duration { spec.interval }

    func runOnce(at timestamp: Timestamp) async {
        let source = SQLSource(spec: spec)
        let (batch, error) = await BlockingWork.run { source.collect(at: timestamp) }
        if let error {
            logger.warning("sql source failed", metadata: ["source": "\(spec.name)", "error": "\(error)"])
        }
        do { try appender.append(batch) } catch {
            logger.error("storing sql source failed", metadata: ["source": "\(spec.name)", "error": "\(error)"])
        }
    }
}
