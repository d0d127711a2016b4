import Foundation
import Model
import Storage

extension Notifier {
    /// Queues one report for its channels and records `day` as sent, in one transaction: after a
    /// crash either both happened or neither did, so a report is never queued twice for a day.
    /// Returns false (and queues nothing) when the report was already queued for `day`. Channels
    /// that are not configured are skipped. Delivery then goes through the outbox with the same
    /// retries, backoff and maximum age as alert notifications.
    public func queueReport(_ report: ReportNotification, channels names: [String], day: String) throws -> Bool {
        var queued: [String] = []
        let sent = try db.withTransaction { () throws -> Bool in
            if let last = try reportLog.lastDays()[report.name], last >= day { return false }
            for name in names where channels[name] != nil {
                let payload = try QueuedMessage.encode(report.addressed(to: name))
                try outbox.enqueue(channel: name, groupKey: "report:\(report.name)", payload: payload,
                                   createdAt: report.generatedAt)
                queued.append(name)
            }
            try reportLog.markSent(name: report.name, day: day, sentAt: report.generatedAt)
            return true
        }
        guard sent else { return false }
        pendingChannels.formUnion(queued)
        wakeup.signal()
        logger.info("report queued", metadata: ["report": "\(report.name)", "day": "\(day)",
                                                "channels": "\(queued.joined(separator: ","))"])
        return true
    }

    /// The local day each report was last queued for, by report name.
    public func reportDays() throws -> [String: String] {
        try reportLog.lastDays()
    }
}
