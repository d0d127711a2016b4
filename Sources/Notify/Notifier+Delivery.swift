import Foundation
import Logging
import Model
import Storage

extension Notifier {
    /// Starts a delivery for every idle channel whose queue head is due; returns how long to
    /// wait (ms) before something else is due.
    func startDeliveries(in group: inout TaskGroup<Void>) -> Int64 {
        let t = now()
        var wait: Int64 = 60_000
        if let deadline = core.nextDeadline { wait = min(wait, deadline - t) }
        let queued: [String]
        do {
            queued = try outbox.stats().map(\.channel)
        } catch {
            logger.error("cannot read outbox", metadata: ["error": "\(error)"])
            return 1000
        }
        for name in queued where !inFlight.contains(name) {
            guard let row = headToSend(name, now: t) else { continue }
            if row.nextAttemptAt > t {
                wait = min(wait, row.nextAttemptAt - t)
                continue
            }
            guard let channel = channels[name] else { continue }
            let notification: GroupNotification
            do {
                notification = try JSONDecoder().decode(GroupNotification.self, from: Data(row.payload))
            } catch {
                drop(row, result: "failed", message: "cannot decode queued notification", reason: "\(error)")
                continue
            }
            inFlight.insert(name)
            group.addTask {
                let started = ContinuousClock.now
                let result = await channel.deliver(notification)
                let elapsed = ContinuousClock.now - started
                await self.finish(row, result, seconds: Double(elapsed.components.attoseconds) / 1e18
                                      + Double(elapsed.components.seconds))
            }
        }
        return max(wait, 0)
    }

    /// The queue head of `name`, after dropping heads too old or for channels no longer configured.
    private func headToSend(_ name: String, now t: Timestamp) -> OutboxRow? {
        while let row = try? outbox.head(channel: name) {
            if channels[name] == nil {
                drop(row, result: "failed", message: "notification dropped: channel no longer configured", reason: "")
            } else if t - row.createdAt > settings.delivery.maxAge {
                drop(row, result: "expired", message: "notification dropped: older than the maximum age",
                     reason: row.lastError ?? "")
            } else {
                return row
            }
        }
        return nil
    }

    func finish(_ row: OutboxRow, _ result: DeliveryResult, seconds: Double) {
        inFlight.remove(row.channel)
        defer { wakeup.signal() }
        let meta: Logger.Metadata = ["channel": "\(row.channel)", "attempt": "\(row.attempts + 1)"]
        switch result {
        case .delivered:
            do { try outbox.delete(id: row.id) } catch {
                logger.error("cannot remove delivered notification", metadata: meta.merging(["error": "\(error)"]) { $1 })
            }
            metricsState.count(row.channel, "delivered")
            metricsState.observe(latencySeconds: seconds)
            logger.debug("notification delivered", metadata: meta)
        case .permanent(let reason):
            drop(row, result: "failed", message: "notification refused by receiver", reason: reason)
        case .retry(let after, let reason):
            let t = now()
            let attempts = row.attempts + 1
            let delay = Backoff.delay(attempt: attempts, policy: settings.delivery, retryAfter: after, random: random())
            if t + delay - row.createdAt > settings.delivery.maxAge {
                drop(row, result: "expired", message: "notification dropped: retries exceeded the maximum age", reason: reason)
                return
            }
            do {
                try outbox.reschedule(id: row.id, attempts: attempts, nextAttemptAt: t + delay, lastError: reason)
            } catch {
                logger.error("cannot reschedule notification", metadata: meta.merging(["error": "\(error)"]) { $1 })
            }
            metricsState.count(row.channel, "retried")
            logger.warning("notification failed, will retry",
                           metadata: meta.merging(["reason": "\(reason)", "retry_in_ms": "\(delay)"]) { $1 })
        }
    }

    private func drop(_ row: OutboxRow, result: String, message: Logger.Message, reason: String) {
        do { try outbox.delete(id: row.id) } catch {
            logger.error("cannot remove notification", metadata: ["channel": "\(row.channel)", "error": "\(error)"])
        }
        metricsState.count(row.channel, result)
        logger.error(message, metadata: ["channel": "\(row.channel)", "attempts": "\(row.attempts + 1)",
                                         "queued_ms": "\(now() - row.createdAt)", "reason": "\(reason)"])
    }
}
