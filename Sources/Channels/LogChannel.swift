import Logging
import Model
import Notify

/// Writes notifications to the daemon's log: one line per alert, details as metadata.
struct LogChannel: Channel {
    let name: String
    let logger: Logger

    func render(_ n: GroupNotification) -> [Logger.Metadata] {
        n.alerts.map { alert in
            var metadata: Logger.Metadata = [
                "channel": .string(name), "group": .string(n.groupKey),
                "status": .string(alert.isResolved ? "resolved" : "firing"),
                "alertname": .string(alert.name), "value": .string(Formats.value(alert.value)),
                "labels": .string(alert.labels.description),
            ]
            if let summary = alert.annotations["summary"] { metadata["summary"] = .string(summary) }
            if n.isTest { metadata["test"] = "true" }
            return metadata
        }
    }

    func send(_ request: [Logger.Metadata]) async -> DeliveryResult {
        for metadata in request {
            if metadata["report"] != nil {
                logger.info("report", metadata: metadata)
                continue
            }
            let firing = metadata["status"] == "firing"
            logger.log(level: firing ? .warning : .info, "alert notification", metadata: metadata)
        }
        return .delivered
    }
}
