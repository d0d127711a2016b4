import Foundation
import Model
import Notify

/// The words of a report, shared by every channel: each section as a heading, its lines, and the
/// line shown when it has none. Channels only add their markup (and escaping) around these.
enum ReportText {
    struct Section: Equatable {
        var key: String
        var heading: String
        var lines: [String]
    }

    static func sections(_ r: ReportNotification) -> [Section] {
        var out: [Section] = []
        if let cost = r.cost { out.append(Section(key: "cost", heading: "Cost", lines: costLines(cost))) }
        if let alerts = r.alerts {
            let hours = alerts.windowMilliseconds / 3_600_000
            out.append(Section(key: "alerts", heading: "Alerts fired in the last \(hours)h (\(alerts.entries.count))",
                               lines: alertLines(alerts, r.timeZone)))
        }
        if let uptime = r.uptime { out.append(Section(key: "uptime", heading: "Uptime", lines: uptimeLines(uptime, r.timeZone))) }
        return out
    }

    /// `Europe/Berlin, built 2026-11-23 08:00`.
    static func subtitle(_ r: ReportNotification) -> String {
        "\(r.timeZone), built \(localTime(r.generatedAt, r.timeZone))"
    }

    /// The whole report as plain text (email text part, log, webhook `text`).
    static func plain(_ r: ReportNotification) -> String {
        var out = [r.title, subtitle(r), ""]
        for section in sections(r) {
            out.append(section.heading.uppercased())
            out += section.lines.map { "- " + $0 }
            out.append("")
        }
        if !r.externalURL.isEmpty { out.append("Status page: \(r.externalURL)") }
        return out.joined(separator: "\n")
    }

    static func costLines(_ cost: CostSection) -> [String] {
        guard !cost.series.isEmpty else { return ["No cost series configured (add a daily_cost alert)."] }
        return cost.series.map { line in
            var parts = ["today so far \(money(line.today))", "yesterday (\(cost.yesterdayDay)) \(money(line.yesterday))"]
            if let average = line.average7d {
                parts.append("7-day average \(money(average))" + (line.averageDays < 7 ? " (\(line.averageDays) days with data)" : ""))
            } else {
                parts.append("7-day average: no data")
            }
            if let change = line.changePercent { parts.append("yesterday \(percentChange(change)) vs average") }
            return "\(line.name): " + parts.joined(separator: " · ")
        }
    }

    static func alertLines(_ alerts: AlertsSection, _ zone: String) -> [String] {
        guard !alerts.entries.isEmpty else { return ["No alerts fired."] }
        return alerts.entries.map { e in
            let labels = e.labels.isEmpty ? "" : " " + e.labels.description
            let episodes = e.episodes > 1 ? "\(e.episodes) times, " : ""
            let status = e.stillFiring ? "still firing" : "resolved"
            return "\(e.name)\(labels): \(episodes)firing \(duration(e.firingMilliseconds)) since \(localTime(e.firstFiredAt, zone)), \(status)"
        }
    }

    static func uptimeLines(_ uptime: UptimeSection, _ zone: String) -> [String] {
        guard !uptime.checks.isEmpty else { return ["No checks configured."] }
        return uptime.checks.map { c in
            var line = "\(c.name): \(percent(c.uptime24h)) (24h) · \(percent(c.uptime7d)) (7d) · "
            line += c.failures24h == 1 ? "1 failure" : "\(c.failures24h) failures"
            if c.up == false { line += " · DOWN now" }
            if let at = c.lastFailureAt {
                line += " · last failure \(localTime(at, zone))"
                if let reason = c.lastFailureReason, !reason.isEmpty { line += ": \(reason)" }
            }
            return line
        }
    }

    static func money(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "no data" }
        return String(format: "%.2f", value)
    }

    static func percent(_ ratio: Double?) -> String {
        guard let ratio, ratio.isFinite else { return "no data" }
        return String(format: "%.2f%%", ratio * 100)
    }

    static func percentChange(_ change: Double) -> String {
        (change >= 0 ? "+" : "-") + String(format: "%.1f%%", abs(change))
    }

    /// Whole seconds under a minute, whole minutes above (`45s`, `1h12m`).
    static func duration(_ ms: Int64) -> String {
        ms < 60_000 ? PromDuration.format(max(0, ms) / 1000 * 1000) : PromDuration.format(ms / 60_000 * 60_000)
    }

    /// `2026-11-23 06:12` in the report's zone.
    static func localTime(_ ms: Timestamp, _ zoneName: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute],
                                        from: Date(timeIntervalSince1970: Double(ms) / 1000))
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }
}

/// Reports as the channels word them, for `lookout report --print`.
public enum ReportRendering {
    /// The report as plain text: the email's text part and the log channel's lines.
    public static func plain(_ report: ReportNotification) -> String { ReportText.plain(report) }
}
