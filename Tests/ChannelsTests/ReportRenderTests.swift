import Foundation
import Logging
import Model
import Notify
import Testing
@testable import Channels

enum ReportSamples {
    static let t0 = Samples.t0  // 2026-11-18T11:06:40Z, 12:06 in Berlin

    static let full = ReportNotification(
        channel: "ops", name: "daily-cost", day: "2026-11-18", timeZone: "Europe/Berlin", generatedAt: t0,
        externalURL: "http://lookout:9464/",
        cost: CostSection(yesterdayDay: "2026-11-17", series: [
            .init(name: "CloudSpend", expr: "sum(increase(cloud_cost_dollars_total[today]))", today: 12.4, yesterday: 130.2,
                  average7d: 116, averageDays: 7),
            .init(name: "GPUSpend", expr: "sum(gpu_cost_today)", today: nil, yesterday: 20, average7d: 25, averageDays: 3),
        ]),
        alerts: AlertsSection(windowMilliseconds: 86_400_000, entries: [
            .init(name: "HighErrorRate", labels: ["job": "api", "severity": "critical"], firstFiredAt: t0 - 720_000,
                  firingMilliseconds: 720_000, episodes: 1, stillFiring: true),
            .init(name: "DiskFull", labels: ["instance": "db<1>"], firstFiredAt: t0 - 36_000_000,
                  firingMilliseconds: 2_700_000, episodes: 3, stillFiring: false),
        ]),
        uptime: UptimeSection(checks: [
            .init(name: "api-health", up: true, uptime24h: 0.99306, uptime7d: 0.999, failures24h: 3,
                  lastFailureAt: t0 - 21_240_000, lastFailureReason: "HTTP 503 (want 200)"),
            .init(name: "websocket-port", up: nil, uptime24h: nil, uptime7d: nil, failures24h: 0,
                  lastFailureAt: nil, lastFailureReason: nil),
        ]))

    static let empty = ReportNotification(
        channel: "ops", name: "daily-cost", day: "2026-11-18", timeZone: "UTC", generatedAt: t0,
        cost: CostSection(yesterdayDay: "2026-11-17", series: []), alerts: AlertsSection(windowMilliseconds: 86_400_000, entries: []),
        uptime: UptimeSection(checks: []))
}

@Suite struct ReportRenderTests {
    @Test func plainTextShowsEverySectionInTheReportsZone() throws {
        try expectGolden(ReportText.plain(ReportSamples.full), "report.txt")
    }

    @Test func emptySectionsSaySo() {
        let text = ReportText.plain(ReportSamples.empty)
        #expect(text.contains("No cost series configured"))
        #expect(text.contains("No alerts fired."))
        #expect(text.contains("No checks configured."))
    }

    @Test func omittedSectionsAreAbsent() {
        var r = ReportSamples.full
        r.cost = nil
        r.alerts = nil
        #expect(ReportText.sections(r).map(\.key) == ["uptime"])
    }

    @Test func slackBody() throws {
        let channel = SlackChannel(name: "team", spec: SlackSpec(webhookURL: "https://hooks.slack.com/services/T/B/S"),
                                   transport: NoTransport(), timeout: 1000)
        try expectGolden(try pretty(try channel.renderReport(ReportSamples.full).body), "slack-report.json")
    }

    @Test func webhookBody() throws {
        let channel = WebhookChannel(name: "audit", spec: WebhookSpec(url: "http://h/x", bearerToken: "tok"),
                                     transport: NoTransport(), timeout: 1000)
        let request = try channel.renderReport(ReportSamples.full)
        #expect(request.headers.contains { $0 == ("Authorization", "Bearer tok") })
        try expectGolden(try pretty(request.body), "webhook-report.json")
    }

    @Test func emailMessage() throws {
        let channel = EmailChannel(name: "ops", spec: EmailSpec(url: "smtp://mail:587", from: "lookout@example.com",
                                                                to: ["ops@example.com"]),
                                   transport: NoTransport(), timeout: 1000)
        let text = String(decoding: try channel.renderReport(ReportSamples.full).data, as: UTF8.self)
        #expect(text.contains("\r\nSubject: =?UTF-8?Q?=5BREPORT=5D_daily-cost_=E2=80=94_2026-11-18?=\r\n"))
        #expect(text.contains("db&lt;1&gt;"), "HTML part escapes label values")
        try expectGolden(text, "email-report.eml")
    }

    @Test func logLinesCarryReportAndSection() {
        let channel = LogChannel(name: "log", logger: Logger(label: "test"))
        let lines = channel.renderReport(ReportSamples.full)
        #expect(lines.first?["line"] == "[REPORT] daily-cost — 2026-11-18")
        #expect(lines.filter { $0["section"] == "uptime" }.count == 2)
        #expect(lines.allSatisfy { $0["report"] == "daily-cost" })
    }

    @Test func pagerDutyRefusesReports() async {
        let channel = PagerDutyChannel(name: "pager", spec: PagerDutySpec(routingKey: "k"), transport: NoTransport(), timeout: 1)
        let result = await channel.deliver(ReportSamples.full)
        guard case .permanent(let reason) = result else {
            Issue.record("expected a permanent failure, got \(result)")
            return
        }
        #expect(reason.contains("PagerDuty is for incidents"))
    }
}
