import Foundation
import Logging
import Model
import Storage

extension Notifier {
    /// How long deliveries in flight may finish after shutdown began.
    static let shutdownGrace: Duration = .seconds(3)

    /// Starts every delivery that is due and allowed (per-channel parallelism, one per alert group
    /// at a time, in queue order); returns how long to wait (ms) before something else is due.
    func startDeliveries(in group: inout TaskGroup<Void>) -> Int64 {
        let t = now()
        var wait: Int64 = 60_000
        if let deadline = core.nextDeadline { wait = min(wait, deadline - t) }
        if !unsaved.isEmpty {
            saveOutcomes()
            if !unsaved.isEmpty { wait = min(wait, 1000) }
        }
        for name in pendingChannels.sorted() {
            let running = inFlight[name, default: [:]]
            let limit = settings.delivery.parallelism
            guard running.count < limit else { continue }
            let rows: [OutboxRow]
            do {
                rows = try outbox.pending(channel: name, limit: limit * 8 + running.count)
            } catch {
                logger.error("cannot read outbox", metadata: ["channel": "\(name)", "error": "\(error)"])
                wait = min(wait, 1000)
                continue
            }
            if rows.isEmpty { pendingChannels.remove(name) }
            var busyGroups = Set(running.values)
            // Delivered or dropped already, only its deletion is not stored yet: never send it again.
            for row in rows.map({ unsaved.current($0) }) where running[row.id] == nil && !unsaved.isRemoved(row.id) {
                guard inFlight[name, default: [:]].count < limit else { break }
                if expired(row, now: t) { continue }
                // An earlier notification of the same group is pending or in flight: keep the order.
                guard busyGroups.insert(row.groupKey).inserted else { continue }
                if row.nextAttemptAt > t {
                    wait = min(wait, row.nextAttemptAt - t)
                    if limit == 1 { break }
                    continue
                }
                start(row, in: &group)
            }
        }
        return max(wait, 0)
    }

    /// Drops a row whose channel is gone or that is older than the maximum age.
    private func expired(_ row: OutboxRow, now t: Timestamp) -> Bool {
        if channels[row.channel] == nil {
            drop(row, result: "failed", message: "notification dropped: channel no longer configured", reason: "")
            return true
        }
        if t - row.createdAt > settings.delivery.maxAge {
            drop(row, result: "expired", message: "notification dropped: older than the maximum age", reason: row.lastError ?? "")
            return true
        }
        return false
    }

    private func start(_ row: OutboxRow, in group: inout TaskGroup<Void>) {
        guard let channel = channels[row.channel] else { return }
        let notification: QueuedMessage
        do {
            guard let payload = try outbox.payload(id: row.id) else { return }
            notification = try QueuedMessage.decode(payload)
        } catch {
            drop(row, result: "failed", message: "cannot decode queued notification", reason: "\(error)")
            return
        }
        inFlight[row.channel, default: [:]][row.id] = row.groupKey
        switch notification {
        case .alerts(let n): titles[row.id] = n.title
        case .report(let r): titles[row.id] = r.title
        }
        group.addTask {
            let started = ContinuousClock.now
            // On shutdown an attempt gets a grace period before it is cancelled: cancelling one the
            // receiver is already answering would deliver it a second time after the restart.
            let attempt = Task { await channel.deliver(notification) }
            let result = await withTaskCancellationHandler {
                await attempt.value
            } onCancel: {
                Task {
                    try? await Task.sleep(for: Notifier.shutdownGrace)
                    attempt.cancel()
                }
            }
            let elapsed = ContinuousClock.now - started
            let seconds = PromDuration.seconds(elapsed)
            await self.finish(row, result, seconds: seconds)
        }
    }

    func finish(_ row: OutboxRow, _ result: DeliveryResult, seconds: Double) {
        inFlight[row.channel]?[row.id] = nil
        defer {
            titles[row.id] = nil
            wakeup.signal()
        }
        let meta: Logger.Metadata = ["channel": "\(row.channel)", "attempt": "\(row.attempts + 1)"]
        switch result {
        case .delivered:
            remove(row)
            metricsState.count(row.channel, "delivered")
            metricsState.observe(latencySeconds: seconds)
            record(row, .delivered)
            logger.debug("notification delivered", metadata: meta)
            if let outage = outages.delivered(row.channel) {
                logger.info("channel recovered", metadata: ["channel": "\(row.channel)", "failed_attempts": "\(outage.failures)",
                                                            "down_ms": "\(now() - outage.since)", "last_reason": "\(outage.reason)"])
            }
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
                unsaved.saved(row.id)
            } catch {
                unsaved.retry(row.id, .init(attempts: attempts, nextAttemptAt: t + delay, lastError: reason))
                unsavable(error)
            }
            metricsState.count(row.channel, "retried")
            record(row, .retrying, detail: reason)
            // Warn when the channel starts failing or fails differently; further retries are debug
            // lines (the queue, `lookout status` and the metrics show them), "channel recovered" ends it.
            let level: Logger.Level = outages.failed(row.channel, reason: reason, at: t) ? .warning : .debug
            logger.log(level: level, "notification failed, will retry",
                       metadata: meta.merging(["reason": "\(reason)", "retry_in_ms": "\(delay)"]) { $1 })
        }
    }

    private func drop(_ row: OutboxRow, result: String, message: Logger.Message, reason: String) {
        remove(row)
        metricsState.count(row.channel, result)
        record(row, result == "expired" ? .expired : .failed, detail: reason.isEmpty ? "\(message)" : "\(message): \(reason)")
        logger.error(message, metadata: ["channel": "\(row.channel)", "attempts": "\(row.attempts + 1)",
                                         "queued_ms": "\(now() - row.createdAt)", "reason": "\(reason)"])
    }

    /// Deletes a delivered or abandoned row; when that cannot be stored, remembers it so it is
    /// not sent again, and deletes it once the database can be written.
    private func remove(_ row: OutboxRow) {
        do {
            try outbox.delete(id: row.id)
            unsaved.saved(row.id)
        } catch {
            unsaved.remove(row.id, channel: row.channel)
            unsavable(error)
        }
    }

    /// Stores the outcomes kept in memory, as far as the database takes them.
    private func saveOutcomes() {
        do {
            for (id, _) in unsaved.removals {
                try outbox.delete(id: id)
                unsaved.saved(id)
            }
            for (id, retry) in unsaved.retries {
                try outbox.reschedule(id: id, attempts: retry.attempts, nextAttemptAt: retry.nextAttemptAt, lastError: retry.lastError)
                unsaved.saved(id)
            }
        } catch {
            unsavable(error)
            return
        }
        if unsaved.reported {
            unsaved.reported = false
            logger.info("notification queue writable again; delivery outcomes kept in memory are stored")
        }
    }

    /// Logs a failure to record an outcome once per streak (it is retried every second).
    private func unsavable(_ error: any Error) {
        guard !unsaved.reported else {
            logger.debug("cannot update the notification queue", metadata: ["error": "\(error)"])
            return
        }
        unsaved.reported = true
        logger.error("cannot update the notification queue; delivery outcomes are kept in memory (nothing is sent twice) and stored once the database can be written",
                     metadata: ["error": "\(error)"])
    }

    /// Remembers an outcome for `recentDeliveries()`.
    private func record(_ row: OutboxRow, _ outcome: DeliveryRecord.Outcome, detail: String = "") {
        let title = titles[row.id] ?? "notification queued at \(UTCTime(row.createdAt).rfc3339)"
        recent.add(DeliveryRecord(time: now(), channel: row.channel, title: title, outcome: outcome, detail: detail))
    }
}
