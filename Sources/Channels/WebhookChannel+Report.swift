import Model
import Notify

extension WebhookChannel {
    /// The report payload (documented in README, "Scheduled reports"): `kind: "report"` tells it
    /// apart from Alertmanager-format alert payloads on the same URL. Sections not included are
    /// absent; numbers are plain JSON numbers (ratios 0…1), times RFC 3339.
    struct ReportPayload: Encodable {
        var version = "1"
        var kind = "report"
        var report: String
        var receiver: String
        var day: String
        var timezone: String
        var generatedAt: String
        var title: String
        var preview: Bool
        var externalURL: String
        var text: String
        var cost: Cost?
        var alerts: Alerts?
        var uptime: Uptime?
    }

    struct Cost: Encodable {
        var yesterdayDay: String
        var series: [CostSection.Line]
    }

    struct Alerts: Encodable {
        var windowSeconds: Int64
        var alerts: [AlertEntry]
    }

    struct AlertEntry: Encodable {
        var alertname: String
        var labels: Labels
        var firstFiredAt: String
        var firingSeconds: Int64
        var episodes: Int
        var status: String
    }

    struct Uptime: Encodable {
        var checks: [CheckEntry]
    }

    struct CheckEntry: Encodable {
        var name: String
        var up: Bool?
        var uptime24h: Double?
        var uptime7d: Double?
        var failures24h: Int
        var lastFailureAt: String?
        var lastFailureReason: String?
    }

    func renderReport(_ r: ReportNotification) throws -> OutboundHTTPRequest {
        let payload = ReportPayload(
            report: r.name, receiver: name, day: r.day, timezone: r.timeZone, generatedAt: UTCTime(r.generatedAt).rfc3339,
            title: r.title, preview: r.isPreview, externalURL: r.externalURL, text: ReportText.plain(r),
            cost: r.cost.map { Cost(yesterdayDay: $0.yesterdayDay, series: $0.series) },
            alerts: r.alerts.map { a in
                Alerts(windowSeconds: a.windowMilliseconds / 1000, alerts: a.entries.map { e in
                    AlertEntry(alertname: e.name, labels: e.labels, firstFiredAt: UTCTime(e.firstFiredAt).rfc3339,
                               firingSeconds: e.firingMilliseconds / 1000, episodes: e.episodes,
                               status: e.stillFiring ? "firing" : "resolved")
                })
            },
            uptime: r.uptime.map { u in
                Uptime(checks: u.checks.map { c in
                    CheckEntry(name: c.name, up: c.up, uptime24h: c.uptime24h, uptime7d: c.uptime7d, failures24h: c.failures24h,
                               lastFailureAt: c.lastFailureAt.map { UTCTime($0).rfc3339 }, lastFailureReason: c.lastFailureReason)
                })
            })
        var headers = [("Content-Type", "application/json"), ("User-Agent", "Lookout")]
        if let token = spec.bearerToken, !token.isEmpty { headers.append(("Authorization", "Bearer \(token)")) }
        return OutboundHTTPRequest(url: spec.url, headers: headers, body: try Formats.json(payload))
    }
}
