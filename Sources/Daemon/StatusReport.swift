import Config
import Foundation
import Model
import Notify
import Query
import SQLite
import Storage

/// `lookout status`: checks, targets, alerts and the notification queue, read from the database
/// (the daemon may be running; WAL lets both read).
public enum StatusReport {
    /// Renders the report for the store in `config.global.dataDir` at `now` (ms). With
    /// `checksFromStore` the checks listed are those with a stored result (the configuration is
    /// only the embedded default, e.g. `--data-dir` without `--config`), else those configured.
    public static func render(config: LookoutConfig, now: Timestamp, checksFromStore: Bool = false) throws -> String {
        let path = StorageDatabase.path(dataDir: config.global.dataDir)
        var options = TSDB.Options()
        options.readOnly = true
        let tsdb = try TSDB.open(path: path, options: options)
        defer { tsdb.close() }
        let engine = Engine(querier: tsdb, options: EngineOptions(timeZone: config.global.timezone, defaultSubqueryStep: config.global.evaluationInterval))
        var out: [String] = []
        out += checks(config: config, engine: engine, path: path, now: now, fromStore: checksFromStore)
        out += [""] + targets(engine: engine, now: now)
        out += sqlSources(engine: engine, now: now)
        out += [""] + (try alerts(path: path, now: now))
        out += [""] + (try queue(path: path, now: now))
        return out.joined(separator: "\n")
    }

    static func checks(config: LookoutConfig, engine: Engine, path: String, now: Timestamp, fromStore: Bool = false) -> [String] {
        var rows: [String: CheckStatusRow] = [:], failures: [String: [CheckFailure]] = [:], problem: String?
        do {
            let store = try CheckStatusStore(path: path)
            rows = Dictionary(try store.all().map { ($0.check, $0) }, uniquingKeysWith: { first, _ in first })
            failures = try store.failures(since: 0)
        } catch {
            problem = "  (cannot read the check results: \(error); checks show as PENDING)"
        }
        let uptime = vectorByLabel(engine, "avg_over_time(probe_success[24h])", label: "check", now: now)
        let names = fromStore ? rows.keys.sorted() : config.checks.map(\.name)
        var lines = ["CHECKS (\(names.count))"] + (problem.map { [$0] } ?? [])
        for name in names {
            guard let row = rows[name] else {
                lines.append("  \(pad(name, 24)) PENDING  no result yet")
                continue
            }
            let state = row.success ? "UP     " : "DOWN   "
            let latency = String(format: "%.0fms", row.durationSeconds * 1000)
            let up = uptime[name].map { String(format: "%.2f%%", $0 * 100) } ?? "-"
            var line = "  \(pad(name, 24)) \(state)  \(pad(latency, 8)) uptime 24h \(pad(up, 8))"
            if let failedAt = row.lastFailureAt, let reason = row.lastFailureReason {
                if row.success {
                    line += " last failure \(ago(now - failedAt)) ago: \(reason)"
                } else if let start = failures[name]?.last(where: \.startsOutage)?.at {
                    line += " failing for \(ago(now - start)): \(reason)"
                } else {
                    line += " failing: \(reason)"
                }
            }
            lines.append(line)
        }
        return lines
    }

    static func targets(engine: Engine, now: Timestamp) -> [String] {
        let ups: [VectorElement]
        do {
            guard case .vector(let vector) = try engine.instant("up", at: now) else { return ["TARGETS (0)"] }
            ups = vector
        } catch {
            return ["TARGETS", "  (cannot read the store: \(error))"]
        }
        var lines = ["TARGETS (\(ups.count))"]
        let times = sampleTimes(engine, "up", now: now)
        for up in ups.sorted(by: { $0.labels < $1.labels }) {
            let job = up.labels["job"] ?? "", instance = up.labels["instance"] ?? ""
            let state = up.sample.value == 1 ? "UP  " : "DOWN"
            let at = times[up.labels.droppingMetricName] ?? up.sample.timestamp
            lines.append("  \(pad(job, 16)) \(pad(instance, 28)) \(state)  last scrape \(ago(now - at)) ago")
        }
        return lines
    }

    /// `sql:` sources by their `sql_up`; nothing when there are none (the daemon logs why one fails).
    static func sqlSources(engine: Engine, now: Timestamp) -> [String] {
        guard case .vector(let ups)? = try? engine.instant("sql_up", at: now), !ups.isEmpty else { return [] }
        var lines = ["", "SQL SOURCES (\(ups.count))"]
        let times = sampleTimes(engine, "sql_up", now: now)
        for up in ups.sorted(by: { $0.labels < $1.labels }) {
            let state = up.sample.value == 1 ? "UP  " : "DOWN"
            let at = times[up.labels.droppingMetricName] ?? up.sample.timestamp
            lines.append("  \(pad(up.labels["source"] ?? "", 45)) \(state)  last run \(ago(now - at)) ago")
        }
        return lines
    }

    static func alerts(path: String, now: Timestamp) throws -> [String] {
        let active = try AlertStateStore(path: path).loadAll().map(\.alert)
            .filter { $0.resolvedAt == nil && $0.state != .inactive }
            .sorted { ($0.state.rawValue, $0.name) < ($1.state.rawValue, $1.name) }
        var silences: [Silence] = [], problem: String?
        do {
            silences = try SilenceManager(databasePath: path).list().filter { $0.state(at: now) == .active }
        } catch {
            problem = "  (cannot read the silences: \(error); silenced alerts are not marked)"
        }
        var lines = ["ALERTS (\(active.filter { $0.state == .firing }.count) firing, \(active.filter { $0.state == .pending }.count) pending)"]
            + (problem.map { [$0] } ?? [])
        for alert in active {
            let since = alert.firedAt ?? alert.activeAt
            var line = "  \(pad(alert.state.rawValue.uppercased(), 8)) \(pad(alert.name, 24)) value \(pad(shortValue(alert.value), 10)) since \(ago(now - since)) ago  \(alert.labels.droppingMetricName)"
            if let silence = silences.first(where: { $0.matches(alert.labels) }) { line += "  silenced by \(silence.id)" }
            lines.append(line)
        }
        return lines
    }

    static func queue(path: String, now: Timestamp) throws -> [String] {
        let connection = try Connection(path: path)
        defer { connection.close() }
        let outbox = try OutboxStore(connection)
        let stats = try outbox.stats()
        let total = stats.reduce(0) { $0 + $1.count }
        var lines = ["NOTIFICATION QUEUE (\(total) pending)"]
        for stat in stats.sorted(by: { $0.channel < $1.channel }) {
            lines.append("  \(pad(stat.channel, 16)) \(stat.count) queued, oldest \(ago(now - stat.oldestCreatedAt)) ago")
            // Why it is stuck: the head of the channel's queue, as the last attempt left it.
            if let head = try outbox.pending(channel: stat.channel, limit: 1).first, head.attempts > 0 {
                var line = "    \(head.attempts) attempt\(head.attempts == 1 ? "" : "s"), next in \(ago(head.nextAttemptAt - now))"
                if let error = head.lastError { line += "; last error: \(error)" }
                lines.append(line)
            }
        }
        return lines
    }

    /// When each series of `metric` was last written, by its labels without the name: an instant
    /// vector carries the evaluation time, so with the daemon stopped every row would read "0s ago".
    static func sampleTimes(_ engine: Engine, _ metric: String, now: Timestamp) -> [Labels: Timestamp] {
        guard case .vector(let elements)? = try? engine.instant("timestamp(\(metric))", at: now) else { return [:] }
        var out: [Labels: Timestamp] = [:]
        for element in elements { out[element.labels.droppingMetricName] = Timestamp((element.sample.value * 1000).rounded()) }
        return out
    }

    static func vectorByLabel(_ engine: Engine, _ expr: String, label: String, now: Timestamp) -> [String: Double] {
        guard case .vector(let elements)? = try? engine.instant(expr, at: now) else { return [:] }
        var out: [String: Double] = [:]
        for element in elements { if let key = element.labels[label] { out[key] = element.sample.value } }
        return out
    }

    /// The value as stored when short, else to 6 significant digits so the columns stay aligned.
    static func shortValue(_ v: Double) -> String {
        let exact = ValueFormat.value(v)
        return exact.count <= 10 ? exact : String(format: "%.6g", v)
    }

    static func ago(_ ms: Int64) -> String { PromDuration.format(max(0, ms) / 1000 * 1000) }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
