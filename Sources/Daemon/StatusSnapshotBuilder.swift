import Config
import Model
import Notify
import Server
import Storage

/// Builds the status page's snapshot: each check's last 24 h in 90 buckets (uptime bar and latency
/// sparkline) from the stored probe series, plus targets, alerts, silences and the queue.
enum StatusSnapshotBuilder {
    static let window: Int64 = 86_400_000
    static let buckets = 90

    static func build(runtime: Runtime, now: Timestamp) async -> StatusSnapshot {
        let config = runtime.config
        let rows = Dictionary(((try? runtime.checkStatus.all()) ?? []).map { ($0.check, $0) }, uniquingKeysWith: { a, _ in a })
        let range = (now - window)...now
        let success = seriesByCheck(runtime.tsdb, "probe_success", range)
        let latency = seriesByCheck(runtime.tsdb, "probe_duration_seconds", range)
        let statusCodes = seriesByCheck(runtime.tsdb, "probe_http_status_code", range)
        let failures = (try? runtime.checkStatus.failures(since: now - window)) ?? [:]
        let checks = config.checks.map { check in
            checkStatus(check, row: rows[check.name], success: success[check.name] ?? [],
                        latency: latency[check.name] ?? [], statusCodes: statusCodes[check.name] ?? [],
                        failures: failures[check.name] ?? [], now: now)
        }
        let metrics = await runtime.notifier.metrics()
        let queued = metrics.queueLength.values.reduce(0, +)
        let oldest = metrics.oldestQueuedSeconds.values.max().map { now - Timestamp($0 * 1000) }
        let silences = ((try? SilenceManager(databasePath: StorageDatabase.path(dataDir: config.global.dataDir)).list()) ?? [])
            .filter { $0.state(at: now) != .expired }
        let alerts = runtime.currentRules?.alerts().filter { $0.resolvedAt == nil && $0.state != .inactive } ?? []
        let notifications = await runtime.notifier.recentDeliveries().map(notificationInfo)
        return StatusSnapshot(generatedAt: now, version: BuildInfo.version, checks: checks,
                              targets: ServerWiring.targets(runtime: runtime), alerts: alerts, silences: silences,
                              notifications: notifications, queue: QueueInfo(length: queued, oldest: queued > 0 ? oldest : nil))
    }

    /// A delivery outcome as the status page shows it.
    static func notificationInfo(_ record: DeliveryRecord) -> NotificationInfo {
        let result: NotificationInfo.Result
        switch record.outcome {
        case .delivered: result = .sent
        case .retrying: result = .retrying
        case .failed, .expired: result = .failed
        }
        return NotificationInfo(time: record.time, channel: record.channel, summary: record.title, result: result,
                                detail: record.detail)
    }

    static func seriesByCheck(_ tsdb: TSDB, _ name: String, _ range: ClosedRange<Timestamp>) -> [String: [Sample]] {
        guard let matcher = try? Matcher(Labels.metricName, .equal, name),
              let series = try? tsdb.select([matcher], in: range) else { return [:] }
        var out: [String: [Sample]] = [:]
        for s in series { if let check = s.labels["check"] { out[check, default: []] += s.samples.filter { !$0.isStale } } }
        return out
    }

    static func checkStatus(_ check: CheckConfig, row: CheckStatusRow?, success: [Sample], latency: [Sample],
                            statusCodes: [Sample] = [], failures: [CheckFailure] = [], now: Timestamp) -> CheckStatus {
        let size = window / Int64(buckets)
        let start = now - window
        var totals = Array(repeating: 0, count: buckets), oks = Array(repeating: 0, count: buckets)
        var latencySums = Array(repeating: 0.0, count: buckets), latencyCounts = Array(repeating: 0, count: buckets)
        for s in success {
            let i = min(buckets - 1, Int((s.timestamp - start) / size))
            guard i >= 0 else { continue }
            totals[i] += 1
            if s.value == 1 { oks[i] += 1 }
        }
        for s in latency {
            let i = min(buckets - 1, Int((s.timestamp - start) / size))
            guard i >= 0 else { continue }
            latencySums[i] += s.value
            latencyCounts[i] += 1
        }
        let bars = (0..<buckets).map { CheckStatus.Bucket(start: start + Int64($0) * size, total: totals[$0], successes: oks[$0]) }
        let sparkline = (0..<buckets).map { latencyCounts[$0] == 0 ? nil : latencySums[$0] / Double(latencyCounts[$0]) }
        let total = totals.reduce(0, +)
        // Since: when the current state began, from the latest change in the stored results.
        var since: Timestamp?
        if let last = success.last {
            since = success.first?.timestamp
            if let change = success.lastIndex(where: { $0.value != last.value }) { since = success[change + 1].timestamp }
        }
        // The HTTP status of each probe (none for TCP checks), matched by the probe's timestamp.
        let codeAt = Dictionary(statusCodes.suffix(50).map { ($0.timestamp, $0.value) }, uniquingKeysWith: { _, last in last })
        // Each failed probe's reason, as kept with its time by the check status store.
        var reasonAt = Dictionary(failures.map { ($0.at, $0.reason) }, uniquingKeysWith: { _, last in last })
        if let at = row?.lastFailureAt, let reason = row?.lastFailureReason { reasonAt[at] = reason }
        let history = zip(success.suffix(50), latency.suffix(50)).map { s, l in
            CheckStatus.Event(time: s.timestamp, success: s.value == 1, seconds: l.value,
                              statusCode: codeAt[s.timestamp].flatMap { $0 > 0 ? Int(exactly: $0) : nil },
                              reason: s.value == 1 ? "" : reasonAt[s.timestamp] ?? "")
        }
        let target: String
        switch check.target {
        // A check URL may carry credentials (`user:pass@`) or a token in its query: the page
        // shows it as `lookout check` does, without either.
        case .http(let url): target = ConfigSummary.redactedURL(url)
        case .tcp(let address): target = "tcp://\(address)"
        }
        return CheckStatus(
            name: check.name, target: target, up: row?.success, reason: row?.reason ?? "", lastCheck: row?.at,
            latencySeconds: row?.durationSeconds, since: since,
            uptimeRatio: total == 0 ? nil : Double(oks.reduce(0, +)) / Double(total),
            bucketMilliseconds: size, buckets: bars, latencies: sparkline, history: history.reversed(),
            outages: outages(success, reasonAt: reasonAt, startsAt: Set(failures.filter(\.startsOutage).map(\.at))))
    }

    /// The stretches of failed probes in `success`, newest first. One that runs from the first
    /// sample began before the window (its start is unknown) unless `startsAt` says it began there.
    static func outages(_ success: [Sample], reasonAt: [Timestamp: String], startsAt: Set<Timestamp>) -> [CheckStatus.Outage] {
        var outages: [CheckStatus.Outage] = []
        var current: CheckStatus.Outage?
        for (index, sample) in success.enumerated() {
            if sample.value == 1 {
                if var outage = current {
                    outage.end = sample.timestamp
                    outages.append(outage)
                    current = nil
                }
            } else if current != nil {
                current?.failures += 1
            } else {
                let beganBefore = index == 0 && !startsAt.contains(sample.timestamp)
                current = CheckStatus.Outage(start: beganBefore ? nil : sample.timestamp, end: nil, failures: 1,
                                             reason: reasonAt[sample.timestamp] ?? "")
            }
        }
        if let current { outages.append(current) }
        return outages.reversed()
    }
}
