import Logging
import Model

/// Host metrics on their schedule, read on a thread of their own (`statvfs` can hang on a dead mount).
struct HostMetricsJob: CollectJob {
    let spec: HostMetricsSpec
    let appender: any SeriesAppender
    let logger: Logger

    var key: JobKey { .host(spec) }
    var name: String { "host/" + spec.instance }
    var interval: Duration { spec.interval }

    func runOnce(at timestamp: Timestamp) async {
        let host = HostMetrics(spec: spec)
        let (batch, problems) = await BlockingWork.run { host.collect(at: timestamp) }
        for problem in problems { logger.warning("host metrics: \(problem)") }
        do { try appender.append(batch) } catch {
            logger.error("storing host metrics failed", metadata: ["error": "\(error)"])
        }
    }
}
