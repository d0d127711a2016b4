import Config
import Foundation
import Model
import Notify
import Query
import Rules
import Storage

/// Builds a report's sections from the store: what the scheduler queues and `lookout report`
/// prints. Reads only; safe next to a running daemon (WAL).
///
/// - cost: each `daily_cost` alert's expression (cost accumulated since local midnight) at the
///   report time (today so far) and at the last instant of each earlier local day (that day's
///   total): yesterday, and the mean of the 7 days before yesterday.
/// - alerts: the `ALERTS{alertstate="firing"}` series of the 24 h before the report, split into
///   episodes at stale markers and gaps; "still firing" from the alert state table.
/// - uptime: `probe_success` averaged over 24 h and 7 d (as `lookout status`), failures in 24 h,
///   the last failure and its reason from the check status table.
struct ReportBuilder {
    static let alertWindow: Int64 = 86_400_000
    /// A gap longer than this between two firing evaluations starts a new episode.
    static let episodeGap: Int64 = 300_000

    let config: LookoutConfig
    let querier: any SeriesQuerier
    let checkRows: [CheckStatusRow]
    let activeAlerts: [Alert]

    var engine: Engine {
        Engine(querier: querier, options: EngineOptions(timeZone: config.global.timezone,
                                                        defaultSubqueryStep: config.global.evaluationInterval))
    }

    func build(_ report: ReportConfig, now: Timestamp) -> ReportNotification {
        let include = Set(report.include)
        return ReportNotification(
            channel: "", name: report.name, day: ReportSchedule.day(of: now, in: config.global.timezone),
            timeZone: config.global.timezone.identifier, generatedAt: now, externalURL: NotifyMapping.externalURL(config),
            cost: include.contains(.cost) ? cost(now: now) : nil,
            alerts: include.contains(.alerts) ? alerts(now: now) : nil,
            uptime: include.contains(.uptime) ? uptime(now: now) : nil)
    }

    // MARK: - Cost

    func cost(now: Timestamp) -> CostSection {
        let zone = config.global.timezone
        let midnights = (0...8).map { ReportSchedule.midnight(of: now, daysBack: $0, in: zone) }
        let engine = self.engine
        let lines = config.alerts.compactMap { alert -> CostSection.Line? in
            guard case .dailyCost = alert.kind else { return nil }
            let expr = Rules.Shorthand.expression(alert.kind, nil)
            let value = { (t: Timestamp) -> Double? in Self.scalar(engine, expr, at: t) }
            // A day's total: the expression at the day's last millisecond.
            let earlier = (1...8).map { value(midnights[$0 - 1] - 1) }
            let week = earlier.dropFirst().compactMap { $0 }
            return CostSection.Line(name: alert.name, expr: expr, today: value(now), yesterday: earlier[0],
                                    average7d: week.isEmpty ? nil : week.reduce(0, +) / Double(week.count),
                                    averageDays: week.count)
        }
        return CostSection(yesterdayDay: ReportSchedule.day(of: midnights[1], in: zone), series: lines)
    }

    static func scalar(_ engine: Engine, _ expr: String, at t: Timestamp) -> Double? {
        guard case .vector(let elements)? = try? engine.instant(expr, at: t) else { return nil }
        let values = elements.map(\.sample.value).filter(\.isFinite)
        return values.isEmpty ? nil : values.reduce(0, +)
    }

    // MARK: - Alerts

    func alerts(now: Timestamp) -> AlertsSection {
        let from = now - Self.alertWindow
        let matchers = [try? Matcher(Labels.metricName, .equal, "ALERTS"), try? Matcher("alertstate", .equal, "firing")].compactMap { $0 }
        let series = (try? querier.select(matchers, in: from...now)) ?? []
        let firing = Set(activeAlerts.filter { $0.state == .firing && $0.resolvedAt == nil }.map(\.labels))
        var entries: [AlertsSection.Entry] = []
        for s in series {
            let labels = s.labels.removing([Labels.metricName, "alertstate"])
            let stillFiring = firing.contains(labels)
            let episodes = Self.episodes(s.samples, until: stillFiring ? now : nil)
            guard let first = episodes.first else { continue }
            entries.append(AlertsSection.Entry(
                name: labels["alertname"] ?? "", labels: labels.removing(["alertname"]), firstFiredAt: first.lowerBound,
                firingMilliseconds: episodes.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) },
                episodes: episodes.count, stillFiring: stillFiring))
        }
        entries.sort { ($0.firstFiredAt, $0.name) > ($1.firstFiredAt, $1.name) }
        return AlertsSection(windowMilliseconds: Self.alertWindow, entries: entries)
    }

    /// Firing episodes from one `ALERTS` series: runs of samples without a stale marker or a long
    /// gap between them; the last one extends to `until` when the alert is still firing.
    static func episodes(_ samples: [Sample], until: Timestamp?) -> [ClosedRange<Timestamp>] {
        var out: [ClosedRange<Timestamp>] = []
        var start: Timestamp?
        var last: Timestamp = 0
        for sample in samples {
            if sample.isStale {
                if let s = start { out.append(s...last) }
                start = nil
                continue
            }
            if let s = start, sample.timestamp - last > episodeGap {
                out.append(s...last)
                start = nil
            }
            if start == nil { start = sample.timestamp }
            last = sample.timestamp
        }
        if let s = start { out.append(s...max(last, until ?? last)) }
        return out
    }

    // MARK: - Uptime

    func uptime(now: Timestamp) -> UptimeSection {
        let engine = self.engine
        let day = StatusReport.vectorByLabel(engine, "avg_over_time(probe_success[24h])", label: "check", now: now)
        let week = StatusReport.vectorByLabel(engine, "avg_over_time(probe_success[7d])", label: "check", now: now)
        let failures = StatusReport.vectorByLabel(
            engine, "count_over_time(probe_success[24h]) - sum_over_time(probe_success[24h])", label: "check", now: now)
        let rows = Dictionary(checkRows.map { ($0.check, $0) }, uniquingKeysWith: { a, _ in a })
        return UptimeSection(checks: config.checks.map { check in
            let row = rows[check.name]
            return UptimeSection.Check(
                name: check.name, up: row?.success, uptime24h: day[check.name], uptime7d: week[check.name],
                failures24h: Int(failures[check.name] ?? 0), lastFailureAt: row?.lastFailureAt,
                lastFailureReason: row?.lastFailureReason)
        })
    }
}
